/**
 * Text for a string that nothing else describes (no format, example, pattern or known name), in
 * the contract's language: values listed by the description or by the enclosing array's example,
 * then words that fit the field's name, then its title, then plain administrative phrases. Never
 * lorem ipsum: a client's authors read these values on screen next to production's.
 */
import { describedValues } from './described-values.js'
import { codePoints, fitsNode } from './fits.js'
import type { GenerationContext } from './generation-types.js'
import type { SchemaNode } from './schema-node.js'
import { varyExample } from './values.js'

/** Words for a field by what its name says, French first. */
const FRENCH: [RegExp, readonly string[]][] = [
  [/regime/, ['Réel normal', 'Réel simplifié', 'Micro-entreprise']],
  [
    /motif|raison|cause/,
    ['Dossier incomplet', 'Pièce justificative manquante', 'Demande de l’entreprise'],
  ],
  [
    /commentaire|observation|remarque|^notes?$|precision/,
    [
      'Aucune observation',
      'Dossier complet',
      'Vérifié sur pièces',
      'Transmis au service instructeur',
    ],
  ],
  [
    /erreur|error|anomalie|alerte|warning|^messages?$/,
    [
      'Document indisponible auprès du fournisseur',
      'Données en cours de mise à jour',
      'Pièce non transmise',
    ],
  ],
  [
    /synonyme|mots?_cles?|keywords?|tags?|alias/,
    ['commerce', 'services', 'industrie', 'bâtiment', 'conseil', 'transport', 'métallurgie'],
  ],
  [
    /objet|^but$|finalite/,
    [
      'Soutien aux activités culturelles et sportives',
      'Formation et insertion professionnelle',
      'Aide au fonctionnement',
    ],
  ],
  [/source|origine|fournisseur|provider/, ['INSEE', 'DGFIP', 'URSSAF', 'INPI', 'Infogreffe']],
  [/statut|status|^etat$|state/, ['En cours', 'Validé', 'Clôturé']],
  [/nature|categorie|famille|genre/, ['Principale', 'Secondaire', 'Complémentaire']],
  [/fonction|role|qualite/, ['Gérant', 'Président', 'Directeur général']],
  [/fichier|filename|file_name/, ['document.pdf', 'attestation.pdf', 'statuts.pdf']],
  [/version/, ['1.0', '2.1', '3']],
  [
    /description|detail|resume|texte|contenu|content|summary/,
    [
      'Informations transmises par l’administration',
      'Document déposé au greffe du tribunal de commerce',
      'Situation à jour des obligations déclaratives',
    ],
  ],
]

const FRENCH_PHRASES = [
  'Déclaration annuelle',
  'Dossier en cours de traitement',
  'Document transmis',
  'Pièce justificative',
  'Mise à jour des données',
  'Contrôle sur pièces',
  'Demande initiale',
  'Service instructeur',
] as const

const ENGLISH: [RegExp, readonly string[]][] = [
  [/reason|cause/, ['Incomplete application', 'Missing document', 'Requested by the customer']],
  [/comment|note|remark|observation/, ['No remarks', 'Checked against the documents']],
  [/error|warning|message|alert/, ['Document unavailable', 'Data being updated']],
  [/keyword|tag|alias|synonym/, ['retail', 'services', 'industry', 'consulting', 'transport']],
  [/status|state/, ['Pending', 'Approved', 'Closed']],
  [
    /description|detail|summary|text|content|body|bio/,
    ['Standard plan for small teams', 'Document received and filed', 'Account in good standing'],
  ],
  [/title|label|name|subject/, ['Annual report', 'Monthly statement', 'Main account']],
]

const ENGLISH_PHRASES = [
  'Annual report',
  'Document received',
  'Standard plan',
  'Pending review',
] as const

/** Leading words of a title that name the field rather than its content ("Libellé de la ..."). */
const TITLE_HEAD =
  /^(?:libell[ée]s?|noms?|intitul[ée]s?|titres?|d[ée]signations?|descriptions?|valeurs?|texte)\s+(?:de la |de l['’]|du |des |de |d['’])?/i

/** Text for a string node that nothing else describes, within its length bounds. */
export function freeText(node: SchemaNode, ctx: GenerationContext, key: string): string {
  const { faker } = ctx
  const candidates = textCandidates(node, ctx, key)
  const fitting = candidates.filter((c) => fitsNode(c, node))
  if (fitting.length) return fitting[faker.number.int(fitting.length - 1)]!
  return stretch(candidates[0] ?? phrase(ctx), node, ctx)
}

function textCandidates(node: SchemaNode, ctx: GenerationContext, key: string): string[] {
  const { faker } = ctx
  // An item of an array takes after the array's own example (`["4245", "5672"]`, `["syntec"]`).
  const parent = ctx.ancestors[ctx.ancestors.length - 1]
  if (parent && parent.types[0] === 'array' && Array.isArray(parent.example)) {
    const items = parent.example.filter((v): v is string => typeof v === 'string')
    if (items.length) {
      const item = items[faker.number.int(items.length - 1)]!
      return [/\d/.test(item) && !/\s/.test(item) ? varyExample(item, faker) : item]
    }
  }
  const listed = describedValues(node.schema)
  if (listed.quoted.length) return listed.quoted
  if (listed.pairs.length)
    return listed.pairs.map(([code, label]) => (/code/i.test(key) ? code : label))
  const k = key.toLowerCase()
  const table = ctx.locale === 'en' ? ENGLISH : FRENCH
  for (const [pattern, words] of table) if (pattern.test(k)) return [...words]
  const title = typeof node.schema.title === 'string' ? fromTitle(node.schema.title) : undefined
  if (title && ctx.locale !== 'en') return [title]
  return [phrase(ctx)]
}

/** "Libellé de la convention collective" → "Convention collective". */
function fromTitle(title: string): string | undefined {
  const rest = title
    .trim()
    .replace(TITLE_HEAD, '')
    .replace(/[.:]+$/, '')
    .trim()
  if (!rest || rest.length > 60 || /\b(?:si|lorsque|when|if)\b/i.test(rest)) return undefined
  return rest[0]!.toUpperCase() + rest.slice(1)
}

function phrase(ctx: GenerationContext): string {
  const list = ctx.locale === 'en' ? ENGLISH_PHRASES : FRENCH_PHRASES
  return list[ctx.faker.number.int(list.length - 1)]!
}

/** Phrases joined until `minLength`, cut at `maxLength` (on a word when one ends close enough). */
function stretch(start: string, node: SchemaNode, ctx: GenerationContext): string {
  const min = node.minLength ?? 0
  const max = node.maxLength ?? Number.POSITIVE_INFINITY
  let text = start
  while (codePoints(text) < min) text += `, ${phrase(ctx).toLowerCase()}`
  if (codePoints(text) > max) {
    const cut = [...text].slice(0, max).join('')
    const word = cut.replace(/[\s,]+\S*$/, '')
    text = codePoints(word) >= Math.max(min, 1) ? word : cut
  }
  return text
}
