import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type CryptoKey,
  type JWK,
} from 'jose'
import type { SandboxContext } from '../context.js'
import { PACKAGE_ROOT } from '../options.js'
import type { Report } from '../report/build-report.js'
import { resealed, type KeySealer, type StoredPrivate } from '../auth/sealed-key.js'
import type { Store } from '../store/store.js'
import { PACE_VALUES } from './plan.js'
import type { CertificationRun } from './run-state.js'

/** `typ` of an attestation's JWS header. */
export const ATTESTATION_TYPE = 'sandbox-twin-attestation+jwt'
/** Format id of the attestation's payload, bumped on incompatible changes. */
export const ATTESTATION_FORMAT = 'sandbox-twin-attestation/1'

interface StoredAttestationKey extends StoredPrivate {
  kid: string
  publicJwk: JWK
}

interface LoadedAttestationKey {
  kid: string
  privateKey: CryptoKey
  publicJwk: JWK
  /** Real time of the load, ms: another replica may have withdrawn the key since. */
  at: number
}

const NS = 'attestation-key'
const loaded = new WeakMap<Store, Promise<LoadedAttestationKey>>()
/** Age after which the kept key is checked against the store (a withdrawal on another replica). */
const MAX_AGE = 30_000 // ms

/**
 * The sandbox's attestation key (ES256), made once and kept in the store (sealed like the token keys
 * when a state key is set): dedicated to attestations, never used for access tokens, published in
 * the JWKS beside the token keys (`kid` starting `attestation-`), so that anyone holding the JWKS can
 * check an attestation offline.
 */
export async function attestationKey(
  store: Store,
  sealer: KeySealer,
): Promise<{ kid: string; privateKey: CryptoKey; publicJwk: JWK }> {
  let key = loaded.get(store)
  if (key) {
    const k = await key.catch(() => undefined)
    if (k && Date.now() - k.at > MAX_AGE) {
      const stored = await store.global.get<StoredAttestationKey>(NS, 'current')
      if (stored?.kid === k.kid) k.at = Date.now()
      else key = undefined
    }
  }
  if (!key) {
    const made = (async (): Promise<LoadedAttestationKey> => {
      let stored = await store.global.get<StoredAttestationKey>(NS, 'current')
      if (!stored) {
        const pair = await generateKeyPair('ES256', { extractable: true })
        const publicJwk = await exportJWK(pair.publicKey)
        const kid = `attestation-${await calculateJwkThumbprint(publicJwk)}`
        const fresh: StoredAttestationKey = {
          kid,
          ...(await sealer.seal(await exportJWK(pair.privateKey))),
          publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' },
        }
        // Replicas starting together: the first key stored wins.
        await store.global.setIfAbsent(NS, 'current', fresh)
        stored = (await store.global.get<StoredAttestationKey>(NS, 'current'))!
      }
      const privateJwk = await sealer.open(stored, `attestation key ${stored.kid}`)
      if (sealer.sealing && stored.sealed === undefined) {
        await store.global.set(NS, 'current', resealed(stored, await sealer.seal(privateJwk)))
      }
      return {
        kid: stored.kid,
        privateKey: (await importJWK(privateJwk, 'ES256')) as CryptoKey,
        publicJwk: stored.publicJwk,
        at: Date.now(),
      }
    })()
    made.catch(() => loaded.delete(store))
    loaded.set(store, made)
    key = made
  }
  const { kid, privateKey, publicJwk } = await key
  return { kid, privateKey, publicJwk }
}

/**
 * Withdraws the attestation key `kid` (a leaked key): a new one signs from now on, and attestations
 * signed by the old one no longer verify against the JWKS. Resolves the new kid, or `undefined` when
 * `kid` is not the current attestation key.
 */
export async function withdrawAttestationKey(
  store: Store,
  sealer: KeySealer,
  kid: string,
): Promise<string | undefined> {
  const stored = await store.global.get<StoredAttestationKey>(NS, 'current')
  if (stored?.kid !== kid) return undefined
  await store.global.delete(NS, 'current')
  loaded.delete(store)
  return (await attestationKey(store, sealer)).kid
}

/** The JWK Set with the attestation key added (the token keys' set as served, then this one). */
export async function jwksWithAttestationKey(
  store: Store,
  sealer: KeySealer,
  tokenJwks: string,
): Promise<string> {
  const { publicJwk } = await attestationKey(store, sealer)
  const set = JSON.parse(tokenJwks) as { keys: JWK[] }
  return JSON.stringify({ keys: [...set.keys, publicJwk] })
}

let sandboxVersion: Promise<string> | undefined
const versionOf = (): Promise<string> =>
  (sandboxVersion ??= readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8').then(
    (text) => (JSON.parse(text) as { version: string }).version,
    () => 'unknown',
  ))

/** SHA-256 of the contract file, hex. */
async function contractDigest(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex')
}

/** What an attestation states. */
export interface AttestationPayload {
  format: typeof ATTESTATION_FORMAT
  iss: string
  iat: number
  contract: { title: string; version: string; file: string; sha256: string }
  certification: {
    run_id: string
    pace: string
    pace_values: Record<string, number>
    seed: number
    steps: Array<{ id: string; reached: boolean; played: boolean; judged: boolean }>
  }
  client: { id: string; label?: string; siret?: string }
  software?: { name: string; version?: string }
  verdict: string
  checks: Array<{ id: string; status: string; summary: string }>
  run: { started_at: string; ended_at: string }
  sandbox: { name: 'sandbox-twin'; version: string }
}

/**
 * Signs what a certification run showed: the contract (title, version, SHA-256 of its file), the
 * steps and their pace, the client (id, label, SIRET), the software the vendor declared, each check's
 * result, the run's start and end, and the sandbox's version. A compact JWS (ES256).
 */
export async function signAttestation(
  ctx: SandboxContext,
  clientId: string,
  run: CertificationRun,
  report: Report,
): Promise<string> {
  const key = await attestationKey(ctx.store, ctx.auth.keys.sealer)
  const client = await ctx.auth.getClient(clientId)
  const now = ctx.options.now()
  const payload: AttestationPayload = {
    format: ATTESTATION_FORMAT,
    iss: ctx.publicBase.url,
    iat: Math.floor(now / 1000),
    contract: {
      title: ctx.contract.title,
      version: ctx.contract.version,
      file: ctx.options.contract.split(/[\\/]/).pop() ?? ctx.options.contract,
      sha256: await contractDigest(ctx.options.contract),
    },
    certification: {
      run_id: run.id,
      pace: run.pace,
      pace_values: Object.fromEntries(
        Object.entries(PACE_VALUES[run.pace]).map(([k, ms]) => [k, ms / 1000]),
      ),
      seed: run.seed,
      steps: (report.steps ?? []).map((s) => ({
        id: s.id,
        reached: s.reached,
        played: s.played,
        judged: s.judged,
      })),
    },
    client: {
      id: clientId,
      ...(client?.label ? { label: client.label } : {}),
      ...(client?.siret ? { siret: client.siret } : {}),
    },
    ...(run.software ? { software: run.software } : {}),
    verdict: report.verdict,
    checks: report.checks.map((c) => ({ id: c.id, status: c.status, summary: c.summary })),
    run: {
      started_at: new Date(run.startedAt).toISOString(),
      ended_at: report.window.lastCall ?? new Date(now).toISOString(),
    },
    sandbox: { name: 'sandbox-twin', version: await versionOf() },
  }
  return new SignJWT(payload as unknown as Record<string, unknown>)
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: ATTESTATION_TYPE })
    .sign(key.privateKey)
}
