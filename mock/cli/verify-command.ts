import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose'
import { ATTESTATION_TYPE, type AttestationPayload } from '../certification/attestation.js'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'

/** Exit code of `verify` when the attestation does not check. */
export const EXIT_INVALID = 1

/** Reads a JWK Set from a URL or a file. */
async function readJwks(source: string): Promise<JSONWebKeySet> {
  let text: string
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source).catch(() => undefined)
    if (!res || !res.ok)
      throw new SandboxConfigError(
        SANDBOX_ERRORS.BAD_OPTION,
        `cannot read the JWKS at ${source} (${res ? res.status : 'unreachable'}); give the sandbox's /.well-known/jwks.json, or a saved copy`,
      )
    text = await res.text()
  } else {
    text = await readFile(source, 'utf8').catch(() => {
      throw new SandboxConfigError(SANDBOX_ERRORS.BAD_OPTION, `cannot read the JWKS file ${source}`)
    })
  }
  try {
    const set = JSON.parse(text) as JSONWebKeySet
    if (!Array.isArray(set.keys)) throw new Error('no keys')
    return set
  } catch {
    throw new SandboxConfigError(
      SANDBOX_ERRORS.BAD_OPTION,
      `${source} is not a JWK Set ({"keys": [...]})`,
    )
  }
}

/**
 * Checks an attestation against a JWK Set: an ES256 signature by an attestation key of the set, the
 * attestation type. Returns its payload, or throws with why it does not check.
 */
export async function verifyAttestation(
  jws: string,
  jwks: JSONWebKeySet,
): Promise<AttestationPayload> {
  const header = decodeProtectedHeader(jws)
  if (header.typ !== ATTESTATION_TYPE)
    throw new Error(`not a sandbox-twin attestation (typ ${String(header.typ)})`)
  if (typeof header.kid !== 'string' || !header.kid.startsWith('attestation-'))
    throw new Error('not signed by an attestation key')
  const { payload } = await jwtVerify(jws, createLocalJWKSet(jwks), {
    algorithms: ['ES256'],
    typ: ATTESTATION_TYPE,
  })
  return payload as unknown as AttestationPayload
}

/** The attestation for people. */
function describe(p: AttestationPayload): string {
  const lines = [
    `attestation: valid (signed by the sandbox's attestation key)`,
    `verdict: ${p.verdict}`,
    `contract: ${p.contract.title} ${p.contract.version} (${p.contract.file}, sha256 ${p.contract.sha256})`,
    `client: ${p.client.id}${p.client.label ? ` (${p.client.label})` : ''}${p.client.siret ? `, SIRET ${p.client.siret}` : ''}`,
    `software: ${p.software ? `${p.software.name}${p.software.version ? ` ${p.software.version}` : ''}` : 'not declared'}`,
    `run: ${p.run.started_at} to ${p.run.ended_at}, pace ${p.certification.pace}, sandbox-twin ${p.sandbox.version}`,
    `steps: ${p.certification.steps.map((s) => `${s.id}${s.played ? '' : ' (not played)'}`).join(', ')}`,
    ...p.checks.map((c) => `  ${c.status.padEnd(13)} ${c.id}: ${c.summary}`),
    '',
  ]
  return lines.join('\n')
}

/** `sandbox-twin verify FILE --jwks URL|FILE [--json]`: checks an attestation offline and prints it. */
export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description(
      "Check a certification attestation (JWS) against the sandbox's JWKS, offline, and print what it states.",
    )
    .argument('<file>', 'the attestation (attestation.jws)')
    .requiredOption(
      '--jwks <url|file>',
      "the sandbox's JWKS: its /.well-known/jwks.json, or a copy",
    )
    .option('--json', 'print the attested payload as JSON')
    .action(async (file: string, flags: { jwks: string; json?: boolean }) => {
      const jws = (
        await readFile(file, 'utf8').catch(() => {
          throw new SandboxConfigError(SANDBOX_ERRORS.BAD_OPTION, `cannot read ${file}`)
        })
      ).trim()
      const jwks = await readJwks(flags.jwks)
      try {
        const payload = await verifyAttestation(jws, jwks)
        process.stdout.write(
          flags.json ? `${JSON.stringify(payload, null, 2)}\n` : describe(payload),
        )
      } catch (err) {
        process.stderr.write(
          `sandbox-twin: ${file} does not check: ${err instanceof Error ? err.message : String(err)}\n`,
        )
        process.exitCode = EXIT_INVALID
      }
    })
}
