import type { Router } from 'express'
import type { SandboxContext } from '../context.js'

/** `GET /__sandbox/health`: liveness and readiness, open to anyone (load balancers, Docker HEALTHCHECK). */
export function registerHealthRoutes(router: Router, ctx: SandboxContext, startedAt: number): void {
  router.get('/health', async (_req, res) => {
    const ready = await ctx.store.ready().catch(() => false)
    if (!ready) res.setHeader('retry-after', '5')
    res.status(ready ? 200 : 503).json({
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
    })
  })
}
