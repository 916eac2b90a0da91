/**
 * Documents the sandbox serves itself (attestations, extracts), at
 * `/__sandbox/documents/<opId>/<identifier>.pdf`: generated response bodies link there, and the
 * route renders a small PDF naming the company.
 */
import { companyFor, establishmentFor } from './company.js'
import { isValidSiren, isValidSiret } from './identifiers.js'
import { renderPdf } from './pdf.js'
import { createSeededFaker, isoDay, onDay, REFERENCE_DATE } from './seeded.js'
import { dateAround } from './values.js'

/** Path prefix of the documents route. */
export const DOCUMENTS_PREFIX = '/__sandbox/documents/'

const SEGMENT = /^[A-Za-z0-9_.-]+$/

/** `/__sandbox/documents/<opId>/<identifier>.pdf`; throws on a segment that is not URL-safe. */
export function documentPath(opId: string, identifier: string): string {
  for (const segment of [opId, identifier]) {
    if (!SEGMENT.test(segment) || segment.startsWith('.')) {
      throw new Error(
        `documentPath: "${segment}" is not a safe path segment (letters, digits, _ . - only)`,
      )
    }
  }
  return `${DOCUMENTS_PREFIX}${opId}/${identifier}.pdf`
}

/** The absolute URL of a document under `baseUrl` (trailing slashes ignored). */
export function documentUrl(baseUrl: string, opId: string, identifier: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${documentPath(opId, identifier)}`
}

/** Reads a document path back, or `undefined` when `path` is not one (query strings ignored). */
export function parseDocumentPath(path: string): { opId: string; identifier: string } | undefined {
  const m = /^\/__sandbox\/documents\/([^/?#]+)\/([^/?#]+)\.pdf(?:[?#].*)?$/.exec(path)
  if (!m) return undefined
  const [opId, identifier] = [m[1]!, m[2]!]
  if (
    !SEGMENT.test(opId) ||
    !SEGMENT.test(identifier) ||
    opId.startsWith('.') ||
    identifier.startsWith('.')
  ) {
    return undefined
  }
  return { opId, identifier }
}

const random = createSeededFaker()

/**
 * The PDF of a document: a title from the operation id, the company's name and identifiers when
 * `identifier` is a SIREN or SIRET, and a delivery date before `today` (the generator's reference
 * day). Same arguments, same bytes.
 */
export function renderDocument(
  opId: string,
  identifier: string,
  seed: number,
  today: Date = REFERENCE_DATE,
): Buffer {
  return onDay(today, () => drawDocument(opId, identifier, seed))
}

function drawDocument(opId: string, identifier: string, seed: number): Buffer {
  const faker = random.forKey(seed, 'document', opId, identifier)
  const delivered = isoDay(dateAround(faker, 0.5))
  const lines = [
    { text: titleOf(opId), size: 18 },
    { text: 'Document fictif - environnement sandbox', size: 10 },
  ]
  if (isValidSiret(identifier) && identifier.length === 14) {
    const est = establishmentFor(identifier, seed)
    lines.push(
      { text: est.company.denomination, size: 14 },
      { text: `SIRET : ${identifier}`, size: 12 },
    )
    lines.push({ text: `SIREN : ${est.siren} - ${est.company.formeJuridique.libelle}`, size: 10 })
  } else if (isValidSiren(identifier) && identifier.length === 9) {
    const company = companyFor(identifier, seed)
    lines.push(
      { text: company.denomination, size: 14 },
      { text: `SIREN : ${identifier}`, size: 12 },
    )
    lines.push({ text: company.formeJuridique.libelle, size: 10 })
  } else {
    lines.push({ text: `Identifiant : ${identifier}`, size: 12 })
  }
  lines.push({ text: `Délivré le ${delivered}`, size: 12 })
  return renderPdf(lines)
}

/** `api_entreprise_v3_dgfip_attestations_fiscales` → `Dgfip attestations fiscales`. */
function titleOf(opId: string): string {
  const words = opId
    .replace(/^api_entreprise_v\d+_/, '')
    .replace(/_/g, ' ')
    .trim()
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Document'
}
