/**
 * What a field's name means in an English-language API (a developer platform, a payments API):
 * `login`, `avatar_url`, `email`, `created_at`, `sha`, `name`... Values come from the seeded English
 * faker and one person per object, so that `name`, `login` and `email` of a user agree.
 */
import type { Faker } from '@faker-js/faker'
import type { FieldRequest } from './generation-types.js'
import { writeDate, dateAround } from './values.js'

interface Someone {
  first: string
  last: string
  login: string
  id: number
}

function someoneFor(req: FieldRequest): Someone {
  // One person per object being built (its `name`, `login` and `email` agree).
  const holder: unknown =
    req.ctx.objects[req.ctx.objects.length - 1] ?? `en-person:${req.ctx.path.join('/')}`
  let who = req.ctx.locals.get(holder) as Someone | undefined
  if (!who || typeof who.first !== 'string') {
    const f = req.ctx.faker
    const first = f.person.firstName()
    const last = f.person.lastName()
    who = {
      first,
      last,
      login:
        `${first}${last}`
          .toLowerCase()
          .replace(/[^a-z0-9]/g, '')
          .slice(0, 20) || 'octocat',
      id: f.number.int({ min: 1000, max: 99_999_999 }),
    }
    req.ctx.locals.set(holder, who)
  }
  return who
}

const hex = (f: Faker, n: number): string =>
  f.string.hexadecimal({ length: n, casing: 'lower', prefix: '' })

/** Suggestions for a field of an English-language contract, best first; `undefined` when none. */
export function englishHints(req: FieldRequest): unknown[] | undefined {
  const k = req.key.toLowerCase()
  const f = req.ctx.faker
  const node = req.node
  if (/(^|_)(sha|commit_id|commit_sha|head_sha|base_sha|tree_sha)$/.test(k)) return [hex(f, 40)]
  if (k === 'gravatar_id') return ['', hex(f, 32)]
  if (k === 'node_id')
    return [Buffer.from(`${f.string.alphanumeric(4)}:${f.number.int(1e8)}`).toString('base64')]
  if (
    /(^|_)(at|date|time|timestamp)$|^(created|updated|deleted|closed|merged|pushed|expires)(_on)?$/.test(
      k,
    )
  )
    return [writeDate(dateAround(f, 3), node)]
  const who = someoneFor(req)
  if (/^(login|username|user_name|handle|screen_name|nickname)$/.test(k)) return [who.login]
  if (/avatar(_url)?$|^(picture|photo_url|image_url)$/.test(k))
    return [`https://avatars.example.com/u/${who.id}?v=4`]
  if (/(^|_)email(_address)?$/.test(k)) return [`${who.login}@example.com`]
  if (k === 'first_name' || k === 'given_name' || k === 'firstname') return [who.first]
  if (k === 'last_name' || k === 'family_name' || k === 'surname' || k === 'lastname')
    return [who.last]
  if (k === 'name' || k === 'full_name' || k === 'display_name')
    return req.siblings.some((s) => /login|email|avatar|first_name/.test(s))
      ? [`${who.first} ${who.last}`]
      : [f.commerce.productName(), f.company.name()]
  if (k === 'company' || k === 'organization' || k === 'org_name') return [f.company.name()]
  if (/^(location|city)$/.test(k)) return [f.location.city()]
  if (k === 'country') return [f.location.country()]
  if (/(^|_)(phone|phone_number|mobile)$/.test(k))
    return [f.phone.number({ style: 'international' })]
  if (/(^|_)url$|^(href|link|homepage|website|blog)$/.test(k))
    return [
      `https://example.com/${who.login}/${f.string.alphanumeric({ length: 6, casing: 'lower' })}`,
    ]
  if (/(^|_)(currency)$/.test(k)) return ['usd', 'USD', 'eur']
  return undefined
}
