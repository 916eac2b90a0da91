import { performance } from 'node:perf_hooks'
import type { Contract, Operation } from '../contract/types.js'
import type { DataGenerator } from '../data/generate-response.js'
import type { Journal } from '../journal/journal.js'
import type { NewJournalEntry } from '../journal/journal-entry.js'
import type { ResourceService } from '../resources/resource-service.js'
import { render, resourceRepo } from '../resources/resource-store.js'
import type { Store } from '../store/store.js'
import type { SandboxClock } from '../clock/clock.js'
import { accountRepo, valueAt } from './account.js'
import {
  fillPayload,
  payloadOperation,
  readCallbacks,
  resolveExpression,
  type CallbackSpec,
} from './callback-spec.js'

/** Retry delays after a failed delivery, on the client's sandbox clock: 30 s, 2 min, 10 min, 1 h, 4 h. */
export const RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 3_600_000, 14_400_000]
/** A call-back without a status is sent this long after the resource's creation (sandbox ms). */
export const STATUSLESS_DELAY_MS = 1_000

import type { CallbackOptions } from '../options.js'

export type { CallbackOptions }

/** What kind of delivery a journal entry records. */
export type DeliveryKind = 'event' | 'redelivery' | 'wrong-token'

interface OutboxItem {
  eventId: string
  api: string
  collection: string
  resourceId: string
  /** Operation that declares the call-back. */
  operationId: string
  callback: string
  /** Timeline step announced; `-1` for a resource without status. */
  step: number
  status?: string
  /** Sandbox ms. */
  dueAt: number
  /** Attempts made so far. */
  attempts: number
}

export interface CallbackService {
  /** Delivers what is due for every client (or one); resolves once done. */
  runDue(clientId?: string): Promise<void>
  /** Hosts call-backs may go to now (the admin's list, else the default). */
  allowedHosts(): Promise<string[]>
  setAllowedHosts(hosts: readonly string[]): Promise<void>
  /** True when call-backs may go to this URL's host. */
  hostAllowed(url: string): Promise<boolean>
  /** The API accounts are kept under. */
  readonly api: string
  /** True when an operation of this API declares call-backs. */
  readonly callsBack: boolean
  /** True when a client holding these privileges is entitled to an API that calls back. */
  entitled(privileges: readonly string[]): boolean
  start(): void
  stop(): Promise<void>
}

const OUTBOX = 'callback-outbox'
const PENDING = 'callback-clients'
const LOCK = 'callback-lock'
const PROBED = 'callback-probed'
const HOSTS = 'callback-hosts'

export interface CallbackDeps {
  api: string
  contract: Contract
  store: Store
  clock: SandboxClock
  journal: Journal
  resources: ResourceService
  generator: DataGenerator
  options: CallbackOptions
  realNow: () => number
  log: (line: string) => void
}

/**
 * Call-backs: when a resource is created or changes status, one delivery per status change is put in
 * the client's outbox, due at the sandbox time the status is reached; a poller (or `runDue`) sends
 * what is due to the URL on the client's API account (or the URL the contract's expression names),
 * with the account's token, retries with backoff on the client's clock, and journals every attempt.
 */
