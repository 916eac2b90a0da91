import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import { DOUANE } from '../resources/harness.js'
import { ADMIN } from '../auth/helpers.js'
import { ConsoleAgent } from './http-session.js'

const SECRET = 'Secret-Secret-123'
let sandbox: Sandbox
let url: string
beforeAll(async () => {
  // The Douane-shaped API (it calls back) beside the default one.
  sandbox = await createSandbox({
    apis: [DOUANE],
    state: 'memory',
    adminToken: ADMIN,
    log: () => undefined,
  })
  ;({ url } = await sandbox.listen(0))
})
afterAll(() => sandbox.close())

async function signedIn(id: string, privileges: string[]): Promise<ConsoleAgent> {
  const auth = sandbox.context.auth
  await auth.clients.create(
    id,
    { ...auth.defaultSettings(), siret: '73282932000074', privileges },
    SECRET,
  )
  const agent = new ConsoleAgent(url)
  await agent.signIn(id, SECRET)
  return agent
}

const colour = (page: string): string | undefined =>
  /id="callback-colour-douane-edi"[^>]*data-colour="(\w+)"|data-colour="(\w+)"[^>]*id="callback-colour-douane-edi"/
    .exec(page)
    ?.slice(1)
    .find(Boolean)

describe('the console page of the call-back account', () => {
  it('is yellow until both the URL and the token are set, then green; the token is never shown', async () => {
    const agent = await signedIn('edi-ok', ['declarations_edi'])
    const account = await (await agent.get('/console/account')).text()
    expect(account).toContain('href="/console/callbacks"')
    let page = await (await agent.get('/console/callbacks')).text()
    expect(colour(page)).toBe('yellow')
    const csrf = await agent.csrf('/console/callbacks')
    const saved = await agent.post('/console/callbacks', {
      _csrf: csrf,
      api: 'douane-edi',
      'url-douane-edi': 'http://127.0.0.1:9000/recus',
    })
    expect(saved.status).toBe(303)
    page = await (await agent.get('/console/callbacks')).text()
    expect(colour(page)).toBe('yellow')
    expect(page).toContain('http://127.0.0.1:9000/recus')
    await agent.post('/console/callbacks', {
      _csrf: csrf,
      api: 'douane-edi',
      'token-douane-edi': 'receiver-secret-42',
    })
    page = await (await agent.get('/console/callbacks')).text()
    expect(colour(page)).toBe('green')
    expect(page).not.toContain('receiver-secret-42')
    // The admin API sees the same account.
    const view = await fetch(`${url}/__sandbox/callback-account?client_id=edi-ok`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    })
    expect(await view.json()).toMatchObject({
      api: 'douane-edi',
      status: 'green',
      url: 'http://127.0.0.1:9000/recus',
      token_set: true,
    })
    // A new URL waits its 4 hours: the page says which and from when.
    await agent.post('/console/callbacks', {
      _csrf: csrf,
      api: 'douane-edi',
      'url-douane-edi': 'http://127.0.0.1:9001/recus',
    })
    page = await (await agent.get('/console/callbacks')).text()
    expect(page).toContain('http://127.0.0.1:9000/recus')
    expect(page).toMatch(/Puis http:\/\/127\.0\.0\.1:9001\/recus à partir du/)
  })

  it('refuses a host the operator did not open and a short token, saying why, storing nothing', async () => {
    const agent = await signedIn('edi-bad', ['declarations_edi'])
    const csrf = await agent.csrf('/console/callbacks')
    const host = await agent.post('/console/callbacks', {
      _csrf: csrf,
      api: 'douane-edi',
      'url-douane-edi': 'http://receiver.example/recus',
    })
    expect(host.status).toBe(400)
    expect(await host.text()).toContain('Hôtes autorisés : 127.0.0.1')
    const short = await agent.post('/console/callbacks', {
      _csrf: csrf,
      api: 'douane-edi',
      'token-douane-edi': 'short',
    })
    expect(short.status).toBe(400)
    expect(await short.text()).toContain('8 à 512 caractères')
    expect(colour(await (await agent.get('/console/callbacks')).text())).toBe('yellow')
  })

  it('is red for a client entitled to no API that calls back', async () => {
    const agent = await signedIn('reader', ['open_data'])
    expect(colour(await (await agent.get('/console/callbacks')).text())).toBe('red')
  })
})
