import type { Operation } from './types.js'

/** Query parameters that say why a call is made, not what it asks for: they never change the data. */
export const TRACEABILITY_PARAMS: ReadonlySet<string> = new Set(['context', 'recipient', 'object'])

/** What a request carries that can name data: its path values and its query string. */
export interface RequestValues {
  readonly pathParams: Readonly<Record<string, string>>
  readonly query: Readonly<Record<string, string | string[] | undefined>>
}

/** The parameters that identify the data asked for: path values and non-traceability query values. */
export function dataParams(op: Operation, req: RequestValues): Record<string, string> {
  const params: Record<string, string> = { ...req.pathParams }
  for (const p of op.parameters) {
    if (p.in !== 'query' || TRACEABILITY_PARAMS.has(p.name)) continue
    const v = req.query[p.name]
    if (v !== undefined) params[p.name] = Array.isArray(v) ? v.join(',') : v
  }
  return params
}
