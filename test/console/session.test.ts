import { afterEach, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import type { SandboxOptions } from '../../mock/options.js'
import { ConsoleAgent } from './http-session.js'

const SECRET = 'Secret-Secret-123'
let sandbox: Sandbox | undefined
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
})

async function start(options: SandboxOptions = {}): Promise<{ url: string; sb: Sandbox }> {
  sandbox = await createSandbox({ state: 'memory', log: () => {}, ...options })
  const { url } = await sandbox.listen(0)
  return { url, sb: sandbox }
}

async function makeClient(sb: Sandbox, id: string, siret = '73282932000074'): Promise<void> {
  const made = await sb.context.auth.clients.create(
    id,
    { ...sb.context.auth.defaultSettings(), siret, privileges: ['open_data'] },
    SECRET,
  )
  expect(made?.client.clientId).toBe(id)
  expect(made?.secret).toBe(SECRET)
}

describe('console sessions', () => {
  it('signs in to a session cookie that is HttpOnly, SameSite=Strict and scoped to /console, with a new id', async () => {
    const { url, sb } = await start()
    await makeClient(sb, 'acme')
    const agent = new ConsoleAgent(url)
    const csrf = await agent.csrf()
    const res = await agent.post('/console/sign-in', {
      _csrf: csrf,
      client_id: 'acme',
      client_secret: SECRET,
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/console/account')
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sandbox_console='))!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    expect(cookie).toMatch(/Path=\/console/)
    const page = await (await agent.get('/console/account')).text()
    expect(page).toContain('acme')
  })

  it('refuses a wrong secret without saying which part was wrong', async () => {
    const { url, sb } = await start()
    await makeClient(sb, 'acme')
    const agent = new ConsoleAgent(url)
    const res = await agent.post('/console/sign-in', {
      _csrf: await agent.csrf(),
      client_id: 'acme',
      client_secret: 'Wrong-Secret-123',
    })
    expect(res.status).toBe(401)
    expect(await res.text()).toContain('Identifiant ou secret incorrect')
    expect((await agent.get('/console/account')).status).toBe(303)
  })

  it('refuses forged cross-site POSTs: no form token, another origin, or a cross-site fetch', async () => {
    const { url, sb } = await start()
    await makeClient(sb, 'acme')
    const agent = new ConsoleAgent(url)
    await agent.signIn('acme', SECRET)
    const csrf = await agent.csrf('/console/account')
    const forged = [
      agent.post('/console/account/revoke', { confirm: 'on' }),
      agent.post('/console/account/revoke', { confirm: 'on', _csrf: 'x'.repeat(32) }),
      agent.post(
        '/console/account/revoke',
        { confirm: 'on', _csrf: csrf },
        { origin: 'https://attacker.example' },
      ),
      agent.post(
        '/console/account/revoke',
        { confirm: 'on', _csrf: csrf },
        { 'sec-fetch-site': 'cross-site' },
      ),
    ]
    for (const res of await Promise.all(forged)) {
      expect(res.status).toBe(403)
      expect(await res.text()).toContain('Requête refusée')
    }
    // Nothing happened: the secret still works.
    expect((await sb.context.auth.getClient('acme'))!.secretHash).not.toBeNull()
    // The same form from the console page itself goes through.
    const ok = await agent.post(
      '/console/account/revoke',
      { confirm: 'on', _csrf: csrf },
      { origin: url, 'sec-fetch-site': 'same-origin' },
    )
    expect(ok.status).toBe(200)
    expect((await sb.context.auth.getClient('acme'))!.secretHash).toBeNull()
  })

  it('ends a session after the idle timeout', async () => {
    let now = Date.parse('2026-06-01T08:00:00Z')
    const { url, sb } = await start({ now: () => now, console: { idleTimeout: 600 } })
    await makeClient(sb, 'acme')
    const agent = new ConsoleAgent(url)
    await agent.signIn('acme', SECRET)
    now += 599_000
    expect((await agent.get('/console/account')).status).toBe(200)
    now += 601_000
    const res = await agent.get('/console/account')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/console\/sign-in/)
  })

  it('keeps each reuser to its own account: no operator page, no other client', async () => {
    const { url, sb } = await start()
    await makeClient(sb, 'acme')
    await makeClient(sb, 'globex', '55208131766522')
    const agent = new ConsoleAgent(url)
    await agent.signIn('acme', SECRET)
    const page = await (await agent.get('/console/account')).text()
    expect(page).not.toContain('globex')
    const admin = await agent.get('/console/admin')
    expect(admin.status).toBe(303)
    expect(admin.headers.get('location')).toMatch(/^\/console\/admin\/sign-in/)
    const clients = await agent.get('/console/admin/clients/globex')
    expect(clients.status).toBe(303)
  })
})

describe('the secret in the console', () => {
  it('warns ahead of the secret expiry (yellow), and a rotation with overlap renews it (green)', async () => {
    const { url, sb } = await start()
    const made = await sb.context.auth.clients.create(
      'acme',
      {
        ...sb.context.auth.defaultSettings(),
        privileges: ['open_data'],
        secretExpiresAt: Date.now() + 5 * 86_400_000,
      },
      SECRET,
    )
    expect(made?.client.clientId).toBe('acme')
    expect(made?.secret).toBe(SECRET)
    const agent = new ConsoleAgent(url)
    await agent.signIn('acme', SECRET)
    const before = await (await agent.get('/console/account')).text()
    expect(before).toContain('id="expiry-notice"')
    expect(before).toContain('data-colour="yellow"')
    const rotated = await agent.post('/console/account/rotate', {
      _csrf: await agent.csrf('/console/account'),
      overlap: '86400',
    })
    const page = await rotated.text()
    const secret = /id="secret-value"[^>]*>\s*([^<\s]+)\s*</.exec(page)?.[1]
    expect(secret).toBeTruthy()
    expect(page).not.toContain('id="expiry-notice"')
    expect(page).toContain('data-colour="green"')
    expect(page).toContain('L’ancien secret reste accepté')
    // Both secrets work during the overlap.
    for (const s of [SECRET, secret!]) {
      const r = await sb.context.auth.checkClient(
        { clientId: 'acme', secrets: [s], method: 'client_secret_post' },
        { ip: '127.0.0.1', endpoint: 'test' },
      )
      expect(r.ok).toBe(true)
    }
  })
})

describe('portal tokens in the console', () => {
  it('mints a long-lived portal token shown once, lists it and revokes it', async () => {
    const { url, sb } = await start()
    await makeClient(sb, 'acme')
    const agent = new ConsoleAgent(url)
    await agent.signIn('acme', SECRET)
    const minted = await agent.post('/console/account/portal', {
      _csrf: await agent.csrf('/console/account'),
    })
    const page = await minted.text()
    const token = /id="portal-value"[^>]*>\s*([^<\s]+)\s*</.exec(page)?.[1]
    expect(token).toBeTruthy()
    expect((await sb.context.auth.check(token!, Date.now())).ok).toBe(true)
    const [record] = await sb.context.auth.portal.list('acme')
    expect(page).toContain(record!.jti)
    const revoked = await agent.post('/console/account/portal/revoke', {
      _csrf: await agent.csrf('/console/account'),
      jti: record!.jti,
    })
    expect(revoked.status).toBe(303)
    expect((await sb.context.auth.check(token!, Date.now())).ok).toBe(false)
  })
})

describe('operator pages', () => {
  it('rotates the signing key and lists bans', async () => {
    const { url, sb } = await start()
    const admin = new ConsoleAgent(url)
    await admin.post('/console/admin/sign-in', {
      _csrf: await admin.csrf('/console/admin/sign-in'),
      admin_token: sb.adminToken,
    })
    const before = (await sb.context.auth.keys.active()).kid
    const res = await admin.post('/console/admin/keys/rotate', {
      _csrf: await admin.csrf('/console/admin/keys'),
    })
    expect(res.status).toBe(200)
    const after = (await sb.context.auth.keys.active()).kid
    expect(after).not.toBe(before)
    const page = await res.text()
    expect(page).toContain(after)
    expect(page).toContain(before)
    expect(await (await admin.get('/console/admin/bans')).text()).toContain('Aucun bannissement')
  })

  it('refuses a wrong admin token', async () => {
    const { url } = await start()
    const agent = new ConsoleAgent(url)
    const res = await agent.post('/console/admin/sign-in', {
      _csrf: await agent.csrf('/console/admin/sign-in'),
      admin_token: 'not-the-admin-token',
    })
    expect(res.status).toBe(401)
    expect((await agent.get('/console/admin')).status).toBe(303)
    // Guessing is cut short: after 10 failures from one address, even the right token waits.
    for (let i = 0; i < 9; i++)
      await agent.post('/console/admin/sign-in', {
        _csrf: await agent.csrf('/console/admin/sign-in'),
        admin_token: `guess-${i}-guess-guess`,
      })
    const blocked = await agent.post('/console/admin/sign-in', {
      _csrf: await agent.csrf('/console/admin/sign-in'),
      admin_token: sandbox!.adminToken,
    })
    expect(blocked.status).toBe(429)
  })
})

describe('one reuser never sees another', () => {
  it('shows a reuser its own journal only, whatever the query asks', async () => {
    const { url, sb } = await start()
    await makeClient(sb, 'acme')
    await makeClient(sb, 'globex', '55208131766522')
    const call = async (id: string, siren: string) => {
      const client = (await sb.context.auth.getClient(id))!
      const { token } = await sb.context.auth.issue(client, {
        scopes: ['open_data'],
        singleUse: false,
        ip: '127.0.0.1',
      })
      await fetch(
        `${url}/v3/infogreffe/rcs/unites_legales/${siren}/extrait_kbis?context=t&recipient=13002526500013&object=t`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      )
    }
    await call('acme', '904120870')
    await call('globex', '552081317')
    await sb.context.journal.flush()
    const agent = new ConsoleAgent(url)
    await agent.signIn('acme', SECRET)
    for (const path of ['/console/journal', '/console/journal?client=globex']) {
      const page = await (await agent.get(path)).text()
      expect(page).toContain('904120870')
      expect(page).not.toContain('552081317')
    }
    const live = await agent.get('/console/journal/entries?client=globex&after=0')
    const json = (await live.json()) as { rows: string[] }
    expect(json.rows.join('')).toContain('904120870')
    expect(json.rows.join('')).not.toContain('552081317')
    // The operator sees both.
    const admin = new ConsoleAgent(url)
    await admin.post('/console/admin/sign-in', {
      _csrf: await admin.csrf('/console/admin/sign-in'),
      admin_token: sb.adminToken,
    })
    const all = await (await admin.get('/console/admin/journal')).text()
    expect(all).toContain('904120870')
    expect(all).toContain('552081317')
  })
})

describe('console sign-up', () => {
  const form = (csrf: string, extra: Record<string, string | string[]> = {}) => ({
    _csrf: csrf,
    client_id: 'new-app',
    label: 'New app',
    email: 'dev@new-app.fr',
    siret: '73282932000074',
    client_secret: SECRET,
    client_secret_confirm: SECRET,
    privileges: ['open_data'],
    ...extra,
  })

  it('is closed with signup off', async () => {
    const { url } = await start({ console: { signup: 'off' } })
    const agent = new ConsoleAgent(url)
    expect((await agent.get('/console/sign-up')).status).toBe(403)
  })

  it('checks the Douane rules: SIRET key, email, secret strength, one account per SIRET', async () => {
    const { url, sb } = await start({ console: { signup: 'open' } })
    await makeClient(sb, 'taken', '55208131766522')
    const agent = new ConsoleAgent(url)
    const csrf = await agent.csrf('/console/sign-up')
    const bad = await agent.post(
      '/console/sign-up',
      form(csrf, {
        siret: '73282932000075',
        email: 'not-an-email',
        client_secret: 'weakweakweak',
        client_secret_confirm: 'weakweakweak',
      }),
    )
    expect(bad.status).toBe(400)
    const text = await bad.text()
    expect(text).toContain('SIRET invalide')
    expect(text).toContain('Adresse électronique invalide')
    expect(text).toContain('Secret trop faible')
    const dup = await agent.post('/console/sign-up', form(csrf, { siret: '55208131766522' }))
    expect(dup.status).toBe(400)
    expect(await dup.text()).toContain('un compte API par SIRET')
    const ok = await agent.post('/console/sign-up', form(csrf))
    expect(ok.status).toBe(303)
    const client = await sb.context.auth.getClient('new-app')
    expect(client?.privileges).toEqual(['open_data'])
  })

  it('needs a valid invite code in invite mode, and spends it', async () => {
    const { url, sb } = await start({ console: { signup: 'invite' } })
    const agent = new ConsoleAgent(url)
    const csrf = await agent.csrf('/console/sign-up')
    const none = await agent.post('/console/sign-up', form(csrf, { invite: 'nope-nope-nope' }))
    expect(none.status).toBe(400)
    expect(await none.text()).toContain('Code d’invitation inconnu')
    // The operator makes a one-use code in the console.
    const admin = new ConsoleAgent(url)
    const acsrf = await admin.csrf('/console/admin/sign-in')
    const signed = await admin.post('/console/admin/sign-in', {
      _csrf: acsrf,
      admin_token: sb.adminToken,
    })
    expect(signed.status).toBe(303)
    const made = await admin.post('/console/admin/invites', {
      _csrf: await admin.csrf('/console/admin/invites'),
      uses: '1',
      days: '7',
    })
    const code = /id="invite-code">([^<]+)</.exec(await made.text())?.[1]
    expect(code).toBeTruthy()
    expect((await agent.post('/console/sign-up', form(csrf, { invite: code! }))).status).toBe(303)
    const again = await agent.post(
      '/console/sign-up',
      form(csrf, { invite: code!, client_id: 'other-app', siret: '55208131766522' }),
    )
    expect(again.status).toBe(400)
  })
})

describe('a sandbox without the console', () => {
  it('serves no console page with console.enabled false, and the API still answers', async () => {
    const { url } = await start({ console: { enabled: false }, auth: false })
    const page = await fetch(`${url}/console/sign-in`)
    expect(page.status).toBe(404)
    expect(await page.text()).not.toContain('<html')
    const api = await fetch(
      `${url}/v3/insee/sirene/unites_legales/904120870?context=test&recipient=13002526500013&object=t`,
    )
    expect(api.status).toBe(200)
    expect(((await api.json()) as { data?: unknown }).data).toBeDefined()
  })

  it('is what --no-console asks for', async () => {
    const { toOptions } = await import('../../mock/cli/serve-command.js')
    const { Command } = await import('commander')
    const { registerServeCommand } = await import('../../mock/cli/serve-command.js')
    const program = new Command()
    registerServeCommand(program)
    const serve = program.commands.find((c) => c.name() === 'serve')!
    serve.parseOptions(['--no-console'])
    expect(toOptions(serve.opts() as never).console?.enabled).toBe(false)
    const plain = new Command()
    registerServeCommand(plain)
    const serve2 = plain.commands.find((c) => c.name() === 'serve')!
    serve2.parseOptions([])
    expect(toOptions(serve2.opts() as never).console?.enabled).toBe(true)
  })
})
