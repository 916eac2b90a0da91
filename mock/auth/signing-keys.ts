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

/** A signing key as kept in the store (global scope, namespace `signing-keys`). */
interface StoredKey {
  kid: string
  alg: string
  privateJwk: JWK
  publicJwk: JWK
  /** Real time, ms. */
  createdAt: number
  /** Real time (ms) after which a retired key leaves the JWKS: its last token has expired by then. */
  publishUntil?: number
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
}

const KEYS = 'signing-keys'
const POINTER = 'signing'
const ALGORITHMS = new Set(['ES256', 'RS256', 'EdDSA'])
/** Age after which the cached ring is reloaded, to drop keys retired by another replica. */
const MAX_AGE = 30_000 // ms

async function makeKey(alg: string, now: number): Promise<StoredKey> {
  const pair = await generateKeyPair(alg, { extractable: true })
  const publicJwk = await exportJWK(pair.publicKey)
  const kid = await calculateJwkThumbprint(publicJwk)
  const privateJwk = await exportJWK(pair.privateKey)
  return { kid, alg, privateJwk, publicJwk: { ...publicJwk, kid, alg, use: 'sig' }, createdAt: now }
}

/**
 * Loads the signing keys from the store, making one when there is none (or when the configured
 * algorithm changed): keys survive restarts, so tokens issued before a restart stay valid.
 */
export async function openKeyRing(
  store: Store,
  tokens: TokenOptions,
  now: () => number,
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

  const load = async (): Promise<void> => {
    const t = now()
    const next = new Map<string, LoadedKey>()
    for (const [kid, stored] of await scope.entries<StoredKey>(KEYS)) {
      if (stored.publishUntil !== undefined && stored.publishUntil <= t) {
        await scope.delete(KEYS, kid)
        continue
      }
      const loaded = ring.get(kid)
      next.set(
        kid,
        loaded ?? {
          stored,
          publicKey: (await importJWK(stored.publicJwk, stored.alg)) as CryptoKey,
          privateKey: (await importJWK(stored.privateJwk, stored.alg)) as CryptoKey,
        },
      )
    }
    ring = next
    activeKid = (await scope.get<string>(POINTER, 'active')) ?? ''
    // A read, unlike `entries`, renews a Redis key's default TTL: the key in use never expires.
    if (activeKid) await scope.get(KEYS, activeKid)
    jwks = JSON.stringify({ keys: [...ring.values()].map((k) => k.stored.publicJwk) })
    loadedAt = t
  }

  const install = async (): Promise<{ kid: string; retired: string }> => {
    const t = now()
    const key = await makeKey(tokens.algorithm, t)
    await scope.set(KEYS, key.kid, key)
    const retired = activeKid
    const old = ring.get(retired)?.stored
    if (old) await scope.set(KEYS, old.kid, { ...old, publishUntil: t + retireFor })
    await scope.set(POINTER, 'active', key.kid)
    await load()
    return { kid: key.kid, retired }
  }

  await load()
  const current = ring.get(activeKid)
  if (!current) {
    // First start: replicas starting together race for the pointer; the losers drop their key.
    const key = await makeKey(tokens.algorithm, now())
    await scope.set(KEYS, key.kid, key)
    if (!(await scope.setIfAbsent(POINTER, 'active', key.kid))) await scope.delete(KEYS, key.kid)
    await load()
  } else if (current.stored.alg !== tokens.algorithm) {
    await install()
  }

  const fresh = async (): Promise<void> => {
    if (now() - loadedAt > MAX_AGE) await load()
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
      return jwks
    },
    rotate: install,
  }
}
