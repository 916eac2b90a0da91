import { randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import type { KeyRing } from './signing-keys.js'

/** The claims of a sandbox access token (RFC 9068 profile, `scopes` as API Entreprise names it). */
export interface AccessClaims {
  iss: string
  aud: string
  /** The client id. */
  sub: string
  client_id: string
  /** Seconds since epoch, on the client's sandbox clock. */
  iat: number
  exp: number
  nbf?: number
  jti: string
  /** Privileges granted to this token: API Entreprise's claim name. */
  scopes: string[]
  /** Present and `true` on a single-use token. */
  single_use?: boolean
  /** Present and `true` on a portal token: long-lived, minted by the admin, listed by `jti`. */
  portal?: boolean
  /** The client's generation: a token outlives neither its client nor the client's deletion. */
  client_gen?: string
}

export interface IssueInput {
  clientId: string
  scopes: string[]
  /** Seconds. */
  lifetime: number
  singleUse: boolean
  /** The client's sandbox time, ms. */
  now: number
  /** A portal token rather than an OAuth access token. */
  portal?: boolean
  /** The client's generation (`SandboxClient.generation`), when it has one. */
  generation?: string | undefined
}

/** Media type of the JWT header (`typ`), RFC 9068: a verifier never mistakes another JWT for one. */
export const ACCESS_TOKEN_TYP = 'at+jwt'

/** Signs an access token with the active key (`kid` in the header). */
export async function issueToken(
  keys: KeyRing,
  claims: { readonly issuer: string; audience: string },
  input: IssueInput,
): Promise<{ token: string; claims: AccessClaims }> {
  const key = await keys.active()
  // A long-lived (portal) token keeps its key published, once retired, until it expires.
  await keys.signing(key.kid, input.lifetime)
  const iat = Math.floor(input.now / 1000)
  const payload: AccessClaims = {
    iss: claims.issuer,
    aud: claims.audience,
    sub: input.clientId,
    client_id: input.clientId,
    iat,
    exp: iat + input.lifetime,
    jti: randomUUID(),
    scopes: input.scopes,
    ...(input.singleUse ? { single_use: true } : {}),
    ...(input.portal ? { portal: true } : {}),
    ...(input.generation !== undefined ? { client_gen: input.generation } : {}),
  }
  const token = await new SignJWT({ ...payload })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYP })
    .sign(key.privateKey)
  return { token, claims: payload }
}
