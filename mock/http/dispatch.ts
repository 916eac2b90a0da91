import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Request, RequestHandler, Response } from 'express'
import type { RouteMatch } from '../contract/router.js'
import { bodyErrorFrom } from './body-error.js'
import type { BodyError } from './exchange.js'
import { DEFAULTS } from '../options.js'

/**
 * What `sandbox.app` is: a `node:http` request listener (`createServer(sandbox.app)`, supertest) that
 * can also be mounted as middleware in another express app (`next` is then what express passes on).
 */
export type SandboxListener = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (err?: unknown) => void,
) => void

const JSON_TYPES = ['application/json', 'application/*+json']

/** Mount points express serves below themselves: the admin surface and the console. */
const EXPRESS_MOUNTS = ['/__sandbox', '/console']
/** The authorization server's own paths, served by express. */
const EXPRESS_PATHS = new Set([
  '/oauth/token',
  '/oauth/revoke',
  '/oauth/introspect',
  '/.well-known/jwks.json',
  '/.well-known/oauth-authorization-server',
])

/**
 * True when express serves the request URL: the admin surface, the console or the authorization
 * server, matched as express matches them (case-insensitive, one trailing slash allowed on a route).
 * Everything else is an API request.
 */
export function servedByExpress(url: string): boolean {
  // Most API paths are told apart by their second character alone: `/v3/...`.
  const c = url.charCodeAt(1)
  const lower = c | 0x20
  if (c !== 0x5f /* _ */ && c !== 0x2e /* . */ && lower !== 0x63 /* c */ && lower !== 0x6f /* o */)
    return false
  const q = url.indexOf('?')
  let path = (q === -1 ? url : url.slice(0, q)).toLowerCase()
  for (const mount of EXPRESS_MOUNTS)
    if (path.startsWith(mount) && (path.length === mount.length || path[mount.length] === '/'))
      return true
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1)
  return EXPRESS_PATHS.has(path)
}

/** The health check's path, as express matches it (case-insensitive, one trailing slash allowed). */
const HEALTH_PATH = '/__sandbox/health'

/**
 * True for a health probe the dispatcher answers itself (`GET` or `HEAD /__sandbox/health`): one that
 * presents an admin token goes to express, where the admin surface's guard counts a wrong one.
 */
export function isHealthProbe(req: IncomingMessage): boolean {
  const url = req.url ?? '/'
  if (url.length < HEALTH_PATH.length || url.charCodeAt(1) !== 0x5f /* _ */) return false
  if (req.method !== 'GET' && req.method !== 'HEAD') return false
  const q = url.indexOf('?')
  let path = (q === -1 ? url : url.slice(0, q)).toLowerCase()
  if (path.endsWith('/')) path = path.slice(0, -1)
  if (path !== HEALTH_PATH) return false
  return (
    req.headers.authorization === undefined && req.headers['x-sandbox-admin-token'] === undefined
  )
}

/** The path of an API request URL: no query string, repeated slashes made one (as proxies do). */
export function apiPath(url: string): string {
  const q = url.indexOf('?')
  const path = q === -1 ? url : url.slice(0, q)
  return path.includes('//') ? path.replace(/\/{2,}/g, '/') : path
}

/** True when a request announces a body (even an empty one), as body parsers decide it. */
const announcesBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined

/**
 * The sandbox's request listener: API requests go straight to the pipeline (`api`), without express's
 * middleware chain, and so do health probes (`health`); the admin surface, the console and the OAuth
 * endpoints go to `app` (express). A
 * JSON body is read only for an operation that declares one, within `DEFAULTS.tuning.maxBodyBytes`; a body the
 * parser refuses goes through the pipeline too, as `bodyError`, for the validate stage to answer.
 */
export function createDispatcher(options: {
  api: (req: IncomingMessage, res: ServerResponse, bodyError?: BodyError) => void | Promise<void>
  route: (method: string, path: string) => RouteMatch
  app: SandboxListener
  /** Answers a health probe (`isHealthProbe`) without express. */
  health: (req: IncomingMessage, res: ServerResponse) => void
}): SandboxListener {
  const { api, route, app, health } = options
  // The body parser (and express with it) is loaded for the first request that has a body to read.
  let json: Promise<RequestHandler> | undefined
  const jsonParser = (): Promise<RequestHandler> =>
    (json ??= import('express').then(({ default: express }) =>
      express.json({ limit: DEFAULTS.tuning.maxBodyBytes, type: JSON_TYPES }),
    ))
  return (req, res, next) => {
    const url = req.url ?? '/'
    if (servedByExpress(url)) {
      if (isHealthProbe(req)) return health(req, res)
      return next ? app(req, res, next) : app(req, res)
    }
    if (!announcesBody(req)) return void api(req, res)
    const match = route(req.method ?? 'GET', apiPath(url))
    if (match.kind !== 'operation' || !match.operation.requestBody) return void api(req, res)
    jsonParser().then(
      (parse) =>
        parse(req as Request, res as Response, (err?: unknown) => {
          void api(
            req,
            res,
            err
              ? bodyErrorFrom(err as { status?: number; type?: string; message: string })
              : undefined,
          )
        }),
      () => {
        // Not loaded (never seen): the next request with a body tries again.
        json = undefined
        res.writeHead(500).end()
      },
    )
  }
}
