import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAuthService, type DemoClient } from './auth/auth-service.js'
import { clientSince } from './auth/client-registry.js'
import { createInterruptions } from './status/interruptions.js'
import type { SandboxContext } from './context.js'
import { createErrorBodies } from './contract/error-body.js'
import { loadContract } from './contract/load-contract.js'
import { createRouter } from './contract/router.js'
import { createRequestValidator } from './contract/validate-request.js'
import { factsFromCases } from './data/case-facts.js'
import { createDataGenerator } from './data/generate-response.js'
import { dayOf } from './data/seeded.js'
import { loadMagicIdentifiers } from './data/magic-identifiers.js'
import { loadCases } from './cases/load-cases.js'
import { journalAuthEvents } from './journal/journal-auth-events.js'
import { openJournal } from './journal/open-journal.js'
import { DEFAULTS, resolveOptions, type SandboxOptions } from './options.js'
import { assemblePipeline, createApiHandler } from './pipeline.js'
import { loadFieldScopes } from './scope/load-field-scopes.js'
import { openStore } from './store/open-store.js'
import { createResourceService } from './resources/resource-service.js'
import { createCallbackService } from './callbacks/callback-service.js'
import { apiName } from './callbacks/api-name.js'
import { loadScenarios } from './scenarios/load-scenarios.js'
import { createScenarioService } from './scenarios/scenario-service.js'
import { createSandboxClock } from './clock/clock.js'
import { loadRateTable } from './traffic/load-rate-table.js'
import { createTrafficService } from './traffic/traffic-service.js'
import { createDispatcher, type SandboxListener } from './http/dispatch.js'
import { adminTokenFileFor, keptAdminToken } from './admin/kept-token.js'
import { createHealthListener } from './admin/health-routes.js'
import { apiSpecs } from './apis/api-options.js'
import { dispatchByApi } from './apis/dispatch.js'
import { combineRouters, mountContract } from './apis/mount.js'
import { SANDBOX_ERRORS, SandboxConfigError } from './errors.js'
import { qualifyGroups } from './traffic/rate-table.js'
import type { TrafficService } from './traffic/traffic-service.js'

/** True when the `state` option names a file (the embedded store persisted), not memory or Redis. */
const isStateFile = (state: string | undefined): state is string =>
  state !== undefined && state !== 'memory' && !/^rediss?:\/\//.test(state)
import { createPublicBase, listeningUrl } from './http/public-base.js'

/** Node's default bound on receiving a whole request, ms. */
const NODE_REQUEST_TIMEOUT_MS = 300_000

/**
 * A listener made by `make` on the first request that reaches it; the requests meanwhile wait for it.
 * Should making it fail, the request is answered 500 and the next one tries again.
 */
function onFirstRequest(
  make: () => Promise<SandboxListener>,
  log: (line: string) => void,
): SandboxListener {
  let made: Promise<SandboxListener> | undefined
  return (req, res, next) => {
    ;(made ??= make()).then(
      (listener) => (next ? listener(req, res, next) : listener(req, res)),
      (err: unknown) => {
        made = undefined
        log(`sandbox-twin: cannot load the admin surface: ${(err as Error).message}`)
        if (next) return next(err)
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        res.end('The sandbox failed to load this part of itself; the cause is in its log.\n')
      },
    )
  }
}

/** A sandbox, built and ready to listen. */
export interface Sandbox {
  /**
   * The request listener: `createServer(sandbox.app)`, supertest, or mounted in an express app. API
   * requests go straight to the pipeline; the admin surface, console and OAuth endpoints to express.
   */
  readonly app: SandboxListener
  readonly context: SandboxContext
  /** The admin token for `/__sandbox/` (generated when not given). */
  readonly adminToken: string
  /** The file a generated admin token is kept in (beside a file state, mode 0600); absent otherwise. */
  readonly adminTokenFile?: string
  /** The demo client made at start-up (`demoClient` option), secret included, for the CLI to print. */
  readonly demoClient?: DemoClient
  /** Starts listening; port `0` (the default) picks a free port. Resolves with the base URL. */
  listen(port?: number, host?: string): Promise<{ url: string; port: number; server: Server }>
  /** Stops listening, flushes the store and the journal. Safe to call twice. */
  close(): Promise<void>
}

