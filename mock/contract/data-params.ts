import { readQuery } from './parameter-styles.js'
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
    // Read as the parameter's style writes it: `filter[type]=user` (deepObject) is `filter[type]`.
    const v = readQuery(p, req.query)
    if (v === undefined) continue
    if (typeof v === 'string' || Array.isArray(v)) params[p.name] = listText(v)
    else for (const k of Object.keys(v).sort()) params[`${p.name}[${k}]`] = listText(v[k]!)
  }
  return params
}

const listText = (v: string | string[]): string => (Array.isArray(v) ? v.join(',') : v)
