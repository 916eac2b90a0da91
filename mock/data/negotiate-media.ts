/**
 * Which of the media types an operation's answer declares the request gets (content negotiation on
 * `Accept`), and what a 406 says when it accepts none of them.
 */
import type { ApiErrorSpec } from '../contract/error-body.js'
import type { MediaSpec, Operation } from '../contract/types.js'
import { essence, negotiate } from './media-body.js'

/**
 * The declared media to answer `status` of `op` in: `undefined` for the plain JSON answer (a single
 * `application/json`, no content or only wildcards declared), `null` when `Accept` excludes every declared type.
 */
export function chooseMedia(
  op: Operation,
  status: string,
  accept: string | undefined,
): MediaSpec | null | undefined {
  // `*/*` or `text/*` declared says "anything": the plain JSON answer.
  const media = (op.responses[status]?.media ?? []).filter((m) => !m.type.includes('*'))
  if (media.length === 0) return undefined
  const chosen = negotiate(
    accept,
    media.map((m) => m.type),
  )
  if (chosen === null) return null
  const spec = media.find((m) => m.type === chosen)!
  return essence(spec.type) === 'application/json' ? undefined : spec
}

/** The 406's message: what the client accepts and what the operation can answer. */
export function notAcceptable(op: Operation, status: string): ApiErrorSpec {
  const types = (op.responses[status]?.media ?? []).map((m) => m.type).join(', ')
  return {
    detail: `Aucun des types acceptés (en-tête Accept) n'est proposé par cette opération : ${types}.`,
    english: `None of the media types in the Accept header is available for this operation: ${types}.`,
  }
}
