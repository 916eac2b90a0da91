/** A cookie-keeping HTTP client for the console, for tests that need no browser. */
export class ConsoleAgent {
  private cookies = new Map<string, string>()
  constructor(readonly base: string) {}

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq)
      const value = pair!.slice(eq + 1)
      if (/Max-Age=0/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(this.base + path, {
      headers: { cookie: this.cookieHeader, ...headers },
      redirect: 'manual',
    })
    this.remember(res)
    return res
  }

  /** The form token of a page (every console form carries one). */
  async csrf(path = '/console/sign-in'): Promise<string> {
    const page = await (await this.get(path)).text()
    const m = /name="_csrf" value="([^"]+)"/.exec(page)
    if (!m) throw new Error(`no form token on ${path}`)
    return m[1]!
  }

  async post(
    path: string,
    form: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries(form))
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one)
    const res = await fetch(this.base + path, {
      method: 'POST',
      body,
      headers: {
        cookie: this.cookieHeader,
        'content-type': 'application/x-www-form-urlencoded',
        ...headers,
      },
      redirect: 'manual',
    })
    this.remember(res)
    return res
  }

  async signIn(clientId: string, secret: string): Promise<void> {
    const csrf = await this.csrf('/console/sign-in')
    const res = await this.post('/console/sign-in', {
      _csrf: csrf,
      client_id: clientId,
      client_secret: secret,
    })
    if (res.status !== 303) throw new Error(`sign-in of ${clientId} answered ${res.status}`)
  }
}
