// Bundles the CLI and the library into ES modules in dist/bundle/: resolving and loading a few hundred
// small modules costs Node about 0.5 s at start-up on this project's machines; one file costs a tenth.
// `sandbox-twin.mjs` is the command, `index.mjs` what `import 'sandbox-twin'` loads; the code they share
// is split into one common chunk instead of being shipped twice. Dependencies are bundled too;
// `require` is provided for the CommonJS ones that ask for Node built-ins. No source map is made: the
// package ships what a user runs and imports (set SANDBOX_SOURCEMAP=1 for one when debugging).
import { createHash } from 'node:crypto'
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import { build } from 'esbuild'
import { journalScalarsSource } from './journal-scalars.mjs'
import { metaCheckSource } from './meta-checks.mjs'

/**
 * A plugin that puts `contents` in the bundle in place of the compiled module `dist/mock/<file>`
 * (`setup` adds what else it needs); the build stops, saying `why` it matters, when that module was
 * never met.
 */
const swaps = new Map()
function swapModule(file, why, contents, setup = () => {}) {
  swaps.set(file, why)
  const escaped = file.replace(/\./g, '\\.').replace(/\//g, '[\\\\/]')
  const filter = new RegExp(`[\\\\/]dist[\\\\/]mock[\\\\/]${escaped}$`)
  return {
    name: `swap ${file}`,
    setup(b) {
      b.onLoad({ filter }, () => {
        swaps.delete(file)
        return { contents, resolveDir: process.cwd(), loader: 'js' }
      })
      setup(b)
    },
  }
}

// faker's locales are loaded on first use (`mock/data/faker-locale.ts`, through Node's `require`). In
// the bundle they are a file of their own, `faker-locales.cjs`, that the swapped module requires
// beside itself when a value is first drawn: a start neither parses nor runs it, and the shipped
// files still need no `node_modules`. That file holds faker's class only; the definitions of each
// language (person, location, music...: about 650 KB of data) are in `faker-definitions.json`, one
// category per line, each read and parsed when a value first needs it: a first answer parses the
// few categories it draws, not them all.
const FAKER_LOCALES = 'faker-locales.cjs'
const FAKER_DEFINITIONS = 'faker-definitions.json'
const lazyFakerLocale = swapModule(
  'data/faker-locale.js',
  'the bundle would need node_modules',
  [
    "import { createRequire } from 'node:module'",
    'const load = createRequire(import.meta.url)',
    'let locales',
    `export function fakerLocale(lang) { locales ??= load('./${FAKER_LOCALES}'); return lang === 'en' ? locales.en : locales.fr }`,
  ].join('\n'),
)

/**
 * Writes faker's French and English definitions to `dist/bundle/<FAKER_DEFINITIONS>`, a JSON array of
 * categories, one per line (French falls back on English: a category the same in both is written
 * once); returns the source of `faker-locales.cjs`' entry, which finds a category by its bytes.
 */
async function fakerLocalesSource() {
  const texts = []
  const languages = {}
  for (const lang of ['fr', 'en']) {
    const { faker } = await import(`@faker-js/faker/locale/${lang}`)
    const categories = {}
    for (const [category, value] of Object.entries(faker.rawDefinitions)) {
      const text = JSON.stringify(value)
      // Definitions are plain data; the build stops if one would not read back the same.
      if (!isDeepStrictEqual(JSON.parse(text), value))
        throw new Error(`bundle: faker's ${lang} definitions of ${category} are not plain JSON`)
      if (!texts.includes(text)) texts.push(text)
      categories[category] = texts.indexOf(text)
    }
    languages[lang] = categories
  }
  const ranges = []
  let at = 2 // after '[\n'
  for (const text of texts) {
    const bytes = Buffer.byteLength(text)
    ranges.push([at, at + bytes])
    at += bytes + 2 // ',\n'
  }
  writeFileSync(`dist/bundle/${FAKER_DEFINITIONS}`, `[\n${texts.join(',\n')}\n]\n`)
  return [
    "import { Faker } from '@faker-js/faker'",
    "import { readFileSync } from 'node:fs'",
    "import { join } from 'node:path'",
    `const RANGES = ${JSON.stringify(ranges)}`,
    `const LANGUAGES = ${JSON.stringify(languages)}`,
    'let file',
    // A category is read and parsed on its first use, then kept as a plain property.
    'function definitions(categories) {',
    '  const defs = {}',
    '  for (const name of Object.keys(categories))',
    '    Object.defineProperty(defs, name, { configurable: true, enumerable: true, get() {',
    `      file ??= readFileSync(join(__dirname, '${FAKER_DEFINITIONS}'))`,
    '      const [start, end] = RANGES[categories[name]]',
    "      const value = JSON.parse(file.toString('utf8', start, end))",
    '      Object.defineProperty(defs, name, { value, enumerable: true, writable: false })',
    '      return value',
    '    } })',
    '  return defs',
    '}',
    'export const fr = { Faker, definitions: definitions(LANGUAGES.fr) }',
    'export const en = { Faker, definitions: definitions(LANGUAGES.en) }',
  ].join('\n')
}

// The YAML parsers are loaded on first use (`mock/yaml/yaml-lib.ts`): a start that finds its contract
// and data files in the start-up cache parses no YAML. In the bundle each is a file of its own that
// the swapped module requires beside itself, so that a start does not compile them; the dependencies
// that import one (the `$ref` resolver, the Swagger 2.0 converter) require that same file.
const LAZY_LIBRARIES = { yaml: 'yaml.cjs', 'js-yaml': 'js-yaml.cjs' }
const lazyYaml = swapModule(
  'yaml/yaml-lib.js',
  'a start would compile both YAML parsers',
  [
    "import { createRequire } from 'node:module'",
    'const load = createRequire(import.meta.url)',
    'let yaml, jsYaml',
    `export const yamlLib = () => (yaml ??= load('./${LAZY_LIBRARIES.yaml}'))`,
    `export const jsYamlLib = () => (jsYaml ??= load('./${LAZY_LIBRARIES['js-yaml']}'))`,
  ].join('\n'),
  (b) => {
    // Only imports that find the project's own copy: a dependency bundling another version keeps it.
    const own = new Map()
    b.onResolve({ filter: /^(yaml|js-yaml)$/ }, async (args) => {
      if (args.pluginData === 'own copy?') return undefined
      const find = (resolveDir) =>
        b.resolve(args.path, { kind: args.kind, resolveDir, pluginData: 'own copy?' })
      if (!own.has(args.path)) own.set(args.path, (await find(process.cwd())).path)
      if ((await find(args.resolveDir)).path !== own.get(args.path)) return undefined
      return { path: args.path, namespace: 'lazy-library' }
    })
    b.onLoad({ filter: /.*/, namespace: 'lazy-library' }, (args) => ({
      contents: `module.exports = require('./${LAZY_LIBRARIES[args.path]}')`,
      loader: 'js',
    }))
    b.onResolve({ filter: /\.cjs$/, namespace: 'lazy-library' }, (args) => ({
      path: args.path,
      external: true,
    }))
  },
)

// ajv and its companions are loaded on first use (`mock/contract/ajv-lib.ts`, through Node's
// `require`). In the bundle they are one file of their own, `ajv.cjs`, that maps each module id the
// loader asks for to the module: the loader is kept as written, its `require` pointed at that file.
const AJV_LIBRARY = 'ajv.cjs'
const AJV_LOADER = /[\\/]dist[\\/]mock[\\/]contract[\\/]ajv-lib\.js$/
const AJV_REQUIRE = 'const load = createRequire(import.meta.url);'
let ajvIds
const lazyAjv = {
  name: 'lazy ajv',
  setup(b) {
    b.onLoad({ filter: AJV_LOADER }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      ajvIds = [...source.matchAll(/\bload\('([^']+)'\)/g)].map((m) => m[1])
      if (!source.includes(AJV_REQUIRE) || ajvIds.length === 0)
        throw new Error(
          'bundle: mock/contract/ajv-lib.ts no longer loads ajv as this build expects',
        )
      const contents = source.replace(
        AJV_REQUIRE,
        `const lazy = createRequire(import.meta.url); const load = (id) => lazy('./${AJV_LIBRARY}')[id];`,
      )
      return { contents, loader: 'js' }
    })
  },
}

// The draft-07 meta-schema check, compiled here (`scripts/meta-checks.mjs`) instead of at the first
// request of every start: `mock/contract/meta-check.js` is swapped for a module that exports it.
const META_CHECK = 'sandbox-draft07-meta-check'
const aheadMetaCheck = swapModule(
  'contract/meta-check.js',
  'the check would not be made ahead',
  `import validate from '${META_CHECK}'\nexport const draft07Check = (schema) => validate(schema) === true\n`,
  (b) => {
    b.onResolve({ filter: new RegExp(`^${META_CHECK}$`) }, () => ({
      path: META_CHECK,
      namespace: META_CHECK,
    }))
    b.onLoad({ filter: /.*/, namespace: META_CHECK }, () => ({
      contents: metaCheckSource(),
      resolveDir: process.cwd(),
      loader: 'js',
    }))
  },
)

// The serialiser of a journal line's scalar fields, compiled here (`scripts/journal-scalars.mjs`)
// instead of at a start: `mock/journal/scalars-json.js` is swapped for a module that exports it.
const aheadJournalScalars = swapModule(
  'journal/scalars-json.js',
  'a start would load and run the serialiser compiler',
  await journalScalarsSource(),
)

// commander requires node:child_process when it is loaded, for executable subcommands, which this CLI
// has none of: in the bundle it gets a stand-in that loads the module on first use, so that a start
// does not compile it (about 7 ms). The build stops if commander no longer asks for it.
let commanderDeferred = false
const deferCommanderChildProcess = {
  name: "defer commander's node:child_process",
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)) return undefined
      commanderDeferred = true
      return { path: 'child_process', namespace: 'deferred-builtin' }
    })
    b.onLoad({ filter: /.*/, namespace: 'deferred-builtin' }, () => ({
      contents:
        "module.exports = new Proxy({}, { get: (_, name) => process.getBuiltinModule('node:child_process')[name] })",
      loader: 'js',
    }))
  },
}

