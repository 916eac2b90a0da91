import { describe, expect, it } from 'vitest'
import type { JournalEntry } from '../../mock/journal/journal-entry.js'
import { toJournalLine, type JournalLine } from '../../mock/journal/journal-line.js'
import { makeEntry } from './make-entry.js'

const fromJournalLine = (line: JournalLine): JournalEntry => JSON.parse(line.json) as JournalEntry

describe('journal line', () => {
  it('holds exactly the entry, frozen lists spliced in from their cached JSON', () => {
    const fields = Object.freeze(['data.siren', 'data.denomination "quoted"', 'links.siege[]'])
    const withheld = Object.freeze(['data.personne_physique_attributs'])
    const entry = makeEntry({
      fields: fields as string[],
      withheld: withheld as string[],
      scopes: ['open_data'], // not frozen: serialised in place
      notes: { fixture: 'x.json' },
    })
    const line = toJournalLine(entry)
    expect(line.clientId).toBe('acme')
    expect(fromJournalLine(line)).toEqual(JSON.parse(JSON.stringify(entry)))
    expect(line.json).not.toContain('\n')
    // The entry itself is left as it was.
    expect(entry.fields).toBe(fields)
    // The same frozen list in another entry gives the same text.
    const again = toJournalLine(makeEntry({ fields: fields as string[] }))
    expect(again.json).toContain(`"fields":${JSON.stringify(fields)}`)
  })

  it('serialises every field, whatever the characters, as JSON.stringify does', () => {
    const awkward = 'quote " backslash \\ newline \n tab \t nul \u0000 sep \u2028 é 😀'
    const entry = makeEntry({
      status: 429,
      retryAfter: 12,
      retryIn: 0.5,
      path: `/p/${awkward}`,
      context: awkward,
      recipient: '13002526500013',
      object: awkward,
      origin: 'https://front.example',
      ref: { siren: '418166096', year: awkward },
      notes: { fixture: 'x.json', nested: { list: [1, 'two', null, { three: true }] }, n: -0.25 },
      banned: true,
      banUntil: '2026-11-22T10:00:00.000Z',
      stalled: true,
      singleUse: false,
      clientClosed: true,
      clientClosedAfterMs: 5001,
      jti: 'j-1',
      authMode: 'bearer',
      scopes: ['open_data'],
      privileges: Object.freeze(['open_data']) as string[],
    })
    const line = toJournalLine(entry)
    expect(line.json).not.toMatch(/\n/)
    expect(fromJournalLine(line)).toEqual(JSON.parse(JSON.stringify(entry)))
    // Absent fields stay absent.
    const plain = makeEntry()
    const back = fromJournalLine(toJournalLine(plain))
    expect(back).toEqual(JSON.parse(JSON.stringify(plain)))
    expect('code' in back || 'notes' in back || 'fields' in back).toBe(false)
  })

  it('never serves a stale list: an unfrozen list is serialised as it is now', () => {
    const fields = ['a']
    const entry = makeEntry({ fields })
    expect(fromJournalLine(toJournalLine(entry)).fields).toEqual(['a'])
    fields.push('b')
    expect(fromJournalLine(toJournalLine(entry)).fields).toEqual(['a', 'b'])
  })
})
