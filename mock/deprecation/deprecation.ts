import type { SandboxContext } from '../context.js'
import type { Contract, Operation } from '../contract/types.js'
import { sandboxNow, type Stage } from '../http/exchange.js'

/** What the sandbox says about a deprecated operation. */
export interface Deprecation {
  /** Date of the deprecation (RFC 9745 `Deprecation`), ms; absent when the contract gives none. */
  since?: number
  /** Date after which the operation stops answering (RFC 8594 `Sunset`), ms. */
  sunset?: number
  /** The operation to use instead, and its path. */
  replacement?: { id: string; method: string; path: string }
}

const date = (v: unknown): number | undefined => {
  if (typeof v !== 'string' && !(v instanceof Date)) return undefined
  const ms = v instanceof Date ? v.getTime() : Date.parse(v)
  return Number.isFinite(ms) ? ms : undefined
}

/**
 * The deprecated operations of a contract: `deprecated: true`, with dates from the operation's
 * `x-sandbox-deprecated-at` (or `x-deprecated-at`) and `x-sandbox-sunset` (or `x-sunset`) extensions,
 * and its replacement from `x-sandbox-replaced-by` (an operation id), else the same method on the same
 * path one API version up (`/v3/...` → `/v4/...`), as API Entreprise's v3 operations have their v4.
 */
export function findDeprecations(contract: Contract): Map<string, Deprecation> {
  const out = new Map<string, Deprecation>()
  const byId = new Map(contract.operations.map((o) => [o.id, o]))
  const byKey = new Map(contract.operations.map((o) => [`${o.method} ${o.path}`, o]))
  for (const op of contract.operations) {
    if (!op.deprecated) continue
    const x = op.extensions
    const since = date(x['x-sandbox-deprecated-at'] ?? x['x-deprecated-at'])
    const sunset = date(x['x-sandbox-sunset'] ?? x['x-sunset'])
    const named = x['x-sandbox-replaced-by']
    let replacement: Operation | undefined = typeof named === 'string' ? byId.get(named) : undefined
    if (!replacement) {
      const m = /\/v(\d+)\//.exec(op.path)
      for (let v = m ? Number(m[1]) + 1 : 0; m && v <= Number(m[1]) + 3 && !replacement; v++) {
        const candidate = byKey.get(`${op.method} ${op.path.replace(/\/v\d+\//, `/v${v}/`)}`)
        if (candidate && !candidate.deprecated) replacement = candidate
      }
    }
    out.set(op.id, {
      ...(since !== undefined ? { since } : {}),
      ...(sunset !== undefined ? { sunset } : {}),
      ...(replacement
        ? {
            replacement: { id: replacement.id, method: replacement.method, path: replacement.path },
          }
        : {}),
    })
  }
  return out
}

/** An RFC 9745 structured-field date: `@` and Unix seconds. */
const sfDate = (ms: number): string => `@${Math.floor(ms / 1000)}`

/**
 * Deprecation: a call to a deprecated operation is answered with `Deprecation` (RFC 9745: the
 * contract's date, else {@link DEFAULT_DEPRECATION_MS}), `Sunset` (RFC 8594) when a date is known, and
 * a `Link` to the successor; after the sunset on the client's clock it answers `410 Gone` when the
 * operator enforces sunsets (`enforceSunset`). The journal entry notes the successor, for the verdict.
 */
export function markDeprecated(ctx: SandboxContext, table: Map<string, Deprecation>): Stage {
  return (ex) => {
    const op = ex.operation
    const d = op ? table.get(op.id) : undefined
    if (!op || !d) return
    ex.headers.deprecation = sfDate(d.since ?? DEFAULT_DEPRECATION_MS)
    if (d.sunset !== undefined) ex.headers.sunset = new Date(d.sunset).toUTCString()
    if (d.replacement) ex.headers.link = `<${d.replacement.path}>; rel="successor-version"`
    ex.notes.deprecated = d.replacement
      ? `${d.replacement.method.toUpperCase()} ${d.replacement.path}`
      : 'no successor'
    if (d.sunset !== undefined) ex.notes.sunset = new Date(d.sunset).toISOString()
    if (ctx.options.enforceSunset && d.sunset !== undefined && sandboxNow(ex) >= d.sunset) {
      const day = new Date(d.sunset).toISOString().slice(0, 10)
      const successor = d.replacement
        ? `${d.replacement.method.toUpperCase()} ${d.replacement.path}`
        : undefined
      ex.reply = ctx.errors(op, 410, {
        title: 'Opération retirée',
        detail: `Cette opération est retirée depuis le ${day}${successor ? ` ; utilisez ${successor}` : ''}.`,
        english: `This operation was withdrawn on ${day}${successor ? `; use ${successor}` : ''}.`,
      })
    }
  }
}

/** Deprecation date sent when the contract gives none: 2026-01-01 (documented in docs/write-apis.md). */
export const DEFAULT_DEPRECATION_MS = Date.UTC(2026, 0, 1)
