import { randomBytes, scrypt } from 'node:crypto'
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, type JWK } from 'jose'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'

/** A private key as kept in the store: in clear, or sealed under the state key (a compact JWE). */
export interface StoredPrivate {
  privateJwk?: JWK
  sealed?: string
}

/**
 * Seals private keys at rest with the state key (`SANDBOX_STATE_KEY`): each key is a compact JWE
 * (`dir`, `A256GCM`) whose content key is derived from the state key by scrypt, with a salt named in
 * the JWE header (one derivation per salt and process). Without a state key, keys stay in clear and
 * a sealed key is refused with a message saying what to set.
 */
export interface KeySealer {
  /** True when a state key is set: new keys are sealed, clear ones get sealed when loaded. */
  readonly sealing: boolean
  /** The stored form of a private key. */
  seal(jwk: JWK): Promise<StoredPrivate>
  /** The private key of a stored record; `what` names it in errors. */
  open(stored: StoredPrivate, what: string): Promise<JWK>
}

/** A stored record with its private key replaced by its sealed form. */
export function resealed<T extends StoredPrivate>(stored: T, sealed: StoredPrivate): T {
  const next: T = { ...stored, ...sealed }
  if (sealed.sealed !== undefined) delete next.privateJwk
  return next
}

/** Shortest state key accepted, characters. */
export const MIN_STATE_KEY = 16
/** Protected-header parameter naming the scrypt salt. */
const SALT = 'stk_salt'
/** scrypt cost: N = 2^15, r = 8, p = 1 (about 50 ms, 32 MiB), once per salt and process. */
const COST = { N: 32_768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }

const derive = (stateKey: string, salt: Buffer): Promise<Uint8Array> =>
  new Promise((done, fail) =>
    scrypt(stateKey, salt, 32, COST, (err, key) => (err ? fail(err) : done(new Uint8Array(key)))),
  )

const bad = (message: string): SandboxConfigError =>
  new SandboxConfigError(SANDBOX_ERRORS.BAD_STATE, message)

/** Builds the sealer; `stateKey` undefined keeps keys in clear. */
export function createKeySealer(stateKey: string | undefined): KeySealer {
  if (stateKey !== undefined && stateKey.length < MIN_STATE_KEY)
    throw new SandboxConfigError(
      SANDBOX_ERRORS.BAD_OPTION,
      `SANDBOX_STATE_KEY (option stateKey) must be at least ${MIN_STATE_KEY} characters long (got ${stateKey.length}); a random one: openssl rand -base64 32`,
    )
  const derived = new Map<string, Promise<Uint8Array>>()
  const keyFor = (salt: string): Promise<Uint8Array> => {
    let key = derived.get(salt)
    if (!key) {
      key = derive(stateKey!, Buffer.from(salt, 'base64url'))
      derived.set(salt, key)
    }
    return key
  }
  // The salt this process seals with: the first one it opened (one derivation), else a new one.
  let sealingSalt: string | undefined
  return {
    sealing: stateKey !== undefined,
    seal: async (jwk) => {
      if (stateKey === undefined) return { privateJwk: jwk }
      sealingSalt ??= randomBytes(16).toString('base64url')
      const sealed = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(jwk)))
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'jwk+json', [SALT]: sealingSalt })
        .encrypt(await keyFor(sealingSalt))
      return { sealed }
    },
    open: async (stored, what) => {
      if (stored.sealed === undefined) {
        if (stored.privateJwk) return stored.privateJwk
        throw bad(`${what} has no private key in the state. Delete the state to start afresh.`)
      }
      if (stateKey === undefined)
        throw bad(
          `${what} is sealed with a state key, and none is set: set SANDBOX_STATE_KEY to the key it was sealed with.`,
        )
      let salt: unknown
      try {
        salt = decodeProtectedHeader(stored.sealed)[SALT]
      } catch {
        salt = undefined
      }
      if (typeof salt !== 'string')
        throw bad(
          `${what} is not a sealed key this sandbox can read. Delete the state to start afresh.`,
        )
      try {
        const { plaintext } = await compactDecrypt(stored.sealed, await keyFor(salt), {
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
        })
        sealingSalt ??= salt
        return JSON.parse(new TextDecoder().decode(plaintext)) as JWK
      } catch {
        throw bad(
          `SANDBOX_STATE_KEY does not open ${what}: it is not the key the state was sealed with. Set the right one, or delete the state to start afresh.`,
        )
      }
    },
  }
}
