import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Router } from 'express'
import type { SandboxContext } from '../context.js'

/** What `GET /__sandbox/health` answers: its status, body and, when not ready, when to come back. */
export interface HealthReport {
  status: 200 | 503
  body: Record<string, unknown>
  retryAfter?: string
}

/** Liveness and readiness of a sandbox: the store answers, and what it serves. */
export async function healthReport(ctx: SandboxContext, startedAt: number): Promise<HealthReport> {
  const ready = await ctx.store.ready().catch(() => false)
  return {
    status: ready ? 200 : 503,
    ...(ready ? {} : { retryAfter: '5' }),
    body: {
      status: ready ? 'ok' : 'not-ready',
      ready,
      store: ctx.store.kind,
      contract: {
        title: ctx.contract.title,
        version: ctx.contract.version,
        operations: ctx.contract.operations.length,
      },
      // Several APIs: each with its name and mount prefix (the main one is `contract` above).
      ...(ctx.apis.length > 1
        ? {
            apis: ctx.apis.map((a) => ({
              name: a.api.name,
              prefix: a.api.prefix,
              title: a.contract.title,
              version: a.contract.version,
              operations: a.contract.operations.length,
            })),
          }
        : {}),
      uptime: Math.round((ctx.options.now() - startedAt) / 1000),
    },
  }
}

/** `GET /__sandbox/health`: liveness and readiness, open to anyone (load balancers, Docker HEALTHCHECK). */
export function registerHealthRoutes(router: Router, ctx: SandboxContext, startedAt: number): void {
  router.get('/health', async (_req, res) => {
    const report = await healthReport(ctx, startedAt)
    if (report.retryAfter) res.setHeader('retry-after', report.retryAfter)
    res.status(report.status).json(report.body)
  })
}

/**
 * The same answer straight from `node:http`, for the probes that ask it before anything else: a
 * sandbox answers its health check without loading express and the admin surface, which wait for
 * the first request that needs them.
 */
export function createHealthListener(
  ctx: SandboxContext,
  startedAt: number,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void healthReport(ctx, startedAt).then(
      (report) => {
        const body = JSON.stringify(report.body)
        res.writeHead(report.status, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          ...(report.retryAfter ? { 'retry-after': report.retryAfter } : {}),
        })
        res.end(req.method === 'HEAD' ? undefined : body)
      },
      () => {
        if (!res.headersSent) res.writeHead(500).end()
      },
    )
  }
}
