import { accountStatus, type AccountStatus } from '../auth/account-status.js'
import { randomBytes } from 'node:crypto'
import { fingerprint } from '../auth/secret-hash.js'
import type { SandboxClient } from '../auth/client-registry.js'
import type { SandboxContext } from '../context.js'

/** What the console keeps about an account beyond the sandbox client itself. */
export interface ConsoleAccount {
  email: string
  /** `signup` (the reuser made it) or `admin`. */
  via: 'signup' | 'admin'
  createdAt: number
}

/** An invite code, stored under the hash of the code (the code itself is shown once). */
export interface InviteCode {
  id: string
  /** The code's first characters, to tell codes apart in lists. */
  hint: string
  usesLeft: number
  /** Real ms. */
  expiresAt: number
  createdAt: number
}

const ACCOUNTS = 'console-accounts'
const INVITES = 'console-invites'

/** The account colours: one meaning everywhere (see `auth/account-status.ts`). */
export type AccountColour = AccountStatus

/** The account's colour at sandbox time `sandboxNow`. */
export const accountColour = (
  client: SandboxClient,
  sandboxNow: number,
  noticeMs: number,
): AccountColour => accountStatus(client, sandboxNow, noticeMs).status

/** A plausible email address: one @, a dotted domain, no spaces; at most 254 characters. */
export const isEmail = (value: string): boolean =>
  value.length <= 254 && /^[^\s@<>()"',;]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(value)

export function createAccounts(ctx: SandboxContext) {
  const scope = ctx.store.global
  return {
    get: (clientId: string) => scope.get<ConsoleAccount>(ACCOUNTS, clientId),
    set: (clientId: string, account: ConsoleAccount) => scope.set(ACCOUNTS, clientId, account),
    remove: (clientId: string) => scope.delete(ACCOUNTS, clientId),
    all: async () => new Map(await scope.entries<ConsoleAccount>(ACCOUNTS)),
    /** Makes a code valid for `uses` sign-ups during `days` days. Resolves the code (shown once). */
    createInvite: async (
      uses: number,
      days: number,
    ): Promise<{ code: string; invite: InviteCode }> => {
      const code = randomBytes(12).toString('base64url')
      const now = ctx.options.now()
      const invite: InviteCode = {
        id: randomBytes(6).toString('hex'),
        hint: code.slice(0, 4),
        usesLeft: uses,
        expiresAt: now + days * 86_400_000,
        createdAt: now,
      }
      await scope.set(INVITES, fingerprint(code), invite)
      return { code, invite }
    },
    invites: async (): Promise<InviteCode[]> =>
      (await scope.entries<InviteCode>(INVITES))
        .map(([, i]) => i)
        .sort((a, b) => b.createdAt - a.createdAt),
    deleteInvite: async (id: string): Promise<boolean> => {
      for (const [key, i] of await scope.entries<InviteCode>(INVITES))
        if (i.id === id) return scope.delete(INVITES, key)
      return false
    },
    /** True when the code is valid; it then counts one use. */
    useInvite: async (code: string): Promise<boolean> => {
      if (!/^[\w-]{8,64}$/.test(code)) return false
      const key = fingerprint(code)
      const invite = await scope.get<InviteCode>(INVITES, key)
      if (!invite || invite.usesLeft < 1 || invite.expiresAt <= ctx.options.now()) return false
      await scope.set(INVITES, key, { ...invite, usesLeft: invite.usesLeft - 1 })
      return true
    },
  }
}

export type Accounts = ReturnType<typeof createAccounts>