// The build's identity: a hash of the compiled sources and the locked dependencies. What the bundle
// keeps between starts that its own code computed (a loaded contract, `mock/contract/parse-cache.ts`)
// is keyed by it, so that another build never reads it back.
const buildHash = createHash('sha256')
for (const file of readdirSync('dist/mock', { recursive: true }).sort())
  if (String(file).endsWith('.js'))
    buildHash.update(String(file)).update(readFileSync(`dist/mock/${file}`))
buildHash.update(readFileSync('package-lock.json'))
const BUILD_ID = buildHash.digest('hex').slice(0, 16)

rmSync('dist/bundle', { recursive: true, force: true })
await build({
  plugins: [
    lazyFakerLocale,
    lazyYaml,
    lazyAjv,
    aheadMetaCheck,
    aheadJournalScalars,
    deferCommanderChildProcess,
  ],
  define: { SANDBOX_BUILD_ID: JSON.stringify(BUILD_ID) },
  entryPoints: { 'sandbox-twin': 'dist/mock/cli/main.js', index: 'dist/mock/index.js' },
  outdir: 'dist/bundle',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'shared-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Names are kept (stack traces, libraries that read them); only white space and syntax are minified.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: process.env.SANDBOX_SOURCEMAP === '1',
  banner: {
    js: "import { createRequire as __sandboxCreateRequire } from 'node:module'; const require = __sandboxCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
})
for (const [file, why] of swaps) throw new Error(`bundle: dist/mock/${file} was not found; ${why}`)
if (!commanderDeferred)
  throw new Error('bundle: commander no longer requires node:child_process; drop its stand-in')
/** Bundles `contents` into `dist/bundle/<file>`, a CommonJS file that the bundle requires on first use. */
const buildRequired = async (file, contents) =>
  build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'js' },
    outfile: `dist/bundle/${file}`,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  })
