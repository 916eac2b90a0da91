import { describe, expect, it } from 'vitest'
import { fromJournalLine, toJournalLine } from '../../mock/journal/journal-line.js'
import { makeEntry } from './make-entry.js'

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

  it('serialises an entry without lists as JSON.stringify does', () => {
    const entry = makeEntry({ status: 429, retryAfter: 12 })
    expect(toJournalLine(entry).json).toBe(JSON.stringify(entry))
  })

  it('never serves a stale list: an unfrozen list is serialised as it is now', () => {
    const fields = ['a']
    const entry = makeEntry({ fields })
    expect(fromJournalLine(toJournalLine(entry)).fields).toEqual(['a'])
    fields.push('b')
    expect(fromJournalLine(toJournalLine(entry)).fields).toEqual(['a', 'b'])
  })
})
