import type { IncomingMessage, ServerResponse } from 'node:http'
import { parse as parseQuery } from 'node:querystring'
import type { SandboxContext } from './context.js'
import { routeRequest } from './contract/route-stage.js'
import { validateRequest } from './contract/validate-stage.js'
import { authenticate } from './auth/authenticate-stage.js'
import { answerPrivileges } from './auth/privileges-stage.js'
import type { BodyError, Exchange, Stage } from './http/exchange.js'
import { apiPath } from './http/dispatch.js'
import { sendReply } from './http/send.js'
import { resolveData } from './data/resolve-data-stage.js'
import { filterByScope } from './scope/filter-by-scope.js'
import { applyScenario } from './scenarios/apply-scenario-stage.js'
import { finishScenario } from './scenarios/finish-scenario-stage.js'
import { markClockShift } from './clock/clock-header-stage.js'
import { holdBanned } from './traffic/hold-banned-stage.js'
import { limitRate } from './traffic/limit-rate-stage.js'
import { StoreUnavailableError } from './store/store.js'
import { answerInterruption } from './status/interruption-stage.js'
import { clientIpOf } from './http/client-ip.js'
import { serveResources } from './resources/resource-stage.js'
import { findDeprecations, markDeprecated } from './deprecation/deprecation.js'
import { API_ERRORS } from './api-errors.js'

const STORE_DOWN_DETAIL =
  "Le stockage d'état du bac à sable (Redis) est injoignable ; réessayez dans quelques secondes."

/** The stages of an API request, in the order a request meets them. */
export interface Pipeline {
  /** Run until one of them sets a reply or detaches the exchange. */
  request: Stage[]
  /** Run on every reply before it is sent. */
  response: Stage[]
}

/**
 * How many of the first request stages are the same for every API (connection and route): with
 * several APIs they run once, then the stages of the routed operation's API (`apis/dispatch.ts`).
 */
export const SHARED_STAGES = 2

/**
 * The request path, in one screen; each stage bears the name of the function that makes it:
 * `holdBanned` (a banned connection gets no answer) → `routeRequest` (the contract's operation) →
 * `authenticate` → `markDeprecated` (deprecation headers, 410 after a sunset) → `answerInterruption`
 * (a planned 503) → `validateRequest` → `limitRate` → `answerPrivileges` (`/privileges`) →
 * `applyScenario` → `serveResources` (writes, and reads of what was written) → `resolveData` (fixture
 * case, magic identifier, generator); then, on every reply, `filterByScope` → `markClockShift` (the
 * clock shift header) → `finishScenario` (206, faults) → send. The journal watches every exchange
 * from arrival to the socket's close.
 */
export function assemblePipeline(ctx: SandboxContext): Pipeline {
  return {
    request: [
      stage(holdBanned, ctx),
      stage(routeRequest, ctx),
      stage(authenticate, ctx),
      stage(markDeprecated, ctx, findDeprecations(ctx.contract)),
      stage(answerInterruption, ctx),
      stage(validateRequest, ctx),
      stage(limitRate, ctx),
      stage(answerPrivileges),
      stage(applyScenario, ctx),
      stage(serveResources, ctx, ctx.resources),
      stage(resolveData, ctx, ctx.data),
    ],
    response: [stage(filterByScope, ctx), stage(markClockShift), stage(finishScenario, ctx)],
  }
}

/** The stage `factory` makes, named after it: a pipeline says by name what it runs, in order. */
function stage<A extends unknown[]>(factory: (...args: A) => Stage, ...args: A): Stage {
  return Object.defineProperty(factory(...args), 'name', { value: factory.name })
}

/**
 * Opens an exchange for a request that reached the API (not the admin surface): its address, path and
 * query are read once here; `bodyError` when the JSON body parser refused the body.
 */
