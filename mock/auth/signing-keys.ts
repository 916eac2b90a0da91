import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import type { TokenOptions } from '../options.js'
import type { Store } from '../store/store.js'
import { createKeySealer, resealed, type KeySealer, type StoredPrivate } from './sealed-key.js'

/**
 * A signing key as kept in the store (global scope, namespace `signing-keys`): its private half in
 * clear, or sealed under the state key.
 */
interface StoredKey extends StoredPrivate {
  kid: string
  alg: string
  publicJwk: JWK
  /** Real time, ms. */
  createdAt: number
  /** Real time (ms) after which a retired key leaves the JWKS: its last token has expired by then. */
  publishUntil?: number
  /** Longest lifetime (s) of a token it signed, when beyond `tokens.maxLifetime` (portal tokens). */
  longest?: number
}

interface LoadedKey {
  stored: StoredKey
  publicKey: CryptoKey
  privateKey: CryptoKey
}

/** The sandbox's signing keys: the active one signs, retired ones still verify until dropped. */
export interface KeyRing {
  /** The key new tokens are signed with. */
  active(): Promise<{ kid: string; alg: string; privateKey: CryptoKey }>
  /** The public key of a `kid` with its algorithm, or `undefined` for an unknown `kid`. */
  verificationKey(kid: string): Promise<{ alg: string; publicKey: CryptoKey } | undefined>
  /** The JWK Set served at `/.well-known/jwks.json`, serialised once per change. */
  jwks(): Promise<string>
  /** Makes a new active key; the old one stays published until its last token expires. */
  rotate(): Promise<{ kid: string; retired: string }>
  /**
   * Withdraws a key at once (a leaked key): it leaves the store and the JWKS, and the tokens it signed
   * no longer verify. Withdrawing the active key makes a new one first. Resolves `undefined` for a
   * `kid` the sandbox does not hold.
   */
  withdraw(kid: string): Promise<{ withdrawn: string; active: string } | undefined>
  /** True while `kid` is one of the keys this replica verifies with (no store read). */
  holds(kid: string): boolean
  /**
   * Once a second at most, one read of the key set's version: a key withdrawn on another replica
   * leaves this one's ring. `undefined` when no read is due (nothing to wait for).
   */
  sync(): Promise<void> | undefined
  /**
   * Remembers, before a token of `lifetime` seconds is signed with `kid`, how long the key must stay
   * published once retired. Only lifetimes beyond `tokens.maxLifetime` are written.
   */
  signing(kid: string, lifetime: number): Promise<void>
  /** Seals and opens private keys at rest (shared with the attestation key). */
  readonly sealer: KeySealer
}

const KEYS = 'signing-keys'
const POINTER = 'signing'
const ALGORITHMS = new Set(['ES256', 'RS256', 'EdDSA'])
/** Age after which the cached ring is reloaded, to drop keys retired by another replica. */
const MAX_AGE = 30_000 // ms
/** Real time between two reads of the key set's version (bumped by a withdrawal). */
const VERSION_EVERY = 1000 // ms

async function makeKey(alg: string, now: number, sealer: KeySealer): Promise<StoredKey> {
  const pair = await generateKeyPair(alg, { extractable: true })
  const publicJwk = await exportJWK(pair.publicKey)
  const kid = await calculateJwkThumbprint(publicJwk)
  const sealed = await sealer.seal(await exportJWK(pair.privateKey))
  return { kid, alg, ...sealed, publicJwk: { ...publicJwk, kid, alg, use: 'sig' }, createdAt: now }
}

/**
 * Loads the signing keys from the store, making one when there is none (or when the configured
 * algorithm changed): keys survive restarts, so tokens issued before a restart stay valid. With a
 * sealing state key, keys found in clear are sealed as they are loaded.
 */
