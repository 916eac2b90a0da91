import { randomBytes } from 'node:crypto'
import type { SandboxContext } from '../context.js'
import { parseClientInput } from './client-input.js'
import type { SandboxClient } from './client-registry.js'

/** Who changes a client, for its journal event. */
export interface ClientActor {
  by: 'admin' | 'client'
  ip?: string
}

/** A refused change: the status to answer and what to do next. */
export interface ClientRefusal {
  ok: false
  status: 400 | 404 | 409
  detail: string
}

/**
 * Creating, changing, deleting and unlocking clients, one way for every surface (the admin API, the
 * console's operator and reuser pages): the body is checked by `parseClientInput`, the change is
 * stored, and the `client` event is emitted (the journal records it).
 */
export function clientAdmin(ctx: SandboxContext) {
  const inputOptions = { tokens: ctx.options.tokens, known: ctx.auth.privileges }
  const emit = (
    clientId: string,
    action: 'created' | 'updated' | 'deleted' | 'unlocked',
    actor: ClientActor,
  ): void =>
    ctx.auth.events.emit({
      type: 'client',
      clientId,
      action,
      by: actor.by,
      ...(actor.ip !== undefined ? { ip: actor.ip } : {}),
      at: ctx.options.now(),
    })
  return {
    /** Creates a client from an admin body (snake_case fields); the secret is returned once. */
    async create(
      body: Record<string, unknown>,
      actor: ClientActor,
    ): Promise<{ ok: true; client: SandboxClient; secret: string } | ClientRefusal> {
      const parsed = parseClientInput(body, 'create', inputOptions)
      if (!parsed.ok) return { ok: false, status: 400, detail: parsed.detail }
      const { clientId = `cli_${randomBytes(8).toString('hex')}`, secret, settings } = parsed.input
      const made = await ctx.auth.clients.create(
        clientId,
        { ...ctx.auth.defaultSettings(), ...settings },
        secret,
      )
      if (!made)
        return {
          ok: false,
          status: 409,
          detail: `Client id ${clientId} is taken: choose another, or omit client_id.`,
        }
      emit(clientId, 'created', actor)
      return { ok: true, client: made.client, secret: made.secret }
    },
    /** Changes a client's settings (not its secret). */
    async update(
      clientId: string,
      body: Record<string, unknown>,
      actor: ClientActor,
    ): Promise<{ ok: true; client: SandboxClient } | ClientRefusal> {
      const parsed = parseClientInput(body, 'update', inputOptions)
      if (!parsed.ok) return { ok: false, status: 400, detail: parsed.detail }
      const client = await ctx.auth.clients.update(clientId, parsed.input.settings)
      if (!client) return { ok: false, status: 404, detail: `No client ${clientId}.` }
      emit(clientId, 'updated', actor)
      return { ok: true, client }
    },
    /** Removes a client and its state; false when there was none. */
    async remove(clientId: string, actor: ClientActor): Promise<boolean> {
      if (!(await ctx.auth.clients.remove(clientId))) return false
      emit(clientId, 'deleted', actor)
      return true
    },
    /** Lifts the lockouts of a client id. */
    async unlock(clientId: string, actor: ClientActor): Promise<void> {
      await ctx.auth.lockout.lift(clientId)
      emit(clientId, 'unlocked', actor)
    },
  }
}
