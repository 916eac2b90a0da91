import type { Request } from 'express'

/** A form body read by {@link readForm}: each parameter once, empty ones dropped. */
export type FormResult =
  { ok: true; params: Record<string, string> } | { ok: false; description: string }

/** Largest body accepted on `/oauth/*`: a form with a sandbox token is under 2 KiB. */
export const FORM_LIMIT = '16kb'

const FORM_TYPE = /^application\/x-www-form-urlencoded(\s*;\s*charset="?utf-8"?)?\s*$/i

/**
 * Reads an OAuth request body (RFC 6749 §3.2): `application/x-www-form-urlencoded` only, UTF-8, every
 * parameter at most once, parameters without a value treated as omitted (§3.1), and nothing in the
 * query string (a secret in a URL ends up in logs). `req.body` is the raw `Buffer` from `express.raw`.
 */
export function readForm(req: Request): FormResult {
  if (req.url.includes('?')) {
    return {
      ok: false,
      description: 'parameters go in the form body, never in the URL query string',
    }
  }
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
  const type = req.headers['content-type']
  if (raw.length > 0 && (type === undefined || !FORM_TYPE.test(type))) {
    return {
      ok: false,
      description: `the body must be application/x-www-form-urlencoded (UTF-8), not ${type ?? 'untyped'}`,
    }
  }
  const text = raw.toString('utf8')
  if (text.includes('\uFFFD')) return { ok: false, description: 'the body is not valid UTF-8' }
  const params = Object.create(null) as Record<string, string>
  const seen = new Set<string>()
  for (const [key, value] of new URLSearchParams(text)) {
    if (seen.has(key))
      return { ok: false, description: `parameter ${key} is repeated; send each parameter once` }
    seen.add(key)
    if (value !== '') params[key] = value
  }
  return { ok: true, params }
}
