/** Types of the careful reference client (a plain script, see careful-client.mjs). */
export interface ClientSetup {
  baseUrl: string
  tokenUrl?: string
  clientId: string
  clientSecret: string
  scopes: string[]
  wait?: 'sleep' | 'clock'
  timeoutScale?: number
}
export interface CallResult {
  status?: number
  body?: unknown
  attempts: number
}
export declare const TRACEABILITY: { context: string; recipient: string; object: string }
export declare const INCOMPLETE: unique symbol
export declare function basic(c: { clientId: string; clientSecret: string }): string
export declare class CarefulClient {
  readonly setup: ClientSetup
  constructor(setup: ClientSetup)
  now(): number
  wait(ms: number): Promise<void>
  once(path: string): Promise<number>
  get(path: string, kind?: 'json' | 'document'): Promise<CallResult>
}
export declare function sirens(count?: number): string[]
export declare function certificationOver(setup: {
  baseUrl: string
  clientId: string
  clientSecret: string
}): Promise<boolean>
export declare function setupFromEnv(env?: Record<string, string | undefined>): ClientSetup
export declare function loop(
  client: CarefulClient,
  options?: { gapMs?: number; maxMs?: number },
): Promise<number>
