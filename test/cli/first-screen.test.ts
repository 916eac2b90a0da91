import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startCli } from '../helpers/cli.js'
import { tempFiles } from '../helpers/temp-files.js'

/** A contract unlike API Entreprise: a patterned path parameter, an enum query, a required header. */
const PARCELS = `openapi: 3.0.3
info: { title: Parcels, version: 2.1.0 }
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows: { clientCredentials: { tokenUrl: /oauth/token, scopes: { 'parcels:read': read } } }
security: [{ oauth: ['parcels:read'] }]
paths:
  /parcels/{code}:
    get:
      operationId: getParcel
      parameters:
        - { name: code, in: path, required: true, schema: { type: string, pattern: '^[A-Z]{2}[0-9]{9}FR$' } }
        - { name: lang, in: query, required: true, schema: { type: string, enum: [fr, en] } }
        - { name: X-Caller, in: header, required: true, schema: { type: string, pattern: '^[a-z]{3,8}$' } }
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { type: object, properties: { code: { type: string } } } } }
        '400': { description: bad request }
`

/** Runs the banner's "First call" lines in a shell; each curl prints the status it got. */
function runFirstCall(banner: string): string[] {
  const lines = banner.slice(banner.indexOf('First call:')).split('\n').slice(1)
  const script = lines
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => (l.startsWith('curl ') ? `${l} -o /dev/null -w '%{http_code}\\n'` : l))
    .join('\n')
  return execFileSync('bash', ['-c', script], { encoding: 'utf8' }).trim().split('\n')
}

describe('the first screen', () => {
  it('shows, for another contract, a first call that passes its own validation, with its own privileges', async () => {
    const dir = tempFiles({ 'parcels.yaml': PARCELS })
    const cli = await startCli(['--state', 'memory', '--contract', join(dir, 'parcels.yaml')])
    try {
      const banner = cli.stdout()
      expect(banner).toContain('Parcels 2.1.0 (1 operation) from')
      expect(banner).toMatch(/privileges: parcels:read\n/)
      expect(banner).not.toContain('/privileges')
      expect(banner).toMatch(/curl .*'X-Caller: [a-z]{3,8}'/)
      expect(runFirstCall(banner)).toEqual(['200'])
    } finally {
      await cli.stop()
    }
  })

  it('shows, for the bundled contract, a first call and its privileges, both answered', async () => {
    const cli = await startCli(['--state', 'memory'])
    try {
      const banner = cli.stdout()
      expect(banner).toMatch(/\(\d+ operations\)/)
      expect(runFirstCall(banner)).toEqual(['200', '200'])
    } finally {
      await cli.stop()
    }
  })
})
