import type { Operation } from '../contract/types.js'
import type { Sandbox } from '../create-sandbox.js'
import { redactUrl } from '../store/redis-connection.js'

/** Values for a first call's parameters: a known coherent company, then the contract's own examples. */
const SAMPLE: Record<string, string> = {
  siren: '418166096',
  siret: '41816609600051',
  year: '2024',
  month: '01',
  context: 'essai',
  recipient: '13002526500013',
  object: 'premier appel',
}

/** A GET operation worth showing first: one with a SIREN, else the first GET. */
function firstCallOperation(ops: readonly Operation[]): Operation | undefined {
  const gets = ops.filter((o) => o.method === 'get' && !o.deprecated)
  return (
    gets.find(
      (o) => o.parameters.some((p) => p.name === 'siren') && !o.path.includes('diffusibles'),
    ) ?? gets[0]
  )
}

/** The path and query of a valid call to `op`, filled with sample or example values. */
export function sampleCallPath(op: Operation): string {
  const value = (name: string, examples: unknown[]): string =>
    SAMPLE[name] ?? String(examples[0] ?? 'x')
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const p = op.parameters.find((q) => q.name === name && q.in === 'path')
    return encodeURIComponent(value(name, p?.examples ?? []))
  })
  const query = op.parameters
    .filter((p) => p.in === 'query' && p.required)
    .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(value(p.name, p.examples))}`)
  return query.length ? `${path}?${query.join('&')}` : path
}

/** Prints what a user needs to start: URL, admin token, the demo client, and the curl lines of a first call. */
export function printBanner(sandbox: Sandbox, url: string): void {
  const ctx = sandbox.context
  const op = firstCallOperation(ctx.contract.operations)
  const demo = sandbox.demoClient
  const lines = [
    `sandbox-twin listening on ${url}`,
    `  contract:     ${ctx.contract.title} ${ctx.contract.version} (${ctx.contract.operations.length} operations) from ${ctx.contract.file}`,
    `  state:        ${redactUrl(ctx.options.state)}    seed: ${ctx.options.seed}`,
    `  admin token:  ${sandbox.adminToken}`,
    `  health:       curl ${url}/__sandbox/health`,
  ]
  if (demo) {
    lines.push(
      `  demo client:  ${demo.clientId}  secret: ${demo.clientSecret}  (new secret at each start)`,
      `                privileges: ${demo.privileges.join(' ') || '(none)'}`,
      '',
      'First call:',
      `  TOKEN=$(curl -s -u '${demo.clientId}:${demo.clientSecret}' -d grant_type=client_credentials ${url}/oauth/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    )
    if (op) lines.push(`  curl -s -H "Authorization: Bearer $TOKEN" '${url}${sampleCallPath(op)}'`)
    lines.push(`  curl -s -H "Authorization: Bearer $TOKEN" '${url}/privileges'`)
  } else if (op) {
    lines.push('', 'First call:', `  curl -s '${url}${sampleCallPath(op)}'`)
  }
  process.stdout.write(`${lines.join('\n')}\n`)
}