export function createCallbackService(deps: CallbackDeps): CallbackService {
  const { store, clock, journal, resources, generator, options } = deps
  const specs = readCallbacks(deps.contract)
  const ops = new Map(deps.contract.operations.map((o) => [o.id, o]))
  const privileges = new Set(
    deps.contract.operations.filter((o) => specs.has(o.id)).flatMap((o) => o.privileges),
  )

  resources.listen(async ({ clientId, resource, model, createOperationId }) => {
    const declared = specs.get(createOperationId)
    if (!declared) return
    const now = resource.updatedAt
    const items: OutboxItem[] = []
    for (const cb of declared) {
      const base = {
        api: deps.api,
        collection: resource.collection,
        resourceId: resource.id,
        operationId: createOperationId,
        callback: cb.name,
        attempts: 0,
      }
      if (!resource.timeline || !model.statusField) {
        if (resource.version === 1)
          items.push({
            ...base,
            eventId: `${resource.id}.0`,
            step: -1,
            dueAt: now + STATUSLESS_DELAY_MS,
          })
        continue
      }
      // Every status after the first one: planned ones at their time, an action's at once.
      resource.timeline.forEach((s, i) => {
        if (i === 0 || s.at < now) return
        items.push({
          ...base,
          eventId: `${resource.id}.${i}`,
          step: i,
          status: s.status,
          dueAt: s.at,
        })
      })
    }
    const scope = store.scope(clientId)
    for (const item of items) await scope.set(OUTBOX, `${item.eventId}.${item.callback}`, item)
    if (items.length > 0) await store.global.set(PENDING, clientId, 1)
  })

  const allowedHosts = async (): Promise<string[]> =>
    (await store.global.get<string[]>(HOSTS, 'list')) ?? [...options.allowedHosts]
  const hostAllowed = async (url: string): Promise<boolean> => {
    let u: URL
    try {
      u = new URL(url)
    } catch {
      return false
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return false
    const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase()
    return (await allowedHosts()).some((h) => h.toLowerCase() === host)
  }

  const record = (
    clientId: string,
    sandboxNow: number,
    item: OutboxItem,
    kind: DeliveryKind,
    url: string | undefined,
    result: Partial<Pick<NewJournalEntry, 'status' | 'code' | 'latencyMs' | 'bytes'>> & {
      outcome: NewJournalEntry['outcome']
    },
    extra: Record<string, unknown> = {},
  ): void => {
    if (!journal.enabled) return
    let path = url ?? '-'
    let host = '-'
    try {
      if (url) ({ pathname: path, host } = new URL(url))
    } catch {
      /* kept as given */
    }
    journal.record({
      kind: 'callback',
      at: new Date(deps.realNow()).toISOString(),
      sandboxAt: new Date(sandboxNow).toISOString(),
      clientId,
      ip: host,
      method: 'POST',
      path,
      operation: item.operationId,
      ...(ops.get(item.operationId)?.api !== undefined ? { api: item.api } : {}),
      latencyMs: 0,
      bytes: 0,
      clientClosed: false,
      ...result,
      notes: {
        delivery: kind,
        event: item.eventId,
        callback: item.callback,
        attempt: item.attempts + 1,
        resource: item.resourceId,
        ...(item.status !== undefined ? { resourceStatus: item.status } : {}),
        ...extra,
      },
    })
  }

  const send = async (
    url: string,
    token: string | undefined,
    payload: string,
  ): Promise<{ status?: number; latencyMs: number; error?: string }> => {
    const started = performance.now()
    try {
      const res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'sandbox-twin call-back',
          ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
        },
        body: payload,
        signal: AbortSignal.timeout(options.timeoutMs),
      })
      await res.arrayBuffer().catch(() => undefined)
      return { status: res.status, latencyMs: Math.round(performance.now() - started) }
    } catch (err) {
      const timedOut =
        err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
      return {
        latencyMs: Math.round(performance.now() - started),
        error: timedOut ? 'timeout' : 'unreachable',
      }
    }
  }

  const deliver = async (
    clientId: string,
    key: string,
    item: OutboxItem,
    now: number,
  ): Promise<void> => {
    const scope = store.scope(clientId)
    const owner = ops.get(item.operationId)
    const spec = specs.get(item.operationId)?.find((s) => s.name === item.callback)
    const resource = await resourceRepo(scope).get(item.collection, item.resourceId)
    const createModel = resources.operations.get(item.operationId)
    // A resource deleted, or a planned status that a cancellation replaced: nothing to announce.
    if (
      !owner ||
      !spec ||
      !resource ||
      !createModel ||
      (item.step >= 0 && resource.timeline?.[item.step]?.status !== item.status)
    ) {
      await scope.delete(OUTBOX, key)
      return
    }
    const at = item.step >= 0 ? resource.timeline![item.step]!.at : resource.createdAt
    const shown = render(resource, createModel, at)
    const account = await accountRepo(scope).get(deps.api)
    const url = resolveExpression(spec.expression, {
      ...(valueAt(account.urls, now) !== undefined
        ? { accountUrl: valueAt(account.urls, now)! }
        : {}),
      requestBody: resource.sent,
      responseBody: shown,
    })
    const token = valueAt(account.tokens, now)
    if (url === undefined || !(await hostAllowed(url))) {
      const code = url === undefined ? 'no-url' : 'host-not-allowed'
      if (url === undefined && item.attempts + 1 < RETRY_DELAYS_MS.length + 1) {
        // The account may get its URL later (a yellow account): keep trying on the retry schedule.
        record(clientId, now, item, 'event', url, { outcome: 'server-closed', code })
        await scope.set(OUTBOX, key, {
          ...item,
          attempts: item.attempts + 1,
          dueAt: now + RETRY_DELAYS_MS[item.attempts]!,
        })
        return
      }
      record(clientId, now, item, 'event', url, { outcome: 'server-closed', code })
      await scope.delete(OUTBOX, key)
      return
    }
    const payload = JSON.stringify(buildPayload(owner, spec, shown, item.eventId))
    const result = await send(url, token, payload)
    const ok = result.status !== undefined && result.status >= 200 && result.status < 300
    record(clientId, now, item, 'event', url, {
      outcome: result.status !== undefined ? 'answered' : 'server-closed',
      code: ok ? 'delivered' : (result.error ?? 'refused'),
      latencyMs: result.latencyMs,
      bytes: Buffer.byteLength(payload),
      ...(result.status !== undefined ? { status: result.status } : {}),
    })
    if (ok) {
      await scope.delete(OUTBOX, key)
      if (options.probes && (await scope.setIfAbsent(PROBED, deps.api, 1))) {
        const again = await send(url, token, payload)
        record(clientId, now, item, 'redelivery', url, outcomeOf(again, payload))
        const wrong = await send(url, `sandbox-wrong-token-${item.eventId}`, payload)
        record(clientId, now, item, 'wrong-token', url, outcomeOf(wrong, payload))
      }
      return
    }
    const attempts = item.attempts + 1
    if (attempts > RETRY_DELAYS_MS.length) {
      record(
        clientId,
        now,
        { ...item, attempts },
        'event',
        url,
        { outcome: 'server-closed', code: 'abandoned' },
        { attempts },
      )
      await scope.delete(OUTBOX, key)
      return
    }
    await scope.set(OUTBOX, key, { ...item, attempts, dueAt: now + RETRY_DELAYS_MS[attempts - 1]! })
  }

  const buildPayload = (
    owner: Operation,
    spec: CallbackSpec,
    shown: Record<string, unknown>,
    eventId: string,
  ): unknown => {
    const generated = generator.generateBody(
      payloadOperation(owner, spec),
      { event: eventId },
      '200',
    )
    return fillPayload(generated ?? {}, shown, eventId, spec.schema)
  }

  const runClient = async (clientId: string): Promise<void> => {
    const scope = store.scope(clientId)
    const now = await clock.now(clientId)
    // Beside other APIs, each API's service sends its own call-backs only.
    const due = (await scope.entries<OutboxItem>(OUTBOX))
      .filter(([, item]) => item.dueAt <= now && item.api === deps.api)
      .sort((a, b) => a[1].dueAt - b[1].dueAt || (a[0] < b[0] ? -1 : 1))
    for (const [key, item] of due) {
      // One replica delivers each attempt.
      if (!(await scope.setIfAbsent(LOCK, `${key}.${item.attempts}`, 1, 60_000))) continue
      await deliver(clientId, key, item, now)
    }
  }

  let running: Promise<void> | undefined
  const runDue = async (clientId?: string): Promise<void> => {
    if (clientId !== undefined) return runClient(clientId)
    for (const [id] of await store.global.entries<number>(PENDING)) await runClient(id)
  }
  let timer: NodeJS.Timeout | undefined
  return {
    runDue,
    allowedHosts,
    setAllowedHosts: (hosts) => store.global.set(HOSTS, 'list', [...hosts]),
    hostAllowed,
    api: deps.api,
    callsBack: specs.size > 0,
    entitled: (held) => privileges.size === 0 || held.some((p) => privileges.has(p)),
    start() {
      if (options.pollMs <= 0 || specs.size === 0 || timer) return
      timer = setInterval(() => {
        if (running) return
        running = runDue()
          .catch((err: unknown) =>
            deps.log(`call-backs: ${err instanceof Error ? err.message : String(err)}`),
          )
          .finally(() => (running = undefined))
      }, options.pollMs)
      timer.unref()
    },
    async stop() {
      if (timer) clearInterval(timer)
      timer = undefined
      await running
    },
  }
}

const outcomeOf = (
  r: { status?: number; latencyMs: number; error?: string },
  payload: string,
): {
  outcome: NewJournalEntry['outcome']
  status?: number
  code: string
  latencyMs: number
  bytes: number
} => ({
  outcome: r.status !== undefined ? 'answered' : 'server-closed',
  code:
    r.status !== undefined
      ? r.status >= 200 && r.status < 300
        ? 'delivered'
        : 'refused'
      : (r.error ?? 'unreachable'),
  latencyMs: r.latencyMs,
  bytes: Buffer.byteLength(payload),
  ...(r.status !== undefined ? { status: r.status } : {}),
})