await buildRequired(FAKER_LOCALES, await fakerLocalesSource())
if (!ajvIds)
  throw new Error('bundle: mock/contract/ajv-lib.js was not found; a start would load ajv')
await buildRequired(
  AJV_LIBRARY,
  `module.exports = { ${ajvIds.map((id) => `${JSON.stringify(id)}: require(${JSON.stringify(id)})`).join(', ')} }`,
)
for (const [name, file] of Object.entries(LAZY_LIBRARIES))
  await buildRequired(file, `module.exports = require(${JSON.stringify(name)})`)

// The console's design system (DSFR): the few built files it serves, beside the bundle, so that the
// Docker image (which has no node_modules) serves them too. The fonts are left out (see docs/console.md).
const dsfr = 'node_modules/@gouvfr/dsfr/dist'
const assets = 'dist/console-assets/dsfr'
rmSync(assets, { recursive: true, force: true })
mkdirSync(assets, { recursive: true })
for (const file of ['dsfr.module.min.js', 'dsfr.nomodule.min.js'])
  cpSync(`${dsfr}/${file}`, `${assets}/${file}`)
// The style sheets of the core and of each component: the console serves those it uses, in one file.
mkdirSync(`${assets}/core`, { recursive: true })
cpSync(`${dsfr}/core/core.min.css`, `${assets}/core/core.min.css`)
for (const name of readdirSync(`${dsfr}/component`)) {
  const file = `component/${name}/${name}.min.css`
  if (!existsSync(`${dsfr}/${file}`)) continue
  mkdirSync(`${assets}/component/${name}`, { recursive: true })
  cpSync(`${dsfr}/${file}`, `${assets}/${file}`)
}
cpSync(`${dsfr}/icons`, `${assets}/icons`, { recursive: true })
cpSync('node_modules/@gouvfr/dsfr/LICENSE.md', `${assets}/LICENSE.md`)
