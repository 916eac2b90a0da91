import { Agent, get } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import type { Wire } from '../../mock/http/wire.js'
import type { JournalEntry as StoredEntry } from '../../mock/journal/journal-entry.js'

/** An entry as the admin API gives it (snake_case). */
type JournalEntry = Wire<StoredEntry>
import { basic, startSandbox, TRACE, type Harness } from '../clients/sandbox-harness.js'
import { tempFiles } from '../helpers/temp-files.js'

const UL = '/v3/insee/sirene/unites_legales'
let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

async function journal(
  harness: Harness,
  query = '',
): Promise<{ entries: JournalEntry[]; next: string | null }> {
  const res = await fetch(`${harness.url}/__sandbox/journal?${query}`, { headers: harness.admin })
  expect(res.status).toBe(200)
  return (await res.json()) as { entries: JournalEntry[]; next: string | null }
}

async function allEntries(harness: Harness, query = ''): Promise<JournalEntry[]> {
  const out: JournalEntry[] = []
  let cursor: string | null = ''
  do {
    const page = await journal(harness, `${query}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`)
    out.push(...page.entries)
    cursor = page.next
  } while (cursor)
  return out
}

describe('journal of the API pipeline', () => {
  it('holds exactly one entry per request under concurrent load, held ones included', async () => {
    // Banned connections are closed at once (holdFor 0) so that the test does not wait for them.
    h = await startSandbox({ ban: { holdFor: 0 } })
    const acme = await h.createClient('acme', {
      privileges: ['unites_legales_etablissements_insee'],
    })
    const banned = await h.createClient('banned', {
      privileges: ['unites_legales_etablissements_insee'],
    })
    const token = await h.token(acme)
    const bannedToken = await h.token(banned)
    await fetch(`${h.url}${UL}/418166096?${TRACE}`, {
      headers: { authorization: `Bearer ${bannedToken}`, prefer: 'scenario=ip-ban' },
    }).catch(() => undefined)
    const kinds = [
      () =>
        fetch(`${h!.url}${UL}/418166096?${TRACE}`, {
          headers: { authorization: `Bearer ${token}` },
        }),
      () => fetch(`${h!.url}${UL}/418166096?${TRACE}`),
      () => fetch(`${h!.url}/no/such/route`),
      () => fetch(`${h!.url}${UL}/123?${TRACE}`, { headers: { authorization: `Bearer ${token}` } }),
      () =>
        fetch(`${h!.url}${UL}/552100554?${TRACE}`, {
          headers: { authorization: `Bearer ${bannedToken}` },
        }),
    ]
    const N = 250
    const outcomes = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        kinds[i % kinds.length]!().then(
          (r) => r.status,
          () => 'no answer',
        ),
      ),
    )
    expect(outcomes.filter((o) => o === 'no answer')).toHaveLength(N / kinds.length)
    const api = (await allEntries(h, 'kind=api')).slice(1) // the first one is the call that earned the ban
    expect(api).toHaveLength(N)
    expect(new Set(api.map((e) => e.id)).size).toBe(N)
    const held = api.filter((e) => e.banned)
    expect(held).toHaveLength(N / kinds.length)
    expect(held[0]).toMatchObject({
      client_id: 'banned',
      outcome: 'server-closed',
      stalled: true,
      client_closed: false,
    })
    expect(held[0]!.status).toBeUndefined()
    expect(api.filter((e) => e.status === 401)).toHaveLength(N / kinds.length)
  })

  it('records who, what, why and how for an answered call, never the token', async () => {
    h = await startSandbox()
    const acme = await h.createClient('acme', {
      privileges: ['unites_legales_etablissements_insee'],
    })
    const token = await h.token(acme)
    await fetch(`${h.url}${UL}/418166096?${TRACE}`, {
      headers: { authorization: `Bearer ${token}`, origin: 'https://front.example' },
    })
    const [issued] = (await journal(h, 'client=acme&kind=token')).entries
    const [call] = (await journal(h, 'client=acme&kind=api')).entries
    expect(issued).toMatchObject({
      kind: 'token',
      client_id: 'acme',
      path: '/oauth/token',
      single_use: false,
    })
    expect(call).toMatchObject({
      kind: 'api',
      client_id: 'acme',
      jti: issued!.jti,
      auth_mode: 'bearer',
      method: 'GET',
      path: `${UL}/418166096`,
      operation: 'api_entreprise_v3_insee_unites_legales',
      privileges: ['unites_legales_etablissements_insee'],
      rate_group: 'json',
      ref: { siren: '418166096' },
      context: 'Marchés publics',
      recipient: '13002526500013',
      object: 'marché 127',
      status: 200,
      outcome: 'answered',
      client_closed: false,
      origin: 'https://front.example',
      withheld: ['data.personne_physique_attributs'],
    })
    expect(call!.bytes).toBeGreaterThan(500)
    expect(call!.fields).toContain('data.siren')
    expect(JSON.stringify(call)).not.toContain(token)
  })

  it('gives each answer on a kept-alive connection its own entry and its own bytes', async () => {
    h = await startSandbox()
    const acme = await h.createClient('acme', {
      privileges: ['unites_legales_etablissements_insee'],
    })
    const token = await h.token(acme)
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const reused: boolean[] = []
    try {
      for (const siren of ['418166096', '418166096', '552100554']) {
        await new Promise<void>((done, fail) => {
          const req = get(
            `${h!.url}${UL}/${siren}?${TRACE}`,
            { agent, headers: { authorization: `Bearer ${token}` } },
            (res) => {
              reused.push(req.reusedSocket)
              res.resume().on('end', done).on('error', fail)
            },
          )
          req.on('error', fail)
        })
      }
    } finally {
      agent.destroy()
    }
    expect(reused).toEqual([false, true, true])
    const calls = (await journal(h, 'client=acme&kind=api')).entries
    expect(calls.map((c) => [c.ref?.siren, c.status, c.outcome])).toEqual([
      ['418166096', 200, 'answered'],
      ['418166096', 200, 'answered'],
      ['552100554', 200, 'answered'],
    ])
    // The same answer twice: the same bytes, not a running total of the connection.
    expect(calls[1]!.bytes).toBe(calls[0]!.bytes)
    expect(calls[2]!.bytes).toBeGreaterThan(500)
    expect(calls[2]!.bytes).toBeLessThan(2 * calls[0]!.bytes)
  })

  it('records only its own calls when two sandboxes share a process', async () => {
    h = await startSandbox()
    const other = await startSandbox()
    try {
      await fetch(`${other.url}${UL}/418166096?${TRACE}`)
      await fetch(`${other.url}/no/such/route`)
      await fetch(`${h.url}/no/such/route`)
      const mine = (await journal(h, 'kind=api')).entries
      const theirs = (await journal(other, 'kind=api')).entries
      expect(mine.map((e) => e.path)).toEqual(['/no/such/route'])
      expect(theirs.map((e) => e.path)).toEqual([`${UL}/418166096`, '/no/such/route'])
    } finally {
      await other.close()
    }
  })

  it('records that the client closed the connection before the answer, and after how long', async () => {
    const scenarios = tempFiles({
      'hang-always.yaml': 'description: never answers\nrules:\n  - effect: { type: hang }\n',
    })
    // The sandbox's clock is the test's: the span it records is the one the test lets pass.
    let now = Date.UTC(2030, 0, 15, 9, 0, 0)
    h = await startSandbox({ scenarios, now: () => now })
    const acme = await h.createClient('acme', {
      privileges: ['unites_legales_etablissements_insee'],
    })
    const token = await h.token(acme)
    const holder = h.sandbox.context.traffic.holder
    const aborted = new AbortController()
    const call = fetch(`${h.url}${UL}/418166096?${TRACE}`, {
      headers: { authorization: `Bearer ${token}`, prefer: 'scenario=hang-always' },
      signal: aborted.signal,
    }).catch((e: unknown) => e)
    // The client gives up once the sandbox holds the call, 1.234 s later on the sandbox's clock.
    await expect.poll(() => holder.held, { timeout: 20_000, interval: 10 }).toBe(1)
    now += 1234
    aborted.abort()
    expect(await call).toBeInstanceOf(Error)
    await expect
      .poll(async () => (await journal(h!, 'client=acme&kind=api')).entries.length, {
        timeout: 20_000,
      })
      .toBe(1)
    const [entry] = (await journal(h, 'client=acme&kind=api')).entries
    expect(entry).toMatchObject({
      outcome: 'client-closed',
      client_closed: true,
      client_closed_after_ms: 1234,
      stalled: true,
      scenario: 'hang-always',
    })
    expect(entry!.status).toBeUndefined()
    expect(holder.held).toBe(0)
  })

  it('filters by client, operation, status and time, and pages with a cursor', async () => {
    h = await startSandbox()
    const acme = await h.createClient('acme', {
      privileges: ['unites_legales_etablissements_insee'],
    })
    const token = await h.token(acme)
    const from = Date.now()
    for (let i = 0; i < 7; i++)
      await fetch(`${h.url}${UL}/418166096?${TRACE}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    for (let i = 0; i < 3; i++) await fetch(`${h.url}${UL}/418166096?${TRACE}`)
    const first = await journal(
      h,
      `client=acme&status=2xx&operation=api_entreprise_v3_insee_unites_legales&from=${from}&limit=3`,
    )
    expect(first.entries).toHaveLength(3)
    expect(first.entries.every((e) => e.status === 200)).toBe(true)
    const pages = [first.entries]
    let next = first.next
    while (next) {
      const page = await journal(h, `client=acme&status=2xx&limit=3&cursor=${next}`)
      pages.push(page.entries)
      next = page.next
    }
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1])
    expect((await journal(h, 'status=401')).entries).toHaveLength(3)
    expect((await journal(h, `to=${from}&kind=api`)).entries).toHaveLength(0)
    const bad = await fetch(`${h.url}/__sandbox/journal?status=teapot`, { headers: h.admin })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/status must be/)
  })

  it('lets a client read its own entries with its credentials, and no one else’s', async () => {
    h = await startSandbox()
    const acme = await h.createClient('acme', {
      privileges: ['unites_legales_etablissements_insee'],
    })
    const other = await h.createClient('other', {
      privileges: ['unites_legales_etablissements_insee'],
    })
    await h.token(acme)
    await h.token(other)
    const own = await fetch(`${h.url}/__sandbox/journal?kind=token`, {
      headers: { authorization: basic(acme) },
    })
    expect(own.status).toBe(200)
    const entries = ((await own.json()) as { entries: JournalEntry[] }).entries
    expect(entries.map((e) => e.client_id)).toEqual(['acme'])
    const theirs = await fetch(`${h.url}/__sandbox/journal?client=other`, {
      headers: { authorization: basic(acme) },
    })
    expect(theirs.status).toBe(403)
    expect((await fetch(`${h.url}/__sandbox/journal`)).status).toBe(401)
  })

  it('exports the matching entries as JSON Lines or CSV', async () => {
    h = await startSandbox()
    const acme = await h.createClient('acme', {
      privileges: ['unites_legales_etablissements_insee'],
    })
    const token = await h.token(acme)
    for (let i = 0; i < 3; i++)
      await fetch(`${h.url}${UL}/418166096?${TRACE}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    const jsonl = await fetch(`${h.url}/__sandbox/journal?client=acme&kind=api&format=jsonl`, {
      headers: h.admin,
    })
    expect(jsonl.headers.get('content-type')).toMatch(/application\/x-ndjson/)
    expect(jsonl.headers.get('content-disposition')).toBe(
      'attachment; filename="journal-acme.jsonl"',
    )
    const lines = (await jsonl.text()).trimEnd().split('\n')
    expect(lines.map((l) => (JSON.parse(l) as JournalEntry).status)).toEqual([200, 200, 200])
    const csv = await fetch(`${h.url}/__sandbox/journal?client=acme&kind=api&format=csv`, {
      headers: h.admin,
    })
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/)
    const rows = (await csv.text()).trimEnd().split('\r\n')
    expect(rows).toHaveLength(4)
    expect(rows[0]).toMatch(/^id,kind,at,sandbox_at,client_id,/)
  })
})
