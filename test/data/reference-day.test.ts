import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createSandbox } from '../../mock/create-sandbox.js'
import type { SandboxOptions } from '../../mock/options.js'
import { SIREN, TRACE } from '../auth/helpers.js'

const ATTESTATION = `/v4/dgfip/unites_legales/${SIREN}/attestation_fiscale`

/** The fiscal attestation a sandbox made with `options` answers (no token: auth is off). */
async function attestation(options: SandboxOptions): Promise<Record<string, string>> {
  const s = await createSandbox({
    state: 'memory',
    auth: false,
    publicUrl: 'http://sandbox.test',
    log: () => undefined,
    ...options,
  })
  try {
    const res = await request(s.app).get(ATTESTATION).query(TRACE)
    expect(res.status).toBe(200)
    return res.body.data as Record<string, string>
  } finally {
    await s.close()
  }
}

const at = (iso: string) => () => Date.parse(iso)

describe("generated dates follow the sandbox's day", () => {
  it('an attestation is delivered recently before the day the sandbox started on, the same all that day', async () => {
    const morning = await attestation({ now: at('2031-03-10T08:00:00Z') })
    expect(morning.date_delivrance_attestation <= '2031-03-09').toBe(true)
    expect(morning.date_delivrance_attestation >= '2029-01-01').toBe(true)
    expect(morning.date_periode_analysee < morning.date_delivrance_attestation).toBe(true)
    // Deterministic within a day, and pinned by --reference-day whatever the clock says.
    expect(await attestation({ now: at('2031-03-10T23:59:59Z') })).toEqual(morning)
    expect(await attestation({ referenceDay: '2031-03-10' })).toEqual(morning)
    const later = await attestation({ now: at('2033-07-01T08:00:00Z') })
    expect(later.date_delivrance_attestation >= '2031-01-01').toBe(true)
    expect(later.date_delivrance_attestation <= '2033-06-30').toBe(true)
  })
})
