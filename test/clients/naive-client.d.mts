/** Types of the naive reference client (a plain script, see naive-client.mjs). */
export declare class NaiveClient {
  constructor(setup: { baseUrl: string; tokenUrl?: string; clientId: string; clientSecret: string })
  readonly calls: number
  get(path: string): Promise<number>
}
