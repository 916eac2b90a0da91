/** Markup already escaped (or written by the console itself): inserted as it is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for an element's content or a quoted attribute. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)

/** Marks trusted markup. Never pass it anything built from a request. */
export const raw = (markup: string): Html => new Html(markup)

type Value = Html | string | number | boolean | null | undefined | readonly Value[]

const render = (value: Value): string => {
  if (value === null || value === undefined || value === false || value === true) return ''
  if (value instanceof Html) return value.value
  if (Array.isArray(value)) return (value as readonly Value[]).map(render).join('')
  return escapeHtml(String(value))
}

/**
 * The console's only way to build markup: every interpolated value is escaped unless it is
 * {@link Html} (the result of another `html` template), so text from requests, the contract or the
 * journal can never become markup. `false`, `null` and `undefined` render as nothing, which keeps
 * conditions short: `${cond && html`...`}`.
 */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!
  return new Html(out)
}
