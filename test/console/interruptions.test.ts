import { afterEach, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from '../../mock/create-sandbox.js'
import { ConsoleAgent } from './http-session.js'

let sandbox: Sandbox | undefined
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
})

const SIREN_PATH =
  '/v3/insee/sirene/unites_legales/418166096?context=test&recipient=13002526500013&object=test'

async function start(now: () => number = Date.now) {
  sandbox = await createSandbox({ state: 'memory', log: () => {}, now })
  const { url } = await sandbox.listen(0)
  const token = async (): Promise<string> => {
    const demo = sandbox!.demoClient!
    const res = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${demo.clientId}&client_secret=${encodeURIComponent(demo.clientSecret)}`,
    })
    return ((await res.json()) as { access_token: string }).access_token
  }
  return { url, sb: sandbox, token }
}

/** Two hours from now, as ISO 8601 (and as a `datetime-local` value, minutes only). */
const inTwoHours = (): string => new Date(Date.now() + 2 * 3_600_000).toISOString()

const admin = (sb: Sandbox) => ({
  authorization: `Bearer ${sb.adminToken}`,
  'content-type': 'application/json',
})

describe('planned interruptions', () => {
  it('answers 503 with Retry-After and the message while one runs, and serves again after', async () => {
    let now = Date.parse('2026-06-01T08:00:00Z')
    const { url, sb, token } = await start(() => now)
    const bearer = { authorization: `Bearer ${await token()}` }
    const made = await fetch(`${url}/__sandbox/interruptions`, {
      method: 'POST',
      headers: admin(sb),
      body: JSON.stringify({
        from: '2026-06-01T09:00:00Z',
        to: '2026-06-01T09:30:00Z',
        message: 'Maintenance de la base Sirene',
      }),
    })
    expect(made.status).toBe(201)
    const view = (await made.json()) as { id: string; running: boolean }
    expect(view.running).toBe(false)
    // Announced, not yet running: the API answers.
    expect((await fetch(url + SIREN_PATH, { headers: bearer })).status).toBe(200)
    now = Date.parse('2026-06-01T09:10:00Z')
    const during = await fetch(url + SIREN_PATH, {
      headers: { authorization: `Bearer ${await token()}` },
    })
    expect(during.status).toBe(503)
    expect(during.headers.get('retry-after')).toBe('1200')
    expect(JSON.stringify(await during.json())).toContain('Maintenance de la base Sirene')
    // The public schedule shows it running.
    const list = (await (await fetch(`${url}/__sandbox/interruptions`)).json()) as {
      interruptions: Array<{ id: string; running: boolean }>
    }
    expect(list.interruptions).toEqual([expect.objectContaining({ id: view.id, running: true })])
    now = Date.parse('2026-06-01T09:30:00Z')
    const after = await fetch(url + SIREN_PATH, {
      headers: { authorization: `Bearer ${await token()}` },
    })
    expect(after.status).toBe(200)
  })

  it('is announced and cancelled by the admin only, with its fields checked', async () => {
    const { url, sb } = await start()
    const anonymous = await fetch(`${url}/__sandbox/interruptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: inTwoHours(), message: 'x' }),
    })
    expect(anonymous.status).toBe(401)
    const bad = await fetch(`${url}/__sandbox/interruptions`, {
      method: 'POST',
      headers: admin(sb),
      body: JSON.stringify({ to: 'tomorrow', message: 'x' }),
    })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/ISO 8601/)
    const made = (await (
      await fetch(`${url}/__sandbox/interruptions`, {
        method: 'POST',
        headers: admin(sb),
        body: JSON.stringify({ to: inTwoHours(), message: 'Mise à jour' }),
      })
    ).json()) as { id: string; running: boolean }
    expect(made.running).toBe(true)
    const gone = await fetch(`${url}/__sandbox/interruptions/${made.id}`, {
      method: 'DELETE',
      headers: admin(sb),
    })
    expect(gone.status).toBe(204)
    expect(
      (
        await fetch(`${url}/__sandbox/interruptions/${made.id}`, {
          method: 'DELETE',
          headers: admin(sb),
        })
      ).status,
    ).toBe(404)
  })

  it('shows on the public status page with the load chart and usage per operation', async () => {
    const { url, sb, token } = await start()
    const bearer = { authorization: `Bearer ${await token()}` }
    for (let i = 0; i < 3; i++) await fetch(url + SIREN_PATH, { headers: bearer })
    await fetch(`${url}/__sandbox/interruptions`, {
      method: 'POST',
      headers: admin(sb),
      body: JSON.stringify({ to: inTwoHours(), message: 'Migration <b>annoncée</b>' }),
    })
    const page = await (await new ConsoleAgent(url).get('/console/status')).text()
    expect(page).toContain('Migration &lt;b&gt;annoncée&lt;/b&gt;')
    expect(page).toMatch(/<svg\s+class="console-chart"[^>]*role="img"/)
    expect(page).toMatch(/id="total-requests">3 requêtes/)
    expect(page).toMatch(/<td>api_entreprise_v3_insee_unites_legales<\/td>\s*<td>3<\/td>/)
  })

  it('is created from the operator console', async () => {
    const { url, sb, token } = await start()
    const agent = new ConsoleAgent(url)
    await agent.post('/console/admin/sign-in', {
      _csrf: await agent.csrf('/console/admin/sign-in'),
      admin_token: sb.adminToken,
    })
    const res = await agent.post('/console/admin/interruptions', {
      _csrf: await agent.csrf('/console/admin/interruptions'),
      from: '',
      to: inTwoHours().slice(0, 16),
      message: 'Bascule de datacentre',
    })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Bascule de datacentre')
    const during = await fetch(url + SIREN_PATH, {
      headers: { authorization: `Bearer ${await token()}` },
    })
    expect(during.status).toBe(503)
    expect(JSON.stringify(await during.json())).toContain('Bascule de datacentre')
  })
})
