import { createHash, hash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { lazyLru } from '../lazy-cache.js'

/**
 * scrypt cost: N = 2^14, r = 8, p = 1 (about 30 ms, 16 MiB a run). That is below OWASP's minimum for
 * stored passwords (it pairs 2^14 with p = 5): a cost kept low for a token endpoint any stranger can
 * call, for secrets bound by the account's secret rule. Each hash records its parameters, so raising
 * them later leaves the hashes already stored valid.
 */
const N = 16_384
const R = 8
const P = 1
const KEY_LENGTH = 32 // bytes
const MAX_MEM = 64 * 1024 * 1024 // 64 MiB

const derive = (secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> =>
  new Promise((done, fail) =>
    scrypt(secret, salt, KEY_LENGTH, { N: n, r, p, maxmem: MAX_MEM }, (err, key) =>
      err ? fail(err) : done(key),
    ),
  )

/**
 * Hashes made by this process in the last minutes, with a fingerprint of their secret (never the
 * secret): a client's first authentication, right after its secret was made, is checked without
 * running scrypt a second time. Besides its CPU, each scrypt run leaves its 16 MiB of working memory
 * resident in the allocator of the thread that ran it; a new client no longer costs two of them.
 */
const justHashed = lazyLru<string, string>({ max: 1000, ttl: 300_000 })

/** Hashes a client secret: `scrypt$N$r$p$<salt>$<hash>`, salt and hash in base64url. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(secret, salt, N, R, P)
  const stored = `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`
  justHashed().set(stored, fingerprint(secret))
  return stored
}

/** A secret given to a client registry with its hash already made. */
export interface PreparedSecret {
  readonly secret: string
  /** The stored form: `scrypt$...` ({@link hashSecret}) or `sha256$...` ({@link drawDemoSecret}). */
  readonly hash: Promise<string>
}

/** SHA-256 of a salt and a secret. */
const saltedSha256 = (salt: Buffer, secret: string): Buffer =>
  createHash('sha256').update(salt).update(secret).digest()

/**
 * Draws the demo client's secret ({@link generateSecret}) and hashes it with a salted SHA-256:
 * `sha256$<salt>$<hash>`. scrypt's cost slows down the guessing of a secret a person chose, and its
 * even cost keeps client ids from being told apart by timing; neither concerns 256 random bits held
 * by a client whose id, `demo`, is in the docs. scrypt there cost every start about 30 ms of a core
 * and 16 MiB of memory, and slowed the start's own work on a machine of two cores.
 */
export function drawDemoSecret(): PreparedSecret {
  const secret = generateSecret()
  const salt = randomBytes(16)
  const stored = `sha256$${salt.toString('base64url')}$${saltedSha256(salt, secret).toString('base64url')}`
  return { secret, hash: Promise.resolve(stored) }
}

/**
 * True when `secret` matches a hash made by {@link hashSecret} or {@link drawDemoSecret}; false for
 * any malformed hash.
 */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const recent = justHashed().get(stored)
  // A secret that is not the one just hashed still goes through scrypt: a wrong guess costs its time.
  if (recent !== undefined && sameText(recent, fingerprint(secret))) return true
  const parts = stored.split('$')
  if (parts[0] === 'sha256' && parts.length === 3 && parts[1] && parts[2]) {
    const expected = Buffer.from(parts[2], 'base64url')
    const key = saltedSha256(Buffer.from(parts[1], 'base64url'), secret)
    return key.length === expected.length && timingSafeEqual(key, expected)
  }
  const [scheme, n, r, p, salt, hash] = parts
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const key = await derive(secret, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p))
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/**
 * The Douane's password rule, applied to every user-chosen secret: 12 characters or more, with upper
 * case, lower case, a digit and a special character. Returns what is missing, or `undefined`.
 */
export function checkSecretRule(secret: string): string | undefined {
  const missing: string[] = []
  if (secret.length < 12) missing.push('at least 12 characters')
  if (!/[A-Z]/.test(secret)) missing.push('an upper-case letter')
  if (!/[a-z]/.test(secret)) missing.push('a lower-case letter')
  if (!/\d/.test(secret)) missing.push('a digit')
  if (!/[^A-Za-z0-9]/.test(secret)) missing.push('a special character')
  // Control characters cannot be typed reliably nor sent in a Basic header.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(secret)) missing.push('no control character')
  if (secret.length > 256) missing.push('at most 256 characters')
  if (missing.length === 0) return undefined
  return `a client secret needs 12+ characters mixing upper case, lower case, digits and special characters (the Douane's rule); this one lacks ${missing.join(', ')}`
}

/** A fresh random secret (256 bits, base64url) that also follows {@link checkSecretRule}. */
export function generateSecret(): string {
  for (;;) {
    const secret = randomBytes(32).toString('base64url')
    // base64url's special characters are `-` and `_`; about one draw in four lacks both.
    if (!checkSecretRule(secret)) return secret
  }
}

/** Equality of two texts in a time that does not depend on where they differ. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** SHA-256 of a value, base64url: keys for caches of secrets and tokens, never the value itself. */
export const fingerprint = (value: string): string => hash('sha256', value, 'base64url')
