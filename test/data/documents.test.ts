import { describe, expect, it } from 'vitest'
import { companyFor } from '../../mock/data/company.js'
import {
  documentPath,
  documentUrl,
  parseDocumentPath,
  renderDocument,
} from '../../mock/data/documents.js'
import { renderPdf } from '../../mock/data/pdf.js'

/** Checks the structure a PDF reader relies on: header, objects at their xref offsets, trailer. */
function checkPdf(pdf: Buffer): void {
  const text = pdf.toString('latin1')
  expect(text.startsWith('%PDF-1.4\n')).toBe(true)
  expect(text.endsWith('%%EOF\n')).toBe(true)
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1])
  expect(text.slice(startxref, startxref + 4)).toBe('xref')
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref))!
  expect(first).toBe('0')
  const table = text
    .slice(startxref)
    .split('\n')
    .slice(2, 2 + Number(count))
  table.slice(1).forEach((entry, i) => {
    expect(entry).toMatch(/^\d{10} 00000 n\r$/)
    const offset = Number(entry.slice(0, 10))
    expect(text.slice(offset, offset + 8)).toBe(`${i + 1} 0 obj\n`)
  })
  const stream = /\/Length (\d+) >>\nstream\n/.exec(text)!
  const start = stream.index + stream[0].length
  expect(text.slice(start + Number(stream[1]), start + Number(stream[1]) + 10)).toBe('\nendstream')
}

describe('documents', () => {
  it('writes a valid one-page PDF with a correct cross-reference table', () => {
    checkPdf(
      renderPdf([
        { text: 'Titre (avec parenthèses) \\ et accents', size: 18 },
        { text: 'Ligne 2' },
      ]),
    )
  })

  it("renders the company's name and SIREN in the document, with the same bytes every time", () => {
    const pdf = renderDocument('api_entreprise_v4_dgfip_attestations_fiscales', '418166096', 11)
    checkPdf(pdf)
    const text = pdf.toString('latin1')
    expect(text).toContain(companyFor('418166096', 11).denomination)
    expect(text).toContain('SIREN : 418166096')
    expect(text).toMatch(/Délivré le \d{4}-\d{2}-\d{2}/)
    expect(
      renderDocument('api_entreprise_v4_dgfip_attestations_fiscales', '418166096', 11).equals(pdf),
    ).toBe(true)
    expect(
      renderDocument('api_entreprise_v4_dgfip_attestations_fiscales', '418166096', 12).equals(pdf),
    ).toBe(false)
    checkPdf(
      renderDocument('api_entreprise_v3_qualibat_certifications_batiment', '41816609600051', 11),
    )
    checkPdf(renderDocument('api_entreprise_v3_mi_documents_associations', 'W751212517', 11))
  })

  it('builds document paths and URLs that parse back, and refuses unsafe segments', () => {
    const path = documentPath('api_entreprise_v3_dgfip_attestations_fiscales', '418166096')
    expect(path).toBe(
      '/__sandbox/documents/api_entreprise_v3_dgfip_attestations_fiscales/418166096.pdf',
    )
    expect(parseDocumentPath(path)).toEqual({
      opId: 'api_entreprise_v3_dgfip_attestations_fiscales',
      identifier: '418166096',
    })
    expect(parseDocumentPath(`${path}?download=1`)).toEqual(parseDocumentPath(path))
    expect(documentUrl('http://localhost:8080/', 'op', 'W751212517')).toBe(
      'http://localhost:8080/__sandbox/documents/op/W751212517.pdf',
    )
    expect(parseDocumentPath('/__sandbox/documents/op/../secret.pdf')).toBeUndefined()
    expect(parseDocumentPath('/__sandbox/documents/op/%2e%2e.pdf')).toBeUndefined()
    expect(parseDocumentPath('/other/op/418166096.pdf')).toBeUndefined()
    expect(() => documentPath('op', '../etc')).toThrow(/not a safe path segment/)
  })
})
