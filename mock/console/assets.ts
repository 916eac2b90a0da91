import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import express, { type Router } from 'express'
import { PACKAGE_ROOT } from '../options.js'

/**
 * Where the DSFR's built files are: the package's own copy (`dist/console-assets/dsfr`, made by the
 * build for the bundled CLI and the Docker image), else `node_modules/@gouvfr/dsfr/dist`.
 */
export function dsfrDir(): string {
  const candidates = [
    join(PACKAGE_ROOT, 'dist', 'console-assets', 'dsfr'),
    join(PACKAGE_ROOT, 'node_modules', '@gouvfr', 'dsfr', 'dist'),
  ]
  const found = candidates.find((dir) => existsSync(join(dir, 'core', 'core.min.css')))
  if (!found)
    throw new Error(
      `the console's design system (@gouvfr/dsfr) is missing: looked in ${candidates.join(' and ')}. Run npm ci.`,
    )
  return found
}

/**
 * The DSFR components whose classes the console's pages use. Their style sheets, after the core's,
 * make the one the console serves: some 40 % of the DSFR's whole sheet, which every page would
 * otherwise parse and match against (icons, pictograms and some forty components it never shows).
 * A class of another component needs its name here.
 */
export const DSFR_COMPONENTS = [
  'badge',
  'button',
  'form',
  'link',
  'alert',
  'notice',
  'checkbox',
  'input',
  'skiplink',
  'select',
  'modal',
  'navigation',
  'footer',
  'table',
  'header',
] as const

/**
 * The DSFR style sheet the console serves: the core and {@link DSFR_COMPONENTS}, in the order the
 * DSFR's own sheet has them, without the `@font-face` rules (the Marianne and Spectral fonts are
 * reserved to the State's services: the DSFR's fall-back system fonts are used); icon URLs, relative
 * to each part's folder, made relative to the served file, beside `icons/`.
 */
export function dsfrStyleSheet(dir: string): string {
  const parts = [
    readFileSync(join(dir, 'core', 'core.min.css'), 'utf8').replace(/url\(\.\.\//g, 'url('),
    ...DSFR_COMPONENTS.map((name) =>
      readFileSync(join(dir, 'component', name, `${name}.min.css`), 'utf8').replace(
        /url\(\.\.\/\.\.\//g,
        'url(',
      ),
    ),
  ]
  return parts.join('\n').replace(/@font-face\s*\{[^}]*\}/g, '')
}

/** The console's own additions to the DSFR: a few layout rules, no colours of its own. */
export const CONSOLE_CSS = `
.console-pre { white-space: pre-wrap; word-break: break-all; max-height: 30rem; overflow: auto; font-size: .875rem; }
.console-chart { width: 100%; height: auto; max-width: 48rem; }
.console-token { word-break: break-all; }
.console-badge-red { background: #ffe9e9; color: #ce0500; }
.console-badge-yellow { background: #feecc2; color: #716043; }
.console-badge-green { background: #b8fec9; color: #18753c; }
.console-filter { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-end; }
.console-filter .fr-input-group, .console-filter .fr-select-group { margin: 0; }
.console-table-wrap { overflow-x: auto; }
[hidden] { display: none !important; }
`

/**
 * Progressive enhancement, for pages that work without it: copy buttons, the reference's live
 * search, and the journal's live updates (new rows polled from the same page's JSON form, the oldest
 * dropped past the page's count).
 */
export const CONSOLE_JS = `(function () {
  'use strict';
  function announce(region, text) { if (region) { region.textContent = ''; setTimeout(function () { region.textContent = text; }, 50); } }
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var source = document.getElementById(button.getAttribute('data-copy'));
      if (!source || !navigator.clipboard) return;
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        announce(document.getElementById(button.getAttribute('data-copy') + '-status'), button.getAttribute('data-copied'));
      });
    });
  });
  var search = document.querySelector('[data-search-input]');
  if (search) {
    var rows = Array.prototype.slice.call(document.querySelectorAll('[data-search]'));
    var count = document.getElementById(search.getAttribute('data-search-input'));
    var template = count ? count.getAttribute('data-template') : '';
    var timer;
    search.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
        var shown = 0;
        rows.forEach(function (row) {
          var text = row.getAttribute('data-search');
          var match = words.every(function (w) { return text.indexOf(w) !== -1; });
          row.hidden = !match;
          if (match) shown++;
        });
        if (count) announce(count, template.replace('{count}', String(shown)));
      }, 150);
    });
  }
  var live = document.querySelector('[data-live]');
  if (live) {
    var body = live.querySelector('tbody');
    var status = document.getElementById('journal-live-status');
    var after = live.getAttribute('data-after') || '';
    var url = live.getAttribute('data-live');
    var max = Number(live.getAttribute('data-max')) || 0;
    var poll = function () {
      fetch(url + (url.indexOf('?') === -1 ? '?' : '&') + 'after=' + encodeURIComponent(after), { credentials: 'same-origin', headers: { accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          if (data.rows && data.rows.length) {
            var empty = body.querySelector('[data-empty]');
            if (empty) empty.remove();
            body.insertAdjacentHTML('afterbegin', data.rows.join(''));
            var shown = body.querySelectorAll('tr[data-id]');
            for (var i = max; max > 0 && i < shown.length; i++) shown[i].remove();
            announce(status, data.announce);
          }
          if (data.after) { after = data.after; live.setAttribute('data-after', after); }
        })
        .catch(function () {})
        .then(function () { setTimeout(poll, 2000); });
    };
    setTimeout(poll, 2000);
  }
})();
`

/** Serves `/console/assets/`: the DSFR (CSS without fonts, JS, icons) and the console's own files. */
export function assetsRouter(): Router {
  const dir = dsfrDir()
  // Read when first asked for, then kept: a sandbox nobody opens the console of never holds them.
  let css: string | undefined
  const router = express.Router()
  const long = 'public, max-age=86400'
  router.get('/dsfr/dsfr.min.css', (_req, res) => {
    css ??= dsfrStyleSheet(dir)
    res.setHeader('cache-control', long)
    res.type('text/css; charset=utf-8').send(css)
  })
  for (const file of ['dsfr.module.min.js', 'dsfr.nomodule.min.js']) {
    let body: Buffer | undefined
    router.get(`/dsfr/${file}`, (_req, res) => {
      body ??= readFileSync(join(dir, file))
      res.setHeader('cache-control', long)
      res.type('text/javascript; charset=utf-8').send(body)
    })
  }
  router.use(
    '/dsfr/icons',
    express.static(join(dir, 'icons'), {
      dotfiles: 'deny',
      index: false,
      maxAge: 86_400_000,
      extensions: false,
    }),
  )
  router.get('/console.css', (_req, res) => {
    res.setHeader('cache-control', long)
    res.type('text/css; charset=utf-8').send(CONSOLE_CSS)
  })
  router.get('/console.js', (_req, res) => {
    res.setHeader('cache-control', long)
    res.type('text/javascript; charset=utf-8').send(CONSOLE_JS)
  })
  return router
}
