import { readdir, readFile } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { ajvLib } from '../contract/ajv-lib.js'
import { preparedKey, readPrepared, writePrepared } from '../prepared-cache.js'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import { DEFAULTS } from '../options.js'
import {
  normalizeMatch,
  normalizeRules,
  normalizeWhen,
  normalizeEffect,
  type RawScenario,
} from './normalize-scenario.js'
import { EFFECT_TYPES, type Scenario, type Step } from './types.js'
import { isYamlSyntaxError, parseYamlSource, type YamlSource } from '../yaml/yaml-source.js'

/** Bump when what a checked scenario file is kept as changes. */
const SCENARIO_CACHE_VERSION = '1'

/** The JSON Schema every scenario file must match; it ships with the project. */
export const SCENARIO_SCHEMA_FILE = join(DEFAULTS.bundledScenarios, 'scenario.schema.json')

interface Parsed {
  file: string
  raw: RawScenario
  /** The file parsed with positions, for a message naming a line (parsed again when it was cached). */
  source: () => YamlSource
}

const fail = (file: string, message: string): never => {
  throw new SandboxConfigError(
    SANDBOX_ERRORS.BAD_SCENARIO,
    `scenario ${file}: ${message}. See scenarios/README.md for the format.`,
    { file },
  )
}

/** The most telling error: a top-level `oneOf` says more than the first branch's complaint. */
function pickError(errors: ErrorObject[]): ErrorObject {
  return errors.find((e) => e.keyword === 'oneOf' && e.instancePath === '') ?? errors[0]!
}

function explain(e: ErrorObject): string {
  if (
    e.keyword === 'discriminator' ||
    (e.keyword === 'const' && e.instancePath.endsWith('/type'))
  ) {
    return `effect type must be one of ${EFFECT_TYPES.join(', ')}`
  }
  if (e.keyword === 'oneOf' && e.instancePath === '')
    return 'give exactly one of effect (with an optional when), rules or sequence'
  if (e.keyword === 'additionalProperties')
    return `unknown field "${String(e.params.additionalProperty)}"`
  if (e.keyword === 'not' && e.instancePath.includes('/sequence/'))
    return 'a step plays either a scenario or an effect, not both'
  return e.message ?? 'is invalid'
}

/**
 * Loads every `*.yaml` / `*.yml` scenario of the given folders (the bundled `scenarios/` first, then
 * `--scenarios`), checks each against the schema, and resolves sequences. A later folder's scenario
 * replaces a bundled one of the same name (logged). Any fault stops start-up with file, line and reason.
 */
