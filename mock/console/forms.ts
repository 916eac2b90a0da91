import { html, type Html } from './html.js'

export interface FieldSpec {
  name: string
  label: string
  hint?: string
  type?: string
  value?: string
  required?: boolean
  error?: string
  autocomplete?: string
  /** Extra attributes, already safe (pattern, inputmode...). */
  attrs?: Html
}

/** A DSFR text input with its label, hint and error, linked for screen readers. */
export function field(f: FieldSpec): Html {
  const id = `f-${f.name}`
  const describedBy = [f.hint ? `${id}-hint` : '', f.error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ')
  return html`<div class="fr-input-group${f.error ? ' fr-input-group--error' : ''}">
    <label class="fr-label" for="${id}"
      >${f.label}${f.required ? ' *' : ''}${f.hint ? html`<span class="fr-hint-text" id="${id}-hint">${f.hint}</span>` : ''}</label
    >
    <input
      class="fr-input${f.error ? ' fr-input--error' : ''}"
      type="${f.type ?? 'text'}"
      id="${id}"
      name="${f.name}"
      ${f.value !== undefined && f.type !== 'password' ? html` value="${f.value}"` : ''}${f.required ? html` required aria-required="true"` : ''}${f.autocomplete ? html` autocomplete="${f.autocomplete}"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${f.error ? html` aria-invalid="true"` : ''}${f.attrs ?? ''}
    />
    ${f.error && html`<p class="fr-error-text" id="${id}-error">${f.error}</p>`}
  </div>`
}

/** A DSFR select. */
export function select(
  name: string,
  label: string,
  options: Array<[string, string]>,
  selected?: string,
  hint?: string,
): Html {
  const id = `f-${name}`
  return html`<div class="fr-select-group">
    <label class="fr-label" for="${id}"
      >${label}${hint ? html`<span class="fr-hint-text">${hint}</span>` : ''}</label
    >
    <select class="fr-select" id="${id}" name="${name}">
      ${options.map(([v, l]) => html`<option value="${v}" ${v === selected ? html` selected` : ''}>${l}</option>`)}
    </select>
  </div>`
}

/** A DSFR checkbox group (a fieldset with its legend). */
export function checkboxes(
  name: string,
  legend: string,
  options: string[],
  checked: readonly string[],
  hint?: string,
  error?: string,
): Html {
  return html`<fieldset
    class="fr-fieldset${error ? ' fr-fieldset--error' : ''}"
    id="fs-${name}"
    aria-labelledby="fs-${name}-legend"
  >
    <legend class="fr-fieldset__legend" id="fs-${name}-legend">
      ${legend}${hint ? html`<span class="fr-hint-text">${hint}</span>` : ''}
    </legend>
    ${options.map(
      (o, i) =>
        html`<div class="fr-fieldset__element fr-fieldset__element--inline">
          <div class="fr-checkbox-group fr-checkbox-group--sm">
            <input
              type="checkbox"
              id="cb-${name}-${i}"
              name="${name}"
              value="${o}"
              ${checked.includes(o) ? html` checked` : ''}
            />
            <label class="fr-label" for="cb-${name}-${i}">${o}</label>
          </div>
        </div>`,
    )}
    ${error && html`<div class="fr-messages-group" aria-live="polite"><p class="fr-message fr-message--error">${error}</p></div>`}
  </fieldset>`
}

/** A single checkbox. */
export function checkbox(name: string, label: string, checked = false): Html {
  return html`<div class="fr-checkbox-group fr-mb-2w">
    <input
      type="checkbox"
      id="cb-${name}"
      name="${name}"
      value="on"
      ${checked ? html` checked` : ''}
    />
    <label class="fr-label" for="cb-${name}">${label}</label>
  </div>`
}

/** Reads a form value as one string ('' when absent or repeated oddly). */
export function formText(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name]
  if (typeof v === 'string') return v.trim()
  return ''
}

/** Reads a form value that may be repeated (checkboxes). */
export function formList(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name]
  if (typeof v === 'string') return [v]
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string')
  return []
}

/** A block of text to copy (a secret, a token), with a copy button the script reveals. */
export function copyBlock(id: string, value: string, copyLabel: string, copiedLabel: string): Html {
  return html`<pre tabindex="0" class="console-pre console-token fr-p-2w fr-mb-1w" id="${id}">
${value}</pre>
    <button
      type="button"
      class="fr-btn fr-btn--secondary fr-btn--sm"
      data-copy="${id}"
      data-copied="${copiedLabel}"
      hidden
    >
      ${copyLabel}
    </button>
    <p class="fr-sr-only" id="${id}-status" aria-live="polite"></p>`
}