export async function openKeyRing(
  store: Store,
  tokens: TokenOptions,
  now: () => number,
  sealer: KeySealer = createKeySealer(undefined),
): Promise<KeyRing> {
  if (!ALGORITHMS.has(tokens.algorithm)) {
    throw new SandboxConfigError(
      SANDBOX_ERRORS.BAD_OPTION,
      `option tokens.algorithm must be ES256, RS256 or EdDSA, got ${String(tokens.algorithm)}`,
    )
  }
  const scope = store.global
  const retireFor = tokens.maxLifetime * 1000
  let ring = new Map<string, LoadedKey>()
  let activeKid = ''
  let jwks = ''
  let loadedAt = 0
  // The key set's version as of the last load, and when it was last read.
  let version: string | undefined
  let versionReadAt = 0

  const load = async (): Promise<void> => {
    const t = now()
    // Read first: a withdrawal made while this load runs is seen by the next version read.
    version = await scope.get<string>(POINTER, 'version')
    versionReadAt = t
    // The pointer before the keys: a key made after this read is loaded once the pointer names it.
    const active = (await scope.get<string>(POINTER, 'active')) ?? ''
    const next = new Map<string, LoadedKey>()
    for (const [kid, stored] of await scope.entries<StoredKey>(KEYS)) {
      if (stored.publishUntil !== undefined && stored.publishUntil <= t) {
        await scope.delete(KEYS, kid)
        continue
      }
      // Neither active nor retired: a key another replica is about to make active (published once
      // the pointer names it), or one that lost the race for the pointer at a first start and is
      // about to be dropped. Neither has signed anything yet.
      if (kid !== active && stored.publishUntil === undefined) continue
      const loaded = ring.get(kid)
      if (loaded) {
        next.set(kid, { ...loaded, stored })
        continue
      }
      const privateJwk = await sealer.open(stored, `signing key ${kid}`)
      if (sealer.sealing && stored.sealed === undefined) {
        // Found in clear with a state key set: sealed now, the clear copy overwritten.
        await scope.set(KEYS, kid, resealed(stored, await sealer.seal(privateJwk)))
      }
      next.set(kid, {
        stored,
        publicKey: (await importJWK(stored.publicJwk, stored.alg)) as CryptoKey,
        privateKey: (await importJWK(privateJwk, stored.alg)) as CryptoKey,
      })
    }
    ring = next
    activeKid = active
    // A read, unlike `entries`, renews a Redis key's default TTL: the key in use never expires.
    if (activeKid) await scope.get(KEYS, activeKid)
    jwks = JSON.stringify({ keys: [...ring.values()].map((k) => k.stored.publicJwk) })
    loadedAt = t
  }

  const install = async (): Promise<{ kid: string; retired: string }> => {
    const t = now()
    const key = await makeKey(tokens.algorithm, t, sealer)
    await scope.set(KEYS, key.kid, key)
    const retired = activeKid
    // Read again: another replica may have signed a longer token with it since this one loaded it.
    const old = retired ? await scope.get<StoredKey>(KEYS, retired) : undefined
    if (old) {
      const horizon = Math.max(retireFor, (old.longest ?? 0) * 1000)
      await scope.set(KEYS, old.kid, { ...old, publishUntil: t + horizon })
    }
    await scope.set(POINTER, 'active', key.kid)
    await load()
    return { kid: key.kid, retired }
  }

  await load()
  const current = ring.get(activeKid)
  if (!current) {
    // First start: replicas starting together race for the pointer; the losers drop their key.
    const key = await makeKey(tokens.algorithm, now(), sealer)
    await scope.set(KEYS, key.kid, key)
    if (!(await scope.setIfAbsent(POINTER, 'active', key.kid))) await scope.delete(KEYS, key.kid)
    await load()
  } else if (current.stored.alg !== tokens.algorithm) {
    await install()
  }

  const fresh = async (): Promise<void> => {
    if (now() - loadedAt > MAX_AGE) await load()
  }
  const followVersion = async (): Promise<void> => {
    versionReadAt = now()
    if ((await scope.get<string>(POINTER, 'version')) !== version) await load()
  }
  // One read of the pointer: a rotation made on another replica signs and is published here at once.
  const followPointer = async (): Promise<void> => {
    if ((await scope.get<string>(POINTER, 'active')) !== activeKid) await load()
    else await fresh()
  }
  return {
    active: async () => {
      await followPointer()
      const k = ring.get(activeKid)
      // The pointer names a key another replica dropped: make one rather than fail every token.
      if (!k) await install()
      const key = ring.get(activeKid)!
      return { kid: key.stored.kid, alg: key.stored.alg, privateKey: key.privateKey }
    },
    verificationKey: async (kid) => {
      await fresh()
      let k = ring.get(kid)
      // A kid this replica has not loaded: one read says whether another replica just made it, so
      // its tokens verify here at once; a flood of random kids costs a read each, never a reload.
      if (!k && (await scope.get<StoredKey>(KEYS, kid)) !== undefined) {
        await load()
        k = ring.get(kid)
      }
      return k ? { alg: k.stored.alg, publicKey: k.publicKey } : undefined
    },
    jwks: async () => {
      await followPointer()
      // A retired key withdrawn on another replica leaves the set without moving the pointer.
      if (now() - versionReadAt >= VERSION_EVERY) await followVersion()
      return jwks
    },
    rotate: install,
    withdraw: async (kid) => {
      if ((await scope.get<StoredKey>(KEYS, kid)) === undefined) return undefined
      await followPointer()
      if (kid === activeKid) await install()
      await scope.delete(KEYS, kid)
      // Every other replica reads the new version within a second and drops the key.
      await scope.set(POINTER, 'version', `${kid}@${now()}`)
      await load()
      return { withdrawn: kid, active: activeKid }
    },
    holds: (kid) => ring.has(kid),
    sync: () => (now() - versionReadAt >= VERSION_EVERY ? followVersion() : undefined),
    signing: async (kid, lifetime) => {
      if (lifetime * 1000 <= retireFor) return
      const loaded = ring.get(kid)
      if (loaded && (loaded.stored.longest ?? 0) >= lifetime) return
      const stored = await scope.get<StoredKey>(KEYS, kid)
      if (!stored || (stored.longest ?? 0) >= lifetime) return
      const next = { ...stored, longest: lifetime }
      await scope.set(KEYS, kid, next)
      if (loaded) loaded.stored = next
    },
    sealer,
  }
}
