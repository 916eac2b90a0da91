import type { Operation } from '../contract/types.js'

/** How a list operation pages, read from its query parameters. */
export interface PagingStyle {
  page?: string
  size?: string
  offset?: string
  cursor?: string
  defaultSize: number
  maxSize: number
}

const PAGE = /^(page|page_number|pageNumber|numero_page|pageIndex)$/
const SIZE = /^(per_page|perPage|par_page|page_size|pageSize|size|limit|taille|taille_page|count)$/
const OFFSET = /^(offset|start|skip|debut)$/
const CURSOR = /^(cursor|after|starting_after|page_token|pageToken|curseur|next)$/

/** The pagination parameters a list operation declares (page/size, offset/limit or cursor). */
export function pagingStyle(op: Operation): PagingStyle {
  const style: PagingStyle = { defaultSize: 20, maxSize: 100 }
  for (const p of op.parameters) {
    if (p.in !== 'query') continue
    if (PAGE.test(p.name)) style.page = p.name
    else if (SIZE.test(p.name)) {
      style.size = p.name
      if (typeof p.schema.default === 'number') style.defaultSize = p.schema.default
      if (typeof p.schema.maximum === 'number') style.maxSize = p.schema.maximum
    } else if (OFFSET.test(p.name)) style.offset = p.name
    else if (CURSOR.test(p.name)) style.cursor = p.name
  }
  return style
}

/** The names a page's facts go by in list envelopes. */
const FACTS: Array<[RegExp, keyof PageFacts]> = [
  [
    /^(total|total_count|totalCount|total_items|totalItems|nombre_total|total_results|totalResults)$/,
    'total',
  ],
  [/^(page|current_page|currentPage|page_number|pageNumber)$/, 'page'],
  [/^(per_page|perPage|par_page|page_size|pageSize|size|limit)$/, 'size'],
  [/^(offset|start)$/, 'offset'],
  [/^(total_pages|totalPages|pages|nombre_pages)$/, 'pages'],
  [/^(has_more|hasMore|has_next|hasNext)$/, 'hasMore'],
  [/^(next|next_cursor|nextCursor|next_page_token|nextPageToken|curseur_suivant)$/, 'next'],
]

export interface PageFacts {
  total: number
  page: number
  size: number
  offset: number
  pages: number
  hasMore: boolean
  /** Cursor or URL of the next page; absent on the last page. */
  next?: string
}

/** Which slice of the list a request asks for; `undefined` with a cursor that is not ours. */
export function pageWindow(
  style: PagingStyle,
  query: Record<string, string | string[] | undefined>,
): { offset: number; size: number } | undefined {
  const one = (name?: string): string | undefined => {
    const v = name ? query[name] : undefined
    return Array.isArray(v) ? v[0] : v
  }
  const size = Math.min(
    style.maxSize,
    Math.max(1, Number(one(style.size) ?? style.defaultSize) || style.defaultSize),
  )
  const cursor = one(style.cursor)
  if (cursor !== undefined) {
    const m = /^o(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString())
    return m ? { offset: Number(m[1]), size } : undefined
  }
  if (style.offset && one(style.offset) !== undefined)
    return { offset: Math.max(0, Number(one(style.offset)) || 0), size }
  const page = Math.max(1, Number(one(style.page) ?? 1) || 1)
  return { offset: (page - 1) * size, size }
}

/** The cursor that resumes a list at `offset`. */
export const cursorAt = (offset: number): string => Buffer.from(`o${offset}`).toString('base64url')

/**
 * Writes a page's facts into a generated list envelope, wherever its properties name them (`total`,
 * `meta.page`, `pagination.par_page`, `links.next`...), and removes a `next` there is no page for.
 */
export function fillPageFacts(body: unknown, facts: PageFacts, depth = 0): void {
  if (!body || typeof body !== 'object' || Array.isArray(body) || depth > 3) return
  const o = body as Record<string, unknown>
  for (const key of Object.keys(o)) {
    const fact = FACTS.find(([re]) => re.test(key))?.[1]
    if (fact) {
      const value = facts[fact]
      if (value === undefined) delete o[key]
      else if (typeof o[key] !== 'object' || o[key] === null) o[key] = value
      continue
    }
    if (/^(prev|previous|first|last|self)$/.test(key) && typeof o[key] === 'string') {
      delete o[key]
      continue
    }
    fillPageFacts(o[key], facts, depth + 1)
  }
}

/** The first array in an envelope (the root, or a property up to two levels down): where items go. */
export function findItems(
  body: unknown,
  depth = 0,
): { holder: Record<string, unknown>; key: string } | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body) || depth > 2) return undefined
  const o = body as Record<string, unknown>
  for (const [key, v] of Object.entries(o)) if (Array.isArray(v)) return { holder: o, key }
  for (const v of Object.values(o)) {
    const found = findItems(v, depth + 1)
    if (found) return found
  }
  return undefined
}
