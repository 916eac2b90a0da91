import { API_ERRORS } from '../api-errors.js'
import type { Contract, Operation } from './types.js'

/** What a stage knows about an error it answers with; the contract's examples fill in the rest. */
export interface ApiErrorSpec {
  /** Production error code (e.g. `'00301'`); picks the contract example carrying it. */
  code?: string
  /** Parameter at fault; picks the contract example whose `source.parameter` names it. */
  parameter?: string
  /** Replaces the example's detail (a more specific message). */
  detail?: string
  /** Title when no example exists. */
  title?: string
  /** Merged into the example's `meta` (e.g. `{ retry_in: 120 }`). */
  meta?: Record<string, unknown>
}

/** An error answer: a `Reply` (see `http/exchange.ts`) whose body is in the contract's error shape. */
export interface ApiErrorBody {
  status: number
  body: unknown
  /** The code carried by the body, for the journal. */
  code?: string
}

type ErrorItem = {
  code?: unknown
  title?: unknown
  detail?: unknown
  source?: unknown
  meta?: unknown
}
const itemOf = (value: unknown): ErrorItem | undefined => {
  const errors = (value as { errors?: unknown } | null)?.errors
  return Array.isArray(errors) && typeof errors[0] === 'object' && errors[0]
    ? (errors[0] as ErrorItem)
    : undefined
}

/** Titles used when neither the operation nor the contract has an example for a status (French, as production). */
const DEFAULT_TEXT: Record<number, [code: string, title: string, detail: string]> = {
  400: [API_ERRORS.BAD_REQUEST, 'Requête invalide', 'La requête est mal formée.'],
  401: [
    API_ERRORS.TOKEN_INVALID,
    'Interdit',
    "Votre token n'est pas valide ou n'est pas renseigné",
  ],
  403: [
    API_ERRORS.INSUFFICIENT_PRIVILEGES,
    'Privilèges insuffisants',
    'Votre token est valide mais vos privilèges sont insuffisants.',
  ],
  404: [API_ERRORS.NOT_FOUND, 'Entité non trouvée', "L'entité demandée n'existe pas."],
  405: [
    API_ERRORS.METHOD_NOT_ALLOWED,
    'Méthode non autorisée',
    'Cette méthode n’est pas disponible pour ce chemin.',
  ],
  409: [
    API_ERRORS.CONFLICT,
    'Conflit',
    'Une requête associée à votre jeton est déjà en cours de traitement pour ces paramètres.',
  ],
  422: [API_ERRORS.INVALID_PARAMETER, 'Entité non traitable', 'Un paramètre est invalide.'],
  429: [API_ERRORS.TOO_MANY_REQUESTS, 'Trop de requêtes', 'Vous avez effectué trop de requêtes'],
  451: [
    API_ERRORS.NON_DIFFUSIBLE,
    'Indisponible pour des raisons légales',
    "L'entité est non diffusible.",
  ],
  500: [API_ERRORS.INTERNAL, 'Erreur interne', 'Une erreur interne est survenue.'],
  502: [
    API_ERRORS.PROVIDER_ERROR,
    'Erreur du fournisseur',
    'Le fournisseur de données a répondu en erreur.',
  ],
  503: [
    API_ERRORS.UNAVAILABLE,
    'Service non disponible',
    'Service temporairement indisponible ou en maintenance.',
  ],
  504: [
    API_ERRORS.PROVIDER_TIMEOUT,
    'Intermédiaire hors-délai',
    'Temps d’attente d’une réponse du fournisseur de données écoulé.',
  ],
}

/**
 * Builds API error answers in the contract's own shape (API Entreprise:
 * `{"errors":[{code,title,detail,source,meta}]}`), starting from the contract's example for that
 * status and code when it has one: the operation's first, then any operation's.
 */
export function createErrorBodies(
  contract: Contract,
): (op: Operation | undefined, status: number, spec?: ApiErrorSpec) => ApiErrorBody {
  // Examples by status across the whole contract, for operations that lack their own.
  const anyOp = new Map<string, unknown[]>()
  for (const op of contract.operations) {
    for (const [status, r] of Object.entries(op.responses)) {
      const list = anyOp.get(status) ?? []
      for (const e of r.examples) if (itemOf(e.value)) list.push(e.value)
      anyOp.set(status, list)
    }
  }
  const pick = (candidates: unknown[], spec: ApiErrorSpec): unknown => {
    if (spec.code) {
      const byCode = candidates.find((v) => itemOf(v)?.code === spec.code)
      if (byCode) return byCode
    }
    if (spec.parameter) {
      const byParam = candidates.find(
        (v) => (itemOf(v)?.source as { parameter?: unknown } | null)?.parameter === spec.parameter,
      )
      if (byParam) return byParam
    }
    // An example about another parameter or code would mislead: only a spec naming neither takes the first.
    return spec.code || spec.parameter ? undefined : candidates[0]
  }
  return (op, status, spec = {}) => {
    const key = String(status)
    const own = (op?.responses[key]?.examples ?? []).map((e) => e.value).filter((v) => itemOf(v))
    const example = pick(own, spec) ?? pick(anyOp.get(key) ?? [], spec)
    const [dCode, dTitle0, dDetail] = DEFAULT_TEXT[status] ?? [
      API_ERRORS.UNKNOWN,
      'Erreur',
      'Erreur.',
    ]
    // Same status, same title as the contract's own examples (e.g. "Entité non traitable" for every 422).
    const sibling = own[0] ?? anyOp.get(key)?.[0]
    const dTitle =
      typeof itemOf(sibling)?.title === 'string' ? (itemOf(sibling)!.title as string) : dTitle0
    const base: ErrorItem = example
      ? structuredClone(itemOf(example)!)
      : {
          code: spec.code ?? dCode,
          title: spec.title ?? dTitle,
          detail: spec.detail ?? dDetail,
          source: spec.parameter ? { parameter: spec.parameter } : null,
          meta: {},
        }
    if (spec.detail) base.detail = spec.detail
    if (spec.meta) base.meta = { ...((base.meta as object | null) ?? {}), ...spec.meta }
    const code = typeof base.code === 'string' ? base.code : undefined
    return { status, body: { errors: [base] }, ...(code ? { code } : {}) }
  }
}
