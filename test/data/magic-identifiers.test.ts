import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isValidSiren, isValidSiret } from '../../mock/data/identifiers.js'
import {
  findMagic,
  loadMagicIdentifiers,
  parseMagicIdentifiers,
} from '../../mock/data/magic-identifiers.js'

const BUNDLED = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../fixtures/magic-identifiers.yaml',
)

describe('magic identifiers', () => {
  it('bundles one Luhn-valid identifier per documented answer: 404, 451, 502, 503, 504, 409, 206 and a SIRET 404', async () => {
    const table = await loadMagicIdentifiers(BUNDLED)
    for (const e of table.entries) {
      expect(
        e.identifier.length === 9 ? isValidSiren(e.identifier) : isValidSiret(e.identifier),
      ).toBe(true)
      expect(e.description).not.toBe('')
    }
    const statuses = table.entries.map((e) => e.status)
    expect(statuses).toEqual(expect.arrayContaining([404, 451, 502, 503, 504, 409, 206]))
    expect(table.entries.some((e) => e.identifier.length === 14 && e.status === 404)).toBe(true)
    expect(table.byIdentifier.get('000000000')?.status).toBe(404)
  })

  it('matches a magic SIREN in any siren or siret parameter, and a SIRET through its SIREN', async () => {
    const table = await loadMagicIdentifiers(BUNDLED)
    expect(findMagic(table, { siren: '000004515' })?.status).toBe(451)
    expect(findMagic(table, { siren_or_rna: '000004515' })?.status).toBe(451)
    expect(findMagic(table, { siret: '00000451500012' })?.status).toBe(451)
    expect(findMagic(table, { siret_or_eori: ' 00000502500012 ' })?.status).toBe(502)
    expect(findMagic(table, { siren: '418166096' })).toBeUndefined()
    expect(findMagic(table, { recipient: '00000451500012' })).toBeUndefined()
  })

  it("prefers a SIRET's own entry to its SIREN's, and leaves the rest of that company alone", async () => {
    const table = parseMagicIdentifiers(`
identifiers:
  - { identifier: '000000000', status: 404, description: unknown company }
  - { identifier: '00000000000000', status: 503, description: maintenance for one establishment }
`)
    expect(findMagic(table, { siret: '00000000000000' })?.status).toBe(503)
    expect(findMagic(table, { siret: '00000000000018' })?.status).toBe(404)
    const bundled = await loadMagicIdentifiers(BUNDLED)
    expect(findMagic(bundled, { siret: '41816609699996' })?.status).toBe(404)
    expect(findMagic(bundled, { siret: '41816609600051' })).toBeUndefined()
  })

  it('rejects a bad file with an error naming the file and the entry at fault', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'magic-'))
    const cases: [string, RegExp][] = [
      [
        "identifiers:\n  - { identifier: '418166097', status: 404, description: d }\n",
        /entry 1 \(418166097\): .*Luhn/,
      ],
      [
        'identifiers:\n  - { identifier: 418166096, status: 404, description: d }\n',
        /entry 1 .*quoted string/,
      ],
      [
        "identifiers:\n  - { identifier: '000000000', status: 404, description: d }\n  - { identifier: '000000000', status: 451, description: d }\n",
        /entry 2 \(000000000\): identifier listed twice/,
      ],
      [
        "identifiers:\n  - { identifier: '000000000', status: 99, description: d }\n",
        /entry 1 \(000000000\): "status"/,
      ],
      [
        "identifiers:\n  - { identifier: '000000000', status: 404, code: 1003, description: d }\n",
        /"code"/,
      ],
      ["identifiers:\n  - { identifier: '000000000', status: 404 }\n", /"description"/],
      [
        "identifiers:\n  - { identifier: '000000000', status: 404, description: d, colour: red }\n",
        /unknown field\(s\) colour/,
      ],
      ['entries: []\n', /top-level "identifiers:"/],
      ['identifiers: [\n', /not valid YAML/],
    ]
    for (const [i, [text, message]] of cases.entries()) {
      const file = join(dir, `bad-${i}.yaml`)
      writeFileSync(file, text)
      await expect(loadMagicIdentifiers(file)).rejects.toThrow(
        new RegExp(`magic identifiers ${file}: .*${message.source}`),
      )
    }
    await expect(loadMagicIdentifiers(join(dir, 'missing.yaml'))).rejects.toThrow(
      /missing.yaml: cannot be read/,
    )
  })
})
