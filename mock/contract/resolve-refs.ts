/**
 * Resolves every `$ref` of an OpenAPI document in place, whatever its form: local (`#/...`), another
 * file (`schemas/user.yaml#/User`, relative to the file that holds the `$ref`) or a URL. Each
 * reference is replaced by the object it points to, shared, so that a recursive schema (A → B → A,
 * or A → A) becomes a cycle of objects: no depth limit, no copy. Literal values are never read as
 * references: `example`, the `value` of an Example Object, a schema's `examples` array, `default`,
 * `const`, `enum` and every `x-` extension keep any `$ref` key they hold as data. A `$ref` written
 * beside other schema keywords (allowed by OpenAPI 3.1) becomes `allOf: [target]` with them.
 * A reference that does not resolve is reported with the file and JSON pointer where it is written.
 */
import { fileURLToPath, pathToFileURL } from 'node:url'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A `$ref` that cannot be followed: where it is written (file, pointer) and why. */
export class RefError extends Error {
  constructor(
    readonly file: string,
    readonly pointer: string,
    readonly reason: string,
  ) {
    super(`at ${pointer || '/'}${file ? ` (${file})` : ''}: ${reason}`)
  }
}

/** Reads and parses another document of the contract (a file path or an http(s) URL). */
export type DocumentLoader = (location: string) => Promise<unknown>

/** Thrown by a {@link DocumentLoader} that will not read a document: its message is the whole reason. */
export class DocumentRefused extends Error {}

const isRemote = (url: string): boolean => /^https?:/i.test(url)

/** Keys under which every key is a name chosen by the author, not a keyword. */
const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'dependentSchemas',
  'paths',
  'webhooks',
  'schemas',
  'responses',
  'parameters',
  'requestBodies',
  'headers',
  'securitySchemes',
  'links',
  'callbacks',
  'pathItems',
  'content',
  'encoding',
  'variables',
])

/** Keywords whose value is data, never a schema or an OpenAPI object. */
const LITERAL_KEYS = new Set(['example', 'default', 'const', 'enum'])

/** Schema keywords that make a `$ref`'s siblings worth keeping (`nullable`, `readOnly`, bounds...). */
const SCHEMA_SIBLINGS =
  /^(type|nullable|readOnly|writeOnly|deprecated|format|enum|const|default|example|examples|minimum|maximum|exclusiveMinimum|exclusiveMaximum|minLength|maxLength|pattern|minItems|maxItems|items|prefixItems|properties|required|additionalProperties|allOf|oneOf|anyOf|not|discriminator)$/

const unescape = (token: string): string => {
  let t = token
  try {
    t = decodeURIComponent(token)
  } catch {
    // Not percent-encoded: read as written.
  }
  return t.replace(/~1/g, '/').replace(/~0/g, '~')
}
const escape = (key: string): string =>
  key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key

/**
 * Resolves the `$ref`s of `root`, the parsed document of `file` (a path), in place, and returns it.
 * `load` reads the other files or URLs the document points to (each once).
 */
