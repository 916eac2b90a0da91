import { PRIVILEGES_PATH } from '../auth/privileges-stage.js'
import type { Operation, ParameterSpec } from '../contract/types.js'
import type { RequestParts, ValidationFailure } from '../contract/validate-request.js'
import { createGenerationContext, generateFromSchema } from '../data/generate-from-schema.js'
import { createSeededFaker } from '../data/seeded.js'
import type { Sandbox } from '../create-sandbox.js'
import { preparedKey, readPrepared, writePrepared } from '../prepared-cache.js'
import { redactUrl } from '../store/redact-url.js'

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

/** How many values a parameter is tried with before the first call gives up looking. */
const MAX_TRIES = 12

/**
 * Values worth trying for a parameter, best first: the known coherent company's (when the parameter
 * is named so), the contract's own examples, then values drawn from its schema (pattern, format,
 * enum...), a few seeds apart.
 */
function candidates(p: ParameterSpec, seed: number): string[] {
  const out: string[] = []
  const add = (v: unknown): void => {
    if (v === undefined || v === null || typeof v === 'object') return
    const text = String(v)
    if (text !== '' && !out.includes(text)) out.push(text)
  }
  add(SAMPLE[p.name])
  p.examples.forEach(add)
  add(p.schema.default)
  const faker = createSeededFaker()
  for (let i = 0; out.length < MAX_TRIES && i < MAX_TRIES; i++) {
    try {
      const ctx = createGenerationContext({
        faker: faker.forKey(seed, 'first-call', p.name, String(i)),
        seed,
      })
      add(generateFromSchema(p.schema, ctx))
    } catch {
      break // a schema the generator cannot draw from: the other sources only
    }
  }
  if (out.length === 0) out.push('x')
  return out
}

/** A first call of `op`: the path, query and headers of a request its own validation accepts. */
export function sampleCall(
  op: Operation,
  validate: (op: Operation, parts: RequestParts) => ValidationFailure | undefined,
  seed = 1,
): { path: string; headers: Record<string, string> } {
  const params = op.parameters.filter(
    (p) => p.in === 'path' || (p.required && (p.in === 'query' || p.in === 'header')),
  )
  const tries = new Map(params.map((p) => [p, candidates(p, seed)]))
  const chosen = new Map(params.map((p) => [p, 0]))
  const value = (p: ParameterSpec): string => tries.get(p)![chosen.get(p)!]!
  const parts = (): RequestParts => {
    const of = (where: string): Record<string, string> =>
      Object.fromEntries(
        params
          .filter((p) => p.in === where)
          .map((p) => [p.in === 'header' ? p.name.toLowerCase() : p.name, value(p)]),
      )
    return { path: of('path'), query: of('query'), headers: of('header') }
  }
  // Each refusal names the parameter at fault: try its next value, until the request passes.
  for (let round = 0; round < params.length * MAX_TRIES; round++) {
    const failure = validate(op, parts())
    const culprit = failure && params.find((p) => p.name === failure.spec.parameter)
    if (!culprit) break
    const next = chosen.get(culprit)! + 1
    if (next >= tries.get(culprit)!.length) break
    chosen.set(culprit, next)
  }
  const path = op.path.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const p = params.find((q) => q.name === name && q.in === 'path')
    return p ? encodeURIComponent(value(p)) : whole
  })
  const query = params
    .filter((p) => p.in === 'query')
    .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(value(p))}`)
  const headers = Object.fromEntries(
    params.filter((p) => p.in === 'header').map((p) => [p.name, value(p)]),
  )
  return { path: query.length ? `${path}?${query.join('&')}` : path, headers }
}

/** `n operation(s)`. */
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** A shell word in single quotes. */
const quote = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`

/** Bump when the way a first call is drawn changes. */
const FIRST_CALL_VERSION = '1'

/**
 * {@link sampleCall}, kept in the start-up cache: it depends only on the operation's path and
 * parameters and on the seed, and drawing it (validators, generated values) would hold up the first
 * requests a freshly started sandbox receives.
 */
async function firstCall(
  op: Operation,
  validate: Parameters<typeof sampleCall>[1],
  seed: number,
): Promise<{ path: string; headers: Record<string, string> }> {
  let key: string | undefined
  try {
    key = preparedKey(
      'first-call',
      FIRST_CALL_VERSION,
      String(seed),
      op.path,
      JSON.stringify(op.parameters),
    )
  } catch {
    key = undefined // a parameter schema with a cycle: drawn each time
  }
  const cached =
    key === undefined ? undefined : await readPrepared<ReturnType<typeof sampleCall>>(key)
  if (cached) return cached
  const call = sampleCall(op, validate, seed)
  if (key !== undefined) void writePrepared(key, call)
  return call
}

/** Prints what a user needs to start: URL, admin token, the demo client, and the curl lines of a first call. */
export async function printBanner(sandbox: Sandbox, url: string): Promise<void> {
  const ctx = sandbox.context
  const op = firstCallOperation(ctx.contract.operations)
  const call = op && (await firstCall(op, ctx.validate, ctx.options.seed))
  const curl = (auth: string): string =>
    `  curl -s${auth}${Object.entries(call!.headers)
      .map(([k, v]) => ` -H ${quote(`${k}: ${v}`)}`)
      .join('')} ${quote(`${url}${call!.path}`)}`
  const hasPrivileges = ctx.contract.operations.some(
    (o) => o.method === 'get' && o.path === PRIVILEGES_PATH,
  )
  const demo = sandbox.demoClient
  const lines = [
    `sandbox-twin listening on ${url}`,
    ...ctx.apis.map(
      (a, i) =>
        `  ${(i === 0 ? 'contract:' : 'beside:').padEnd(14)}${a.contract.title} ${a.contract.version} (${plural(a.contract.operations.length, 'operation')}) from ${a.contract.file}${ctx.apis.length > 1 ? `, as ${a.api.name}${a.api.prefix ? ` under ${a.api.prefix}` : ''}` : ''}`,
    ),
    `  state:        ${redactUrl(ctx.options.state)}    seed: ${ctx.options.seed}`,
    `  admin token:  ${sandbox.adminToken}`,
    sandbox.adminTokenFile
      ? `                kept in ${sandbox.adminTokenFile} (mode 0600): the same at every restart`
      : '                generated for this run: pass --admin-token (or SANDBOX_ADMIN_TOKEN) to keep one',
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
    if (call) lines.push(curl(' -H "Authorization: Bearer $TOKEN"'))
    if (hasPrivileges)
      lines.push(`  curl -s -H "Authorization: Bearer $TOKEN" '${url}${PRIVILEGES_PATH}'`)
  } else if (call) {
    lines.push('', 'First call:', curl(''))
  }
  process.stdout.write(`${lines.join('\n')}\n`)
}
