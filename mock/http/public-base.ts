/**
 * The base URL the sandbox advertises: token `iss`, the authorization server metadata, document
 * links. Configured (`publicUrl`), it never moves; otherwise it follows the address the sandbox
 * actually listens on, known once `listen()` resolves (`listen(0)` advertises the real port).
 */
export interface PublicBase {
  /** The base URL advertised now, without a trailing slash. */
  readonly url: string
  /** True when `publicUrl` was configured: the base never follows the listening address. */
  readonly fixed: boolean
  /** Issuers this sandbox has advertised since it started: its own tokens carry one of them. */
  isOwn(issuer: string): boolean
  /** Called by `listen()`: the base becomes the listening address, unless it is configured. */
  listening(url: string): void
}

/**
 * `earlier`: the bases advertised by earlier runs on the same state, so that a token minted before a
 * restart on another port still names one of the sandbox's own issuers; `remember` records a new one.
 */
export function createPublicBase(
  initial: string,
  fixed: boolean,
  earlier: readonly string[] = [],
  remember: (url: string) => void = () => undefined,
): PublicBase {
  let url = initial
  const seen = new Set([initial, ...earlier])
  return {
    get url() {
      return url
    },
    fixed,
    isOwn: (issuer) => seen.has(issuer),
    listening(actual) {
      if (fixed) return
      url = actual.replace(/\/+$/, '')
      if (!seen.has(url)) remember(url)
      seen.add(url)
    },
  }
}

/** The URL a client reaches a listening address by: a wildcard address is shown as loopback. */
export function listeningUrl(address: string, family: string, port: number): string {
  const host =
    address === '0.0.0.0' || address === '::'
      ? '127.0.0.1'
      : family === 'IPv6'
        ? `[${address}]`
        : address
  return `http://${host}:${port}`
}
