/** What a request asks for through `Prefer` (RFC 7240): a scenario by name, or Prism's `code=`. */
export interface ScenarioPreference {
  scenario?: string
  /** Prism's `Prefer: code=429`: answer with this status. */
  code?: string
}

const unquote = (v: string): string => (v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v)

/**
 * Reads `scenario=` and `code=` from `Prefer` headers: comma-separated preferences, each
 * `name[=value]` with optional `;parameters`, names case-insensitive (RFC 7240 §2).
 */
export function parsePrefer(header: string | string[] | undefined): ScenarioPreference {
  if (!header) return {}
  const out: ScenarioPreference = {}
  for (const line of Array.isArray(header) ? header : [header]) {
    for (const item of line.split(',')) {
      const [pref] = item.split(';')
      const eq = pref!.indexOf('=')
      if (eq < 0) continue
      const name = pref!.slice(0, eq).trim().toLowerCase()
      const value = unquote(pref!.slice(eq + 1).trim())
      if (name === 'scenario' && out.scenario === undefined) out.scenario = value
      if (name === 'code' && out.code === undefined) out.code = value
    }
  }
  return out
}