/**
 * Builds a sandbox from options: loads and checks the contract, fixtures and mapping files (any fault
 * throws a `SandboxConfigError` naming the file and place), opens the store, assembles the pipeline.
 * Never listens by itself and never reads `process.env`.
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const startedAt = Date.now()
  // A generated admin token is kept beside a file state, so that it survives restarts.
  const tokenFile =
    options.adminToken === undefined && isStateFile(options.state)
      ? adminTokenFileFor(options.state)
      : undefined
  const opts = resolveOptions(
    tokenFile ? { ...options, adminToken: await keptAdminToken(tokenFile) } : options,
  )
  const specs = await apiSpecs(opts)
  const several = specs.length > 1
  // Several contracts are mounted: each operation names its API; ids are unique within one API.
  const loaded = await Promise.all(
    specs.map(async (spec) => {
      const raw = await loadContract(spec.contract, { allowRemoteRefs: opts.allowRemoteRefs })
      const name = spec.name ?? apiName(raw)
      return { spec, name, contract: several ? mountContract(raw, name, spec.prefix) : raw }
    }),
  )
  for (const [i, a] of loaded.entries()) {
    const twin = loaded.findIndex((b) => b.name === a.name)
    if (twin !== i)
      throw new SandboxConfigError(
        SANDBOX_ERRORS.BAD_OPTION,
        `two APIs are named "${a.name}" (${loaded[twin]!.spec.contract} and ${a.spec.contract}); give one of them another name (apis[].name, or "name" in the --apis file).`,
      )
  }
  const route = combineRouters(
    loaded.map((a) => ({ ...a, route: createRouter(a.contract.operations) })),
  )
  // Everything read from files is checked before the store is opened (and locked).
  const checked = []
  for (const { spec, contract } of loaded) {
    const validate = createRequestValidator(contract, opts.log)
    const cases = await loadCases(spec.fixtures, contract, {
      validate,
      check: opts.fixtureCheck,
      warn: opts.log,
    })
    checked.push({ validate, cases })
  }
  // One fictitious world: what any API's fixture cases say about a SIREN or an RNA holds in every
  // generated answer of every API.
  const facts = factsFromCases(checked.flatMap(({ cases }) => [...cases.values()].flat()))
  // Every API's data treats one day as today: the day given, else the day the sandbox starts on.
  const today = opts.referenceDay ? new Date(`${opts.referenceDay}T00:00:00Z`) : dayOf(opts.now())
  const parts = []
  for (const [i, { spec, name, contract }] of loaded.entries()) {
    const { validate, cases } = checked[i]!
    const table = await loadRateTable(spec.rateLimits, contract, opts.log)
    const fieldScopes = await loadFieldScopes(
      spec.fieldScopes ?? '',
      contract,
      spec.fieldScopes ? opts.log : () => undefined,
    )
    const resources = await createResourceService(
      contract,
      opts.processing,
      opts.log,
      opts.processing === DEFAULTS.processing,
    )
    const generator = createDataGenerator(contract, {
      seed: opts.seed,
      documentBaseUrl: opts.publicUrl,
      ...(opts.locale ? { locale: opts.locale } : {}),
      nullRate: opts.nullRate,
      facts,
      today,
    })
    parts.push({
      spec,
      name,
      contract,
      validate,
      cases,
      table: table && i > 0 ? qualifyGroups(table, name) : table,
      fieldScopes,
      resources,
      generator,
    })
  }
  const scenarioList = await loadScenarios(opts.scenarios, opts.log)
  const magic = await loadMagicIdentifiers(opts.magicIdentifiers)
  const store = await openStore(opts.state, opts.now, opts.log, opts.redisWait * 1000)
  const clock = createSandboxClock(store, opts.now)
  const journal = await openJournal(opts, undefined, clock, clientSince(store))
  // Issuers advertised by earlier runs on this state: their tokens (portal ones last months) stay ours.
  const ISSUERS = 'issuers'
  const publicBase = createPublicBase(
    opts.publicUrl,
    !opts.publicUrlFromHost,
    (await store.global.entries<number>(ISSUERS)).map(([url]) => url),
    (url) =>
      void store.global.set(ISSUERS, url, opts.now()).catch(() => {
        // Not remembered: only tokens of this run are lost after a restart on another port.
      }),
  )
  // One authorization server and client registry for every API; privileges per API.
  const auth = await createAuthService({
    options: opts,
    contract: loaded[0]!.contract,
    store,
    clock,
    base: publicBase,
    ...(several
      ? {
          apis: loaded.map((a) => ({
            name: a.name,
            contract: a.contract,
            ...(a.spec.privileges ? { privileges: a.spec.privileges } : {}),
            ...(a.spec.fieldScopes ? { fieldScopes: a.spec.fieldScopes } : {}),
          })),
        }
      : {}),
  })
  const scenarios = createScenarioService(scenarioList, store, clock)
  const interruptions = createInterruptions(store, opts.now)
  const tables = parts.map((p) => p.table)
  let mainTraffic: TrafficService | undefined
  const apis: SandboxContext[] = []
  for (const [i, part] of parts.entries()) {
    const { spec, name, contract, validate, cases, fieldScopes, resources, generator } = part
    const traffic = createTrafficService(
      opts,
      store,
      clock,
      tables[i],
      mainTraffic && {
        bans: mainTraffic.bans,
        holder: mainTraffic.holder,
        tables: () => tables,
      },
    )
    mainTraffic ??= traffic
    apis.push({
      options: opts,
      publicBase,
      api: { name, prefix: several ? spec.prefix : '' },
      apis,
      contract,
      store,
      clock,
      route,
      errors: createErrorBodies(contract, opts.locale ? { locale: opts.locale } : {}),
      validate,
      data: { cases, magic, generator },
      auth,
      traffic,
      scenarios,
      journal,
      fieldScopes,
      interruptions,
      resources,
      callbacks: createCallbackService({
        api: name,
        contract,
        store,
        clock,
        journal,
        resources,
        generator,
        options: opts.callbacks,
        realNow: opts.now,
        log: opts.log,
      }),
    })
  }
  const ctx = apis[0]!
  for (const api of apis) api.callbacks.start()
  journalAuthEvents(ctx.auth.events, journal, clock, opts.log)
  const handle = createApiHandler(
    ctx,
    several
      ? dispatchByApi(apis.map((a) => ({ name: a.api.name, pipeline: assemblePipeline(a) })))
      : assemblePipeline(ctx),
  )

  // API requests reach the pipeline straight from node:http (`createDispatcher`). express, and what it
  // serves (the admin surface, the OAuth endpoints, the console), is loaded on the first request for
  // one of them: a sandbox that only serves its API (a CI job, a load test) answers without it.
  const app = onFirstRequest(
    async () => (await import('./express-app.js')).createExpressApp(ctx, startedAt, handle),
    opts.log,
  )
  const listener = createDispatcher({
    api: handle,
    route: ctx.route,
    app,
    health: createHealthListener(ctx, startedAt),
  })

  let server: Server | undefined
  let closing: Promise<void> | undefined
  return {
    app: listener,
    context: ctx,
    adminToken: opts.adminToken,
    ...(tokenFile ? { adminTokenFile: tokenFile } : {}),
    ...(ctx.auth.demoClient ? { demoClient: ctx.auth.demoClient } : {}),
    listen: (port = 0, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        // Request line and headers past the limit never reach a stage: Node's parser answers 431.
        // Idle keep-alive connections outlive a load balancer's own idle timeout, so that it never
        // reuses one the sandbox is closing; Node's 5-minute bound on a whole request stays, unless
        // the headers' is longer.
        const s = createServer(
          {
            maxHeaderSize: opts.maxHeaderBytes,
            keepAliveTimeout: opts.keepAliveTimeout * 1000,
            headersTimeout: opts.headersTimeout * 1000,
            requestTimeout: Math.max(NODE_REQUEST_TIMEOUT_MS, opts.headersTimeout * 1000),
          },
          listener,
        )
        server = s
        s.once('error', reject)
        s.listen(port, host, () => {
          const address = s.address() as AddressInfo
          const url = listeningUrl(address.address, address.family, address.port)
          publicBase.listening(url)
          resolve({ url, port: address.port, server: s })
        })
      }),
    close: () =>
      (closing ??= (async () => {
        if (server) {
          const s = server
          await new Promise<void>((resolve) => {
            s.close(() => resolve())
            s.closeAllConnections()
          })
        }
        for (const api of apis) await api.callbacks.stop()
        // After the server: connections it cut record their entries first.
        await journal.close()
        await store.close()
      })()),
  }
}
