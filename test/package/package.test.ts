import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import type { Faker } from '@faker-js/faker'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { tempFiles } from '../helpers/temp-files.js'

const ROOT = resolve(import.meta.dirname, '../..')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string
  types: string
  bin: Record<string, string>
  exports: Record<string, { types: string; default: string }>
  dependencies: Record<string, string>
}

/**
 * The budget the README states (Package section): what `npm pack` ships, unpacked and packed. Raise it
 * only with a reason written there.
 */
const BUDGET = { unpacked: 6_000_000, packed: 1_600_000 }

interface Packed {
  size: number
  unpackedSize: number
  files: { path: string; size: number }[]
}

function packList(): Packed {
  if (!existsSync(join(ROOT, pkg.bin['sandbox-twin']!)))
    throw new Error('dist/ is missing: run "npm run build" first (npm test does it).')
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  return (JSON.parse(out) as Packed[])[0]!
}

describe('the published package', () => {
  const packed = packList()
  const paths = new Set(packed.files.map((f) => f.path))

  it('fits the budget the README states', () => {
    expect(packed.unpackedSize).toBeLessThanOrEqual(BUDGET.unpacked)
    expect(packed.size).toBeLessThanOrEqual(BUDGET.packed)
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    expect(readme).toContain(`${BUDGET.unpacked / 1e6} MB unpacked`)
    expect(readme).toContain(`${BUDGET.packed / 1e6} MB packed`)
  })

  it('ships what a user runs and imports, and no source map or second copy of the code', () => {
    const shipped = [
      pkg.main,
      pkg.types,
      pkg.exports['.']!.types,
      pkg.exports['.']!.default,
      ...Object.values(pkg.bin),
    ]
    for (const file of shipped) expect(paths).toContain(file.replace(/^\.\//, ''))
    for (const path of paths) {
      expect(path).not.toMatch(/\.map$/)
      expect(path).not.toMatch(/^dist\/mock\/.*\.js$/) // the compiled sources: the bundle serves
      expect(path).not.toMatch(/^(test|bench|mock|docs|scripts|\.ci)\//)
    }
    // The chunks the entry points import are shipped with them.
    for (const entry of ['dist/bundle/index.mjs', 'dist/bundle/sandbox-twin.mjs']) {
      const text = readFileSync(join(ROOT, entry), 'utf8')
      for (const [, chunk] of text.matchAll(/from\s*"\.\/([^"]+)"/g))
        expect(paths).toContain(`dist/bundle/${chunk}`)
    }
    // So are the files the bundle requires on first use (faker's locales, the YAML parsers, ajv).
    const required = new Set<string>()
    for (const path of paths) {
      if (!/^dist\/bundle\/[^/]+\.mjs$/.test(path)) continue
      const text = readFileSync(join(ROOT, path), 'utf8')
      for (const [, file] of text.matchAll(/\w\("\.\/([^"]+\.cjs)"\)/g)) required.add(file!)
    }
    expect([...required].sort()).toEqual([
      'ajv.cjs',
      'faker-locales.cjs',
      'js-yaml.cjs',
      'yaml.cjs',
    ])
    for (const file of required) expect(paths).toContain(`dist/bundle/${file}`)
  })

  it('declares types that need nothing outside its dependencies', () => {
    const external = new Set<string>()
    for (const path of paths) {
      if (!path.endsWith('.d.ts')) continue
      const text = readFileSync(join(ROOT, path), 'utf8')
      for (const [, spec] of text.matchAll(/(?:from\s+|import\()'([^'.][^']*)'/g))
        external.add(spec!)
    }
    const builtins = new Set(builtinModules)
    for (const spec of external) {
      if (spec.startsWith('node:') || builtins.has(spec)) continue
      const name = spec.startsWith('@')
        ? spec.split('/').slice(0, 2).join('/')
        : spec.split('/')[0]!
      const typesName = name.startsWith('@')
        ? `@types/${name.slice(1).replace('/', '__')}`
        : `@types/${name}`
      const own = JSON.parse(
        readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'),
      ) as { types?: string; typings?: string; exports?: unknown }
      const typed = own.types !== undefined || own.typings !== undefined || name in pkg.dependencies
      expect(
        name in pkg.dependencies && (typed || typesName in pkg.dependencies),
        `${spec}: a dependency with its types`,
      ).toBe(true)
      if (!own.types && !own.typings && existsSync(join(ROOT, 'node_modules', typesName)))
        expect(pkg.dependencies, `${typesName} for ${spec}`).toHaveProperty([typesName])
    }
  })

  it('compiles in a strict consumer without skipLibCheck, sandbox.app typed', () => {
    const dir = tempFiles({})
    const file = join(dir, 'consumer.mts')
    writeFileSync(
      file,
      `import type { IncomingMessage, ServerResponse } from 'node:http'
import { createSandbox } from ${JSON.stringify(join(ROOT, 'dist/mock/index.js'))}
const sandbox = await createSandbox({ state: 'memory' })
const listener: (req: IncomingMessage, res: ServerResponse) => void = sandbox.app
// @ts-expect-error the app is typed, not any
const wrong: number = sandbox.app
const token: string = sandbox.adminToken
const secret: string | undefined = sandbox.demoClient?.clientSecret
export { listener, wrong, token, secret }
`,
    )
    const program = ts.createProgram([file], {
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules/@types')],
    })
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    expect(problems).toEqual([])
  }, 120_000) // every declaration file checked, @types/node included: seconds, more on a loaded machine

  it("ships faker's definitions as faker has them, each category parsed on its first read", async () => {
    expect(paths).toContain('dist/bundle/faker-locales.cjs')
    expect(paths).toContain('dist/bundle/faker-definitions.json')
    const bundled = createRequire(import.meta.url)(
      join(ROOT, 'dist/bundle/faker-locales.cjs'),
    ) as Record<'fr' | 'en', { Faker: unknown; definitions: Record<string, unknown> }>
    for (const lang of ['fr', 'en'] as const) {
      const { faker } = (await import(`@faker-js/faker/locale/${lang}`)) as { faker: Faker }
      const { definitions } = bundled[lang]
      // Nothing read yet: every category is still a getter.
      expect(Object.getOwnPropertyDescriptor(definitions, 'music')?.get).toBeTypeOf('function')
      expect(Object.keys(definitions).sort()).toEqual(Object.keys(faker.rawDefinitions).sort())
      for (const [category, value] of Object.entries(faker.rawDefinitions))
        expect(definitions[category], `${lang} ${category}`).toEqual(value)
      expect(Object.getOwnPropertyDescriptor(definitions, 'music')?.value).toBeDefined()
    }
  })

  it('serves from the library bundle', async () => {
    const lib = (await import(
      join(ROOT, pkg.exports['.']!.default)
    )) as typeof import('../../mock/index.js')
    const sandbox = await lib.createSandbox({ state: 'memory', log: () => undefined })
    try {
      const { url } = await sandbox.listen(0)
      expect((await fetch(`${url}/__sandbox/health`)).status).toBe(200)
    } finally {
      await sandbox.close()
    }
  })
})
