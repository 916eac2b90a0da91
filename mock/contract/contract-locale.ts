import type { Contract } from './types.js'

/** Languages the sandbox writes generated data and error messages in. */
export type Locale = 'fr' | 'en'

const FRENCH =
  /\b(le|la|les|des|du|une|est|sont|pour|avec|dans|par|sur|aux|entreprise|numéro|données|requête)\b|[éèêàçù]/gi
const ENGLISH =
  /\b(the|and|is|are|of|to|for|with|this|that|returns?|list|get|create|update|delete|user|request)\b/gi

/**
 * The language a contract is written in, read from its title, description and operation summaries:
 * French when French words outnumber English ones (French public APIs), English otherwise.
 */
export function contractLocale(contract: Pick<Contract, 'document' | 'operations'>): Locale {
  const info = (contract.document?.info ?? {}) as Record<string, unknown>
  const parts = [info.title, info.description]
  for (const op of contract.operations.slice(0, 60)) {
    parts.push(op.summary)
    // French registers name their identifiers in French (SIREN, SIRET, RNA...).
    if (/sire[nt]|_rna\b|\/(entreprises|etablissements|unites_legales)\b/i.test(op.path))
      return 'fr'
  }
  const text = parts.filter((p): p is string => typeof p === 'string').join(' ')
  const fr = text.match(FRENCH)?.length ?? 0
  const en = text.match(ENGLISH)?.length ?? 0
  return fr > en ? 'fr' : 'en'
}