export async function resolveRefs(file: string, root: Obj, load: DocumentLoader): Promise<Obj> {
  const rootUrl = pathToFileURL(file).href
  const docs = new Map<string, unknown>([[rootUrl, root]])
  const done = new WeakSet<object>()
  // Objects still to walk, each with the document it belongs to and its pointer there.
  const queue: Array<{ node: unknown; url: string; pointer: string; names: boolean }> = [
    { node: root, url: rootUrl, pointer: '', names: false },
  ]
  // References into documents not read yet: retried once those are read (all at once, in parallel).
  let waiting: Array<{ holder: Obj | unknown[]; key: string | number; data: boolean }> = []
  const wanted = new Map<string, { from: string; at: string; ref: string }>()
  const where = new WeakMap<object, { url: string; pointer: string }>()

  const shown = (url: string): string => (url.startsWith('file:') ? fileURLToPath(url) : url)

  /** The object a reference points to, following references met on the way and chained ones. */
  const target = (
    ref: string,
    url: string,
    at: string,
  ): { node: unknown; url: string; pointer: string } | undefined => {
    const seen = new Set<string>()
    let current = { ref, url }
    for (;;) {
      const hash = current.ref.indexOf('#')
      const address = hash === -1 ? current.ref : current.ref.slice(0, hash)
      const fragment = hash === -1 ? '' : current.ref.slice(hash + 1)
      let docUrl: string
      try {
        docUrl = address ? new URL(address, current.url).href : current.url
      } catch {
        throw new RefError(shown(url), at, `$ref "${ref}" is not a valid reference`)
      }
      // A downloaded document does not get to read this machine's files.
      if (isRemote(current.url) && !isRemote(docUrl))
        throw new RefError(
          shown(url),
          at,
          `$ref "${current.ref}" in the downloaded document ${current.url} points to a local file; only the contract's own files may`,
        )
      if (fragment && !fragment.startsWith('/'))
        throw new RefError(
          shown(url),
          at,
          `$ref "${ref}": only JSON pointers (#/...) are supported, not anchors (#${fragment})`,
        )
      const key = `${docUrl}#${fragment}`
      if (seen.has(key))
        throw new RefError(shown(url), at, `$ref "${ref}" is a loop of references to references`)
      seen.add(key)
      if (!docs.has(docUrl)) {
        if (!wanted.has(docUrl)) wanted.set(docUrl, { from: url, at, ref: current.ref })
        return undefined
      }
      let node = docs.get(docUrl)
      let nodeUrl = docUrl
      let walked = ''
      for (const raw of fragment ? fragment.slice(1).split('/') : []) {
        // A reference met on the way is followed first (`#/components/schemas/A/properties/b`).
        for (let hops = 0; isObj(node) && typeof node.$ref === 'string'; hops++) {
          if (hops > 50) throw new RefError(shown(url), at, `$ref "${ref}" does not end`)
          const next = target(node.$ref, nodeUrl, walked)
          if (!next) return undefined
          node = next.node
          nodeUrl = next.url
        }
        const token = unescape(raw)
        if (
          node === null ||
          typeof node !== 'object' ||
          !Object.prototype.hasOwnProperty.call(node, token)
        ) {
          throw new RefError(
            shown(url),
            at,
            `$ref "${ref}" points to nothing: ${shown(docUrl)} has no ${walked}/${escape(token)}`,
          )
        }
        node = (node as Obj)[token]
        walked += `/${escape(token)}`
      }
      if (isObj(node) && typeof node.$ref === 'string' && Object.keys(node).length === 1) {
        current = { ref: node.$ref, url: nodeUrl }
        continue
      }
      return { node, url: nodeUrl, pointer: walked }
    }
  }

  /**
   * Replaces `holder[key]`, a `$ref` object, by what it stands for; `data` when it is an Example
   * Object (nothing inside to walk). Waits, unchanged, when its document is not read yet.
   */
  const resolveAt = (
    holder: Obj | unknown[],
    key: string | number,
    url: string,
    pointer: string,
    data: boolean,
  ): void => {
    const obj = (holder as Record<string | number, unknown>)[key] as Obj
    const found = target(obj.$ref as string, url, pointer)
    if (!found) {
      where.set(obj, { url, pointer })
      waiting.push({ holder, key, data })
      return
    }
    let value = found.node
    if (!data) {
      if (typeof value === 'object' && value !== null && !done.has(value)) {
        queue.push({ node: value, url: found.url, pointer: found.pointer, names: false })
      }
      const siblings = Object.keys(obj).filter((k) => k !== '$ref')
      if (siblings.some((k) => SCHEMA_SIBLINGS.test(k))) {
        // `$ref` beside schema keywords: both apply (3.1), written the way 3.0 tools understand.
        const wrapped: Obj = { ...obj, allOf: [found.node] }
        delete wrapped.$ref
        queue.push({ node: wrapped, url, pointer, names: false })
        value = wrapped
      }
    }
    ;(holder as Record<string | number, unknown>)[key] = value
  }

  const walk = (): void => {
    while (queue.length > 0) {
      const { node, url, pointer, names } = queue.pop()!
      if (typeof node !== 'object' || node === null || done.has(node)) continue
      done.add(node)
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) {
          const item: unknown = node[i]
          if (typeof item !== 'object' || item === null) continue
          if (isObj(item) && typeof item.$ref === 'string')
            resolveAt(node, i, url, `${pointer}/${i}`, false)
          else queue.push({ node: item, url, pointer: `${pointer}/${i}`, names: false })
        }
        continue
      }
      const obj = node as Obj
      for (const key of Object.keys(obj)) {
        const value = obj[key]
        if (typeof value !== 'object' || value === null) continue
        const at = `${pointer}/${escape(key)}`
        if (!names) {
          if (LITERAL_KEYS.has(key) || key.startsWith('x-')) continue
          if (key === 'examples') {
            // A schema's `examples` (an array) is data; OpenAPI's `examples` map holds Example
            // Objects, which may be references, and whose `value` is data.
            if (isObj(value)) {
              for (const [name, example] of Object.entries(value)) {
                if (isObj(example) && typeof example.$ref === 'string')
                  resolveAt(value, name, url, `${at}/${escape(name)}`, true)
              }
            }
            continue
          }
        }
        // `properties: {$ref: '...'}` alone is a reference to a map of properties (a property named
        // `$ref` would hold a schema, not a string); beside other properties, it is a property.
        if (
          isObj(value) &&
          typeof value.$ref === 'string' &&
          (names || key !== 'properties' || Object.keys(value).length === 1)
        ) {
          resolveAt(obj, key, url, at, false)
          continue
        }
        queue.push({ node: value, url, pointer: at, names: !names && NAME_MAPS.has(key) })
      }
    }
  }

  for (;;) {
    walk()
    if (waiting.length === 0) break
    // Every document asked for in this round, read in parallel, then the waiting references retried.
    const round = [...wanted].filter(([url]) => !docs.has(url))
    wanted.clear()
    await Promise.all(
      round.map(async ([url, { from, at, ref }]) => {
        try {
          docs.set(url, await load(shown(url)))
        } catch (cause) {
          throw new RefError(
            shown(from),
            at,
            cause instanceof DocumentRefused
              ? `$ref "${ref}": ${cause.message}`
              : `the document ${shown(url)} cannot be read (${(cause as Error).message})`,
          )
        }
      }),
    )
    const retry = waiting
    waiting = []
    for (const { holder, key, data } of retry) {
      const obj = (holder as Record<string | number, unknown>)[key] as Obj
      const place = where.get(obj)!
      resolveAt(holder, key, place.url, place.pointer, data)
    }
  }
  return root
}