export async function loadScenarios(
  dirs: readonly string[],
  log: (line: string) => void,
): Promise<Map<string, Scenario>> {
  // The schema ships with the project and is checked against the meta-schema by its tests: skipping
  // that check here saves about 100 ms of start-up. It is compiled only when a file was not checked
  // before: a file that passed is kept, parsed, under a hash of its text and the schema's.
  const schemaText = await readFile(SCENARIO_SCHEMA_FILE, 'utf8')
  let compiled: ValidateFunction | undefined
  const check = (value: unknown): ValidateFunction => {
    compiled ??= new (ajvLib().Ajv)({
      strict: false,
      allErrors: false,
      discriminator: true,
      validateSchema: false,
    }).compile(JSON.parse(schemaText) as object)
    compiled(value)
    return compiled
  }
  const parsed = new Map<string, Parsed>()
  for (const dir of dirs) {
    const names = await readdir(dir).catch((e: NodeJS.ErrnoException) =>
      fail(
        dir,
        e.code === 'ENOENT' ? 'folder not found' : `cannot be read (${e.code ?? String(e)})`,
      ),
    )
    // The files and what the cache holds for them are read all at once, then taken in order.
    const files = await Promise.all(
      names
        .filter((n) => /\.ya?ml$/i.test(n))
        .sort()
        .map(async (name) => {
          const text = await readFile(join(dir, name), 'utf8')
          const id = basename(name, extname(name))
          const key = preparedKey('scenario', SCENARIO_CACHE_VERSION, schemaText, id, text)
          return {
            file: join(dir, name),
            text,
            id,
            key,
            kept: await readPrepared<RawScenario>(key),
          }
        }),
    )
    for (const { file, text, id, key, kept } of files) {
      let source: YamlSource | undefined
      const sourceOf = (): YamlSource => (source ??= parseYamlSource(text) as YamlSource)
      let raw = kept
      if (raw === undefined) {
        const read = parseYamlSource(text)
        if (isYamlSyntaxError(read)) return fail(file, `line ${read.line}: ${read.message}`)
        source = read
        const checked = check(read.value)
        if (checked.errors) {
          const e = pickError(checked.errors)
          const pointer = e.keyword === 'discriminator' ? `${e.instancePath}/type` : e.instancePath
          const at = pointer.split('/').slice(1).join('.') || 'the top level'
          return fail(file, `line ${read.lineOf(pointer)}, at ${at}: ${explain(e)}`)
        }
        raw = read.value as RawScenario
        if (raw.name !== undefined && raw.name !== id)
          fail(
            file,
            `line ${read.lineOf('/name')}: name "${raw.name}" differs from the file name "${id}"`,
          )
        void writePrepared(key, raw)
      }
      if (parsed.has(id)) log(`scenarios: ${file} replaces ${parsed.get(id)!.file}`)
      parsed.set(id, { file, raw, source: sourceOf })
    }
  }
  const out = new Map<string, Scenario>()
  for (const [name, p] of parsed) if (!p.raw.sequence) out.set(name, plain(name, p))
  for (const [name, p] of parsed) if (p.raw.sequence) out.set(name, sequence(name, p, out))
  return out
}

function plain(name: string, p: Parsed): Scenario {
  return {
    name,
    description: p.raw.description,
    ...(p.raw.good_client ? { goodClient: p.raw.good_client } : {}),
    file: p.file,
    match: normalizeMatch(p.raw.match),
    steps: [{ rules: normalizeRules(p.raw, name) }],
    sequence: false,
  }
}

function sequence(name: string, p: Parsed, plainOnes: Map<string, Scenario>): Scenario {
  const seed = p.raw.seed ?? 1
  const raw = p.raw.sequence!
  const steps = raw.map((s, i): Step => {
    const at = `/sequence/${i}`
    if (s.calls === undefined && i < raw.length - 1)
      fail(p.file, `line ${p.source().lineOf(at)}: only the last step may omit calls`)
    const base = {
      ...(s.calls !== undefined ? { calls: s.calls } : {}),
      ...(s.description ? { description: s.description } : {}),
    }
    if (s.scenario !== undefined) {
      const played = plainOnes.get(s.scenario)
      if (!played) {
        const known = [...plainOnes.keys()].join(', ')
        return fail(
          p.file,
          `line ${p.source().lineOf(`${at}/scenario`)}: step plays "${s.scenario}", which is not a plain scenario (known: ${known})`,
        )
      }
      const rules = played.steps[0]!.rules.map((r) => ({
        ...r,
        match: [...normalizeMatch(s.match), ...played.match, ...r.match],
      }))
      return { ...base, rules, scenario: s.scenario }
    }
    if (!s.effect) return { ...base, rules: [] }
    const when = normalizeWhen(s.when)
    const rule = {
      match: normalizeMatch(s.match),
      ...(when ? { when } : {}),
      effect: normalizeEffect(s.effect),
      seed,
      index: i,
      from: name,
    }
    return { ...base, rules: [rule] }
  })
  return {
    name,
    description: p.raw.description,
    ...(p.raw.good_client ? { goodClient: p.raw.good_client } : {}),
    file: p.file,
    match: normalizeMatch(p.raw.match),
    steps,
    sequence: true,
  }
}