export function openExchange(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: SandboxContext,
  bodyError?: BodyError,
): Exchange {
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  // Every field in one literal, in one order, the optional ones included: every exchange has the
  // same shape from birth, so that the stages' reads of it stay monomorphic.
  return {
    req,
    res,
    receivedAt: ctx.options.now(),
    ip: clientIpOf(req, ctx.options.trustProxy),
    method: req.method ?? 'GET',
    // `//v3/x` is `/v3/x`: repeated slashes are one, as most front proxies make them.
    path: apiPath(url),
    query: q === -1 ? {} : queryOf(url.slice(q + 1)),
    bodyError,
    operation: undefined,
    pathParams: {},
    params: undefined,
    banCheckedFor: undefined,
    identity: undefined,
    clockOffset: 0,
    headers: {},
    rateGroup: undefined,
    rate: undefined,
    scenario: undefined,
    pendingEffect: undefined,
    runAdvance: undefined,
    reply: undefined,
    detached: undefined,
    notes: {},
  }
}

/** Longest query string whose parse is kept, characters. */
const MAX_KEPT_QUERY = 2048
/** Query strings whose parse is kept; past it they start over. */
const MAX_KEPT_QUERIES = 1000
const parsedQueries = new Map<string, Exchange['query']>()

/**
 * A query string parsed, frozen (no stage changes a request's query): a client sends the same one call
 * after call, so its parse is kept, within bounds.
 */
function queryOf(search: string): Exchange['query'] {
  let query = parsedQueries.get(search)
  if (query === undefined) {
    const parsed = parseQuery(search) as Record<string, string | string[] | undefined>
    for (const value of Object.values(parsed)) if (Array.isArray(value)) Object.freeze(value)
    query = Object.freeze(parsed)
    if (search.length > MAX_KEPT_QUERY) return query
    if (parsedQueries.size >= MAX_KEPT_QUERIES) parsedQueries.clear()
    parsedQueries.set(search, query)
  }
  return query
}

/** Where the pipeline stops when a request stage took the socket over: nothing is sent. */
const DETACHED = -1

/**
 * Runs a pipeline on a request: request stages until a reply, then response stages, then send. A
 * stage that finishes synchronously is not awaited: a request whose stages all do (the plain mock's,
 * a quiet client's reads from the embedded store) is answered without a single promise.
 */
export function createApiHandler(
  ctx: SandboxContext,
  pipeline: Pipeline,
): (req: IncomingMessage, res: ServerResponse, bodyError?: BodyError) => void | Promise<void> {
  const stages = [...pipeline.request, ...pipeline.response]
  const firstResponse = pipeline.request.length
  /** The stage after stage `i`: past a request stage that replied, the response stages. */
  const next = (ex: Exchange, i: number): number => {
    if (i >= firstResponse) return i + 1
    if (ex.detached) return DETACHED
    return ex.reply ? firstResponse : i + 1
  }
  /** The rest of the pipeline once stage `i` returned a promise: only promises are awaited. */
  const resume = async (ex: Exchange, pending: Promise<void>, i: number): Promise<void> => {
    try {
      await pending
      for (i = next(ex, i); i !== DETACHED && i < stages.length; i = next(ex, i)) {
        const more = stages[i]!(ex)
        if (more !== undefined) await more
      }
    } catch (err) {
      return fail(ex, err)
    }
    if (i !== DETACHED) sendReply(ex)
  }
  const fail = (ex: Exchange, err: unknown): void => {
    if (ex.detached) return
    if (err instanceof StoreUnavailableError) {
      // Not a bug: the store logs losing and regaining Redis once each, so no line per request.
      // The generic code, not the operation's 503 example: that one blames the data provider.
      ex.headers['retry-after'] = '5'
      ex.reply = ctx.errors(ex.operation, 503, {
        code: API_ERRORS.UNAVAILABLE,
        detail: STORE_DOWN_DETAIL,
      })
      return sendReply(ex)
    }
    // The cause goes to the operator's log, never into the answer.
    ctx.options.log(
      `error: ${ex.method} ${ex.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    )
    ex.reply = ctx.errors(ex.operation, 500, {
      detail: 'Erreur interne du bac à sable ; le détail est dans son journal.',
    })
    sendReply(ex)
  }
  return (req, res, bodyError) => {
    const ex = openExchange(req, res, ctx, bodyError)
    ctx.journal.watch(ex)
    let i = 0
    try {
      for (; i !== DETACHED && i < stages.length; i = next(ex, i)) {
        const pending = stages[i]!(ex)
        if (pending !== undefined) return resume(ex, pending, i)
      }
    } catch (err) {
      return fail(ex, err)
    }
    if (i !== DETACHED) sendReply(ex)
  }
}
