/** The parts of an OpenAPI 3.0/3.1 contract that the sandbox serves, after `$ref`s are resolved. */
import type { ScopeMarks } from './scope-marks.js'

/** A JSON Schema as found in the contract (OpenAPI 3.0 dialect or JSON Schema 2020-12 for 3.1). */
export type JsonSchema = Record<string, unknown>

/** Where a parameter is read from. Cookies are accepted by the loader but never validated. */
export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie'

export interface ParameterSpec {
  name: string
  in: ParameterLocation
  required: boolean
  schema: JsonSchema
  /** Example values the contract gives (`example` and every `examples.*.value`). */
  examples: unknown[]
  /** Serialisation style as declared (`form`, `deepObject`, `matrix`...); the location's default when absent. */
  style?: string
  /** `explode` as declared; the style's default when absent. */
  explode?: boolean
  /** The parameter is sent as a serialised media type (`content`, e.g. JSON in a query string). */
  mediaType?: string
}

export interface NamedExample {
  name: string
  value: unknown
}

/** One media type of a response, as declared under `content`. */
export interface MediaSpec {
  /** The media type as written (`application/json`, `text/csv`, `application/scim+json`...). */
  type: string
  schema?: JsonSchema
  examples: NamedExample[]
}

export interface ResponseSpec {
  /** HTTP status as written in the contract: `'200'`, `'4XX'` or `'default'`. */
  status: string
  description: string
  /** First JSON-like media type, or the first declared one. */
  contentType?: string
  schema?: JsonSchema
  examples: NamedExample[]
  /** Every media type the response declares, in the contract's order (empty: no body). */
  media?: MediaSpec[]
  /** Header names the contract declares for this response. */
  headers: string[]
}

/**
 * One operation of a contract (a method on a path), reduced to what the stages need: its parameters,
 * body and answers with their schemas and examples, the privileges it requires. Built once at load by
 * `readOperations`; the router, the validator, the data generator and the verdict read it.
 */
export interface Operation {
  /** `operationId`, else `x-operationId` (anywhere the contract puts it), else derived from method and path. */
  id: string
  /** Lower-case HTTP method. */
  method: string
  /** Path template as written in the contract, e.g. `/v3/insee/sirene/unites_legales/{siren}`. */
  path: string
  summary?: string
  deprecated: boolean
  parameters: ParameterSpec[]
  requestBody?: { required: boolean; contentType: string; schema?: JsonSchema }
  /** Keyed by status as written (`'200'`, `'422'`, `'default'`). */
  responses: Record<string, ResponseSpec>
  /** True when the operation (or the contract's root) requires a security scheme. */
  secured: boolean
  /** Scopes named by the contract's security requirements or by `x-sandbox-privilege`. */
  privileges: readonly string[]
  /** Every `x-*` extension on the operation object. */
  extensions: Record<string, unknown>
  /**
   * Name of the API the operation belongs to, when the sandbox serves several contracts (operation
   * ids are unique within one API only); absent with a single contract.
   */
  api?: string
  /** Prefix the API is mounted under, already part of `path` (`/douane`); absent when none. */
  mount?: string
}

/**
 * A loaded OpenAPI contract (3.0 or 3.1; Swagger 2.0 is converted on load): its operations, with
 * every `$ref` resolved, and the document itself. Loaded once by `loadContract`, never changed.
 */
export interface Contract {
  /** Absolute path of the file it was loaded from. */
  file: string
  title: string
  version: string
  /** `'3.0.x'` or `'3.1.x'` as declared. */
  openapi: string
  operations: Operation[]
  /** The dereferenced document, for stages that need more than the summary above. */
  document: Record<string, unknown>
  /** The document's `x-sandbox-scopes` marks (field scopes, privileges), read at load. */
  scopeMarks: ScopeMarks
}
