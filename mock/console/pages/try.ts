import { operationKey } from '../../apis/mount.js'
import type { Request, Response, Router } from 'express'
import type { Operation, ParameterSpec } from '../../contract/types.js'
import { UnknownScenarioError } from '../../scenarios/scenario-service.js'
import { requireClient, sendPage, stringsOf, titled, pageContext, type ConsoleApp } from '../app.js'
import { field, formText, select } from '../forms.js'
import { html, type Html } from '../html.js'
import { csrfField, type PageSpec } from '../layout.js'
import { localsOf } from '../session.js'
import { fill } from '../strings.js'
import { mintToken } from './account.js'
import { opHref, pretty, privilegeText } from './reference.js'

/** Longest a try waits for the sandbox's answer (a 504 scenario or a ban may hold it longer). */
const TRY_TIMEOUT_MS = 15_000
/** Headers the form never lets the reuser set: the console sets them. */
const RESERVED = new Set(['authorization', 'prefer', 'content-type', 'host', 'cookie'])

const shellQuote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`

export interface TryResult {
  curl: string
  status?: number
  headers: Array<[string, string]>
  body: string
  error?: string
}

/** The value a parameter's field starts with: the contract's example, else a sensible default. */
function startValue(p: ParameterSpec, siret: string): string {
  const s = p.schema as Record<string, unknown>
  const candidates = [
    p.examples[0],
    s.example,
    s.default,
    Array.isArray(s.enum) ? s.enum[0] : undefined,
  ]
  const found = candidates.find((v) => v !== undefined && v !== null && typeof v !== 'object')
  if (found !== undefined) return String(found)
  if (p.name === 'recipient') return siret
  if (p.name === 'context') return 'Test de la console'
  if (p.name === 'object') return 'Essai depuis la console'
  return ''
}

/** Where this sandbox listens, as seen from itself: the try goes through the API like any call. */
function selfBase(req: Request): string {
  const port = req.socket.localPort
  const addr = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '')
  const host = addr.includes(':') ? `[${addr}]` : addr
  return `http://${host}:${port}`
}

/** Response headers as name and value pairs, cookies left out. */
function headerList(headers: Headers): Array<[string, string]> {
  const out: Array<[string, string]> = []
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') out.push([name, value])
  })
  return out
}

/** A real call to the API with the reuser's token: journaled, rate-limited and scenario-played like any other. */
async function runTry(
  app: ConsoleApp,
  req: Request,
  res: Response,
  op: Operation,
  clientId: string,
): Promise<TryResult> {
  const session = localsOf(res).session!
  const sandboxNow = await app.ctx.clock.now(clientId)
  const token =
    session.token && session.token.expiresAt > sandboxNow + 5_000
      ? session.token
      : await mintToken(app, req, res, clientId)
  let path = op.path
  const query = new URLSearchParams()
  const headers: Record<string, string> = {}
  for (const p of op.parameters) {
    const value = formText(req.body, `p_${p.in}_${p.name}`)
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(value))
    else if (!value) continue
    else if (p.in === 'query') query.append(p.name, value)
    else if (p.in === 'header' && !RESERVED.has(p.name.toLowerCase())) headers[p.name] = value
  }
  const scenario = formText(req.body, 'scenario')
  if (scenario) headers.prefer = `scenario=${scenario}`
  if (token) headers.authorization = `Bearer ${token.value}`
  const bodyText = op.requestBody ? formText(req.body, 'body') : ''
  if (bodyText) headers['content-type'] = op.requestBody!.contentType
  const target = `${path}${query.size ? `?${query.toString()}` : ''}`
  const shownBase = app.ctx.options.publicUrlFromHost
    ? `${req.protocol}://${req.get('host') ?? 'localhost'}`
    : app.ctx.options.publicUrl
  const curl = [
    `curl -i -X ${op.method.toUpperCase()} ${shellQuote(shownBase + target)}`,
    ...Object.entries(headers).map(([k, v]) =>
      k === 'authorization'
        ? `-H "Authorization: Bearer $TOKEN"`
        : `-H ${shellQuote(`${k}: ${v}`)}`,
    ),
    ...(bodyText ? [`--data-binary ${shellQuote(bodyText)}`] : []),
  ].join(' \\\n  ')
  try {
    const answer = await fetch(selfBase(req) + target, {
      method: op.method.toUpperCase(),
      headers,
      ...(bodyText ? { body: bodyText } : {}),
      signal: AbortSignal.timeout(TRY_TIMEOUT_MS),
      redirect: 'manual',
    })
    const type = answer.headers.get('content-type') ?? ''
    const bytes = Buffer.from(await answer.arrayBuffer())
    let body: string
    if (/json/.test(type)) {
      try {
        body = pretty(JSON.parse(bytes.toString('utf8')))
      } catch {
        body = bytes.toString('utf8')
      }
    } else if (/^text\//.test(type)) body = bytes.toString('utf8').slice(0, 24_000)
    else body = `[${bytes.length} octets, ${type || 'application/octet-stream'}]`
    return {
      curl,
      status: answer.status,
      headers: headerList(answer.headers),
      body,
    }
  } catch (err) {
    const why =
      err instanceof Error && err.name === 'TimeoutError'
        ? `${TRY_TIMEOUT_MS / 1000} s`
        : String((err as Error).message ?? err)
    return { curl, headers: [], body: '', error: why }
  }
}

