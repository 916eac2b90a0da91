import { API_ERRORS } from '../api-errors.js'
import { createGenerationContext, generateFromSchema } from '../data/generate-from-schema.js'
import { createSeededFaker } from '../data/seeded.js'
import { contractLocale, type Locale } from './contract-locale.js'
import type { Contract, JsonSchema, Operation, ResponseSpec } from './types.js'

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
  /** The detail in English, for contracts written in English. */
  english?: string
  /** A refused request (400/422): its status follows what the operation declares. */
  validation?: boolean
}

/** An error answer: a `Reply` (see `http/exchange.ts`) whose body is in the contract's error shape. */
export interface ApiErrorBody {
  status: number
  body: unknown
  /** The code carried by the body, for the journal. */
  code?: string
  /** Media type of the body when not JSON's (`application/problem+json`, the contract's own). */
  contentType?: string
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
  options: { locale?: Locale } = {},
): (op: Operation | undefined, status: number, spec?: ApiErrorSpec) => ApiErrorBody {
  if (!speaksEntreprise(contract))
    return createDeclaredErrors(contract, options.locale ?? contractLocale(contract))
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
  // The status the contract's operations declare for a refused request: 422 unless only 400 is.
  const refusal = anyOp.has('400') && !anyOp.has('422') ? 400 : 422
  return (op, requested, spec = {}) => {
    // A refused request gets the status the operation declares for it: 400 or 422, whichever it lists.
    let status = requested
    if (spec.validation && op && (status === 400 || status === 422)) {
      const other = status === 400 ? 422 : 400
      if (!op.responses[String(status)] && op.responses[String(other)]) status = other
      // Declaring neither, it answers as the contract's other operations do.
      else if (!op.responses['400'] && !op.responses['422']) status = refusal
    }
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

/** API Entreprise's family: error examples of the `{"errors":[{code,title,...}]}` shape. */
function speaksEntreprise(contract: Contract): boolean {
  for (const op of contract.operations)
    for (const [status, r] of Object.entries(op.responses))
      if (/^[45]/.test(status) && r.examples.some((e) => typeof itemOf(e.value)?.code === 'string'))
        return true
  return false
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  409: 'Conflict',
  410: 'Gone',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

const MESSAGE_KEYS =
  /^(message|detail|details|error_description|description|error_message|reason|title|msg)$/i
const STATUS_KEYS = /^(status|status_code|statuscode|http_status|code)$/i

/**
 * Errors for any other contract: the status the operation declares for a refused request (its 400
 * or its 422), the body of its example for that status, else one generated from its schema with the
 * message fields saying what failed, in the contract's language; when the contract declares no such
 * answer, RFC 9457 problem details.
 */
function createDeclaredErrors(
  contract: Contract,
  locale: Locale,
): (op: Operation | undefined, status: number, spec?: ApiErrorSpec) => ApiErrorBody {
  const random = createSeededFaker(locale)
  // The contract's answer for a status, from any operation: for 404/405, which have none.
  const anyOp = new Map<string, ResponseSpec>()
  for (const op of contract.operations)
    for (const [status, r] of Object.entries(op.responses))
      if (!anyOp.has(status) && (r.schema || r.examples.length)) anyOp.set(status, r)
  const declared = (op: Operation | undefined, status: string): ResponseSpec | undefined => {
    const own = op?.responses[status] ?? op?.responses[`${status[0]}XX`]
    if (own && (own.schema || own.examples.length)) return own
    return op ? undefined : anyOp.get(status)
  }
  return (op, status, spec = {}) => {
    let final = status
    if (spec.validation && (status === 400 || status === 422)) {
      const other = status === 400 ? 422 : 400
      if (!declared(op, String(status)) && declared(op, String(other))) final = other
      else if (!declared(op, String(status)) && status === 422) final = 400
    }
    const key = String(final)
    const response = declared(op, key) ?? (op ? undefined : undefined)
    const fallback = op?.responses.default
    const text =
      locale === 'en'
        ? (spec.english ??
          (spec.detail && !/[éèàç]|\b(le|la|est)\b/i.test(spec.detail) ? spec.detail : undefined) ??
          STATUS_TEXT[final] ??
          'Error')
        : (spec.detail ?? spec.title ?? STATUS_TEXT[final] ?? 'Erreur')
    const source =
      response ?? (fallback && (fallback.schema || fallback.examples.length) ? fallback : undefined)
    if (source) {
      let body: unknown
      if (source.examples.length) body = structuredClone(source.examples[0]!.value)
      else {
        const faker = random.forKey(0, 'error', op?.id ?? '', key)
        body = generateFromSchema(
          source.schema as JsonSchema,
          createGenerationContext({ faker, locale }),
        )
      }
      fill(body, text, final, 0)
      const type = source.contentType
      return {
        status: final,
        body,
        ...(type && !/^application\/json/i.test(type) ? { contentType: type } : {}),
      }
    }
    return {
      status: final,
      body: {
        type: 'about:blank',
        title: STATUS_TEXT[final] ?? 'Error',
        status: final,
        detail: text,
        ...(spec.parameter ? { parameter: spec.parameter } : {}),
      },
      contentType: 'application/problem+json',
    }
  }
}

/** Writes what failed into a body's message fields, and the status into its status fields. */
function fill(body: unknown, text: string, status: number, depth: number): void {
  if (!body || typeof body !== 'object' || depth > 3) return
  if (Array.isArray(body)) {
    if (body[0]) fill(body[0], text, status, depth + 1)
    return
  }
  const obj = body as Record<string, unknown>
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string' && MESSAGE_KEYS.test(k)) obj[k] = text
    else if (
      typeof v === 'number' &&
      STATUS_KEYS.test(k) &&
      Number.isInteger(v) &&
      v >= 100 &&
      v < 600
    )
      obj[k] = status
    else fill(v, text, status, depth + 1)
  }
}