/** Try-it: one form per operation, and the arming of scenarios for the reuser's next calls. */
export function registerTryPages(router: Router, app: ConsoleApp): void {
  const { ctx } = app
  const byId = new Map(
    ctx.apis.flatMap((a) => a.contract.operations).map((op) => [operationKey(op), op]),
  )
  const scenarioOptions = (none: string): Array<[string, string]> => [
    ['', none],
    ...ctx.scenarios.describe().map((s): [string, string] => [s.name, s.name]),
  ]

  const page = async (
    req: Request,
    res: Response,
    op: Operation,
    clientId: string,
    result?: TryResult,
    alerts: PageSpec['alerts'] = [],
  ): Promise<void> => {
    const t = stringsOf(req)
    const p = pageContext(req, res)
    const client = await ctx.auth.getClient(clientId)
    const needed = ctx.auth.requiredPrivileges(op)
    const lacks = needed.length > 0 && !needed.some((x) => client?.privileges.includes(x))
    const armed = await ctx.scenarios.armed(clientId)
    const given = (name: string): string | undefined =>
      result ? formText(req.body, name) : undefined
    const title = fill(t.tryTitle, { op: `${op.method.toUpperCase()} ${op.path}` })
    const body = titled(
      title,
      html`<p>${t.tryIntro} <a href="${opHref(op)}">${t.navReference}</a></p>
        ${lacks && html`<div class="fr-alert fr-alert--warning fr-mb-3w"><p>${fill(t.tryNeedsPrivilege, { privileges: privilegeText(ctx, t, op) })}</p></div>`}
        <form
          method="post"
          action="/console/try/${encodeURIComponent(operationKey(op))}"
          class="fr-col-md-8"
        >
          ${csrfField(p)}
          ${op.parameters
            .filter((x) => x.in !== 'cookie' && !RESERVED.has(x.name.toLowerCase()))
            .map((x) =>
              field({
                name: `p_${x.in}_${x.name}`,
                label: `${x.name} (${x.in})`,
                required: x.required,
                value: given(`p_${x.in}_${x.name}`) ?? startValue(x, client?.siret ?? ''),
              }),
            )}
          ${op.requestBody && html`<div class="fr-input-group"><label class="fr-label" for="f-body">${t.body} (${op.requestBody.contentType})</label><textarea class="fr-input" id="f-body" name="body" rows="8">${given('body') ?? ''}</textarea></div>`}
          ${select('scenario', t.scenario, scenarioOptions(t.scenarioNone), given('scenario') ?? '')}
          <button class="fr-btn" type="submit" id="send">${t.send}</button>
        </form>
        ${result && resultBlock(t, result)}
        <h2 class="fr-mt-5w">${t.armTitle}</h2>
        <p>${t.armIntro}</p>
        <p id="armed">
          ${armed.length ? fill(t.armed, { list: armed.map((a) => a.scenario).join(', ') }) : t.armedNone}
        </p>
        <form
          method="post"
          action="/console/try/${encodeURIComponent(operationKey(op))}/arm"
          class="console-filter"
        >
          ${csrfField(p)} ${select('scenario', t.scenario, scenarioOptions('—').slice(1))}
          <button class="fr-btn fr-btn--secondary" type="submit" name="action" value="arm">
            ${t.arm}
          </button>
          <button class="fr-btn fr-btn--tertiary" type="submit" name="action" value="disarm">
            ${t.disarm}
          </button>
        </form>`,
    )
    sendPage(req, res, { title, nav: 'reference', alerts, body })
  }

  router.get('/try/:id', async (req, res, next) => {
    const op = byId.get(String(req.params.id))
    if (!op) return next()
    const clientId = requireClient(req, res)
    if (!clientId) return
    await page(req, res, op, clientId)
  })

  router.post('/try/:id', async (req, res, next) => {
    const op = byId.get(String(req.params.id))
    if (!op) return next()
    const clientId = requireClient(req, res)
    if (!clientId) return
    const result = await runTry(app, req, res, op, clientId)
    await page(req, res, op, clientId, result)
  })

  router.post('/try/:id/arm', async (req, res, next) => {
    const op = byId.get(String(req.params.id))
    if (!op) return next()
    const clientId = requireClient(req, res)
    if (!clientId) return
    if (formText(req.body, 'action') === 'disarm') {
      await ctx.scenarios.disarm(clientId)
      return page(req, res, op, clientId)
    }
    try {
      await ctx.scenarios.arm(clientId, formText(req.body, 'scenario'))
    } catch (err) {
      if (!(err instanceof UnknownScenarioError)) throw err
      return page(req, res, op, clientId, undefined, [['error', err.message]])
    }
    await page(req, res, op, clientId)
  })
}

function resultBlock(t: ReturnType<typeof stringsOf>, r: TryResult): Html {
  return html`<section class="fr-mt-5w" id="try-result" aria-labelledby="try-result-title">
    <h2 id="try-result-title" tabindex="-1">
      ${t.response}${r.status !== undefined ? html` : <span id="try-status">${r.status}</span>` : ''}
    </h2>
    ${r.error && html`<div class="fr-alert fr-alert--error fr-mb-3w"><p>${fill(t.tryFailed, { reason: r.error })}</p></div>`}
    <h3>${t.request}</h3>
    <pre tabindex="0" class="console-pre" id="try-curl">${r.curl}</pre>
    ${
      r.headers.length
        ? html`<h3>${t.headers}</h3>
            <pre tabindex="0" class="console-pre" id="try-headers">
${r.headers.map(([k, v]) => `${k}: ${v}\n`).join('')}</pre>`
        : ''
    }
    ${
      r.body &&
      html`<h3>${t.body}</h3>
        <pre tabindex="0" class="console-pre" id="try-body">${r.body}</pre>`
    }
  </section>`
}
