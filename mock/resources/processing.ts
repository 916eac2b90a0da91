import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import { deriveSeed } from '../data/seeded.js'
import {
  parseYamlSource,
  readYamlSource,
  type YamlSource,
  type YamlSyntaxError,
} from '../yaml/yaml-source.js'
import { parseDuration } from '../clock/clock.js'

/** Default delay between two statuses when a resource's status enum is walked in order, ms. */
export const DEFAULT_STEP_MS = 60_000

/** One possible outcome of a transition. */
export interface Outcome {
  status: string
  /** Share of resources that take it, 0..1; the shares of one transition add up to 1. */
  probability: number
  /** Fields the status sets on the resource. */
  set?: Record<string, unknown>
}

export interface Transition {
  from: string
  afterMs: number
  to: Outcome[]
}

/**
 * A resource whose sent body has these values always takes these outcomes: a declaration that is
 * always rejected, or always accepted, to test a client's handling of either without drawing.
 */
export interface ProcessingCase {
  /** Dotted paths of the sent body → the value they must equal (strings compared as written). */
  when: Record<string, string | number | boolean>
  /** At every transition that offers one of these statuses, it is taken. */
  outcome: string[]
}

/** How a created resource is processed on its client's sandbox clock. */
export interface ProcessingSpec {
  /** Status property (defaults to the one found in the schema). */
  field?: string
  initial?: string
  transitions: Transition[]
  /** Bodies whose life is fixed, first match wins. */
  cases?: ProcessingCase[]
}

/** A status a resource reaches, at a sandbox time. */
export interface TimelineStep {
  status: string
  /** Sandbox time, ms. */
  at: number
  set?: Record<string, unknown>
}

/**
 * Reads the processing files of a folder: one `<operationId>.yaml` per create operation. A missing
 * folder means "no file": statuses are then walked in order. Any fault names the file and the place.
 */
export async function loadProcessing(folder: string): Promise<Map<string, ProcessingSpec>> {
  const out = new Map<string, ProcessingSpec>()
  if (!existsSync(folder)) return out
  for (const name of (await readdir(folder)).sort()) {
    if (!/\.ya?ml$/.test(name)) continue
    const file = join(folder, name)
    const text = await readFile(file, 'utf8')
    out.set(name.replace(/\.ya?ml$/, ''), checkProcessing(await readYamlSource(text), file))
  }
  return out
}

/** Parses and checks one processing file. */
export function parseProcessing(text: string, file = '<inline>'): ProcessingSpec {
  return checkProcessing(parseYamlSource(text), file)
}

function checkProcessing(src: YamlSource | YamlSyntaxError, file: string): ProcessingSpec {
  const fail = (pointer: string, what: string): never => {
    const line = 'lineOf' in src ? src.lineOf(pointer) : src.line
    throw new SandboxConfigError(
      SANDBOX_ERRORS.BAD_MAPPING,
      `processing file ${file}, line ${line}: ${what}. See docs/write-apis.md for the format.`,
      { file },
    )
  }
  if (!('value' in src)) return fail('', src.message)
  const v = src.value as Record<string, unknown> | null
  if (!v || typeof v !== 'object' || Array.isArray(v)) return fail('', 'expected a mapping')
  for (const key of Object.keys(v))
    if (!['field', 'initial', 'transitions', 'cases'].includes(key))
      fail(`/${key}`, `unknown key "${key}" (expected field, initial, transitions, cases)`)
  if (v.field !== undefined && typeof v.field !== 'string') fail('/field', 'field must be a name')
  if (v.initial !== undefined && typeof v.initial !== 'string')
    fail('/initial', 'initial must be a status')
  if (!Array.isArray(v.transitions)) return fail('/transitions', 'transitions must be a list')
  const transitions = v.transitions.map((t: unknown, i: number): Transition => {
    const at = `/transitions/${i}`
    const tr = t as Record<string, unknown> | null
    if (!tr || typeof tr !== 'object') return fail(at, 'expected {from, after, to}')
    if (typeof tr.from !== 'string') fail(`${at}/from`, 'from must be a status')
    const afterMs = parseDuration(tr.after)
    if (afterMs === undefined) fail(`${at}/after`, 'after must be a duration such as 30s, 2m, 4h')
    if (!Array.isArray(tr.to) || tr.to.length === 0)
      fail(`${at}/to`, 'to must list at least one {status, probability}')
    const list = tr.to as unknown[]
    const to = list.map((o, j): Outcome => {
      const oo = o as Record<string, unknown> | null
      if (!oo || typeof oo.status !== 'string') return fail(`${at}/to/${j}`, 'status is missing')
      const p = oo.probability ?? (list.length === 1 ? 1 : undefined)
      if (typeof p !== 'number' || !(p >= 0 && p <= 1))
        fail(`${at}/to/${j}/probability`, 'probability must be a number from 0 to 1')
      if (oo.set !== undefined && (typeof oo.set !== 'object' || oo.set === null))
        fail(`${at}/to/${j}/set`, 'set must map field names to values')
      return {
        status: oo.status,
        probability: p as number,
        ...(oo.set ? { set: oo.set as Record<string, unknown> } : {}),
      }
    })
    const sum = to.reduce((s, o) => s + o.probability, 0)
    if (Math.abs(sum - 1) > 1e-9) fail(`${at}/to`, `the probabilities add up to ${sum}, not 1`)
    return { from: tr.from as string, afterMs: afterMs!, to }
  })
  const reachable = new Set(transitions.flatMap((t) => t.to.map((o) => o.status)))
  if (v.cases !== undefined && !Array.isArray(v.cases))
    fail('/cases', 'cases must be a list of {when, outcome}')
  const cases = ((v.cases as unknown[] | undefined) ?? []).map((c, i): ProcessingCase => {
    const at = `/cases/${i}`
    const cc = c as Record<string, unknown> | null
    if (!cc || typeof cc !== 'object' || Array.isArray(cc))
      return fail(at, 'expected {when, outcome}')
    for (const key of Object.keys(cc))
      if (key !== 'when' && key !== 'outcome')
        fail(`${at}/${key}`, `unknown key "${key}" (expected when, outcome)`)
    const when = cc.when as Record<string, unknown> | null
    if (!when || typeof when !== 'object' || Array.isArray(when) || Object.keys(when).length === 0)
      fail(`${at}/when`, 'when must map body fields (dotted paths) to the values they equal')
    for (const [k, value] of Object.entries(when!))
      if (!['string', 'number', 'boolean'].includes(typeof value))
        fail(`${at}/when/${k}`, 'a value to match must be a string, a number or a boolean')
    const outcome = typeof cc.outcome === 'string' ? [cc.outcome] : cc.outcome
    if (!Array.isArray(outcome) || outcome.length === 0)
      return fail(`${at}/outcome`, 'outcome must be a status or a list of statuses')
    for (const [j, s] of outcome.entries())
      if (typeof s !== 'string' || !reachable.has(s))
        fail(
          `${at}/outcome/${j}`,
          `"${String(s)}" is no outcome of a transition (${[...reachable].join(', ')})`,
        )
    return { when: when as ProcessingCase['when'], outcome: outcome as string[] }
  })
  return {
    ...(v.field ? { field: v.field as string } : {}),
    ...(v.initial ? { initial: v.initial as string } : {}),
    transitions,
    ...(cases.length > 0 ? { cases } : {}),
  }
}

/** The statuses a sent body's life is fixed to by the first case it matches; `undefined`: drawn. */
export function forcedOutcomes(
  spec: ProcessingSpec,
  sent: unknown,
): ReadonlySet<string> | undefined {
  const valueAt = (path: string): unknown =>
    path
      .split('.')
      .reduce<unknown>(
        (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
        sent,
      )
  const hit = spec.cases?.find((c) =>
    Object.entries(c.when).every(([path, want]) => valueAt(path) === want),
  )
  return hit && new Set(hit.outcome)
}

/**
 * The default processing of a resource with a status enum: each value in the order the contract
 * lists it, {@link DEFAULT_STEP_MS} apart, leaving out the statuses that an action leads to
 * (a cancellation is the client's doing, not the processing's).
 */
export function walkInOrder(
  statuses: readonly string[],
  actionTargets: ReadonlySet<string>,
): ProcessingSpec {
  const walk = statuses.filter((s) => !actionTargets.has(s))
  return {
    ...(walk[0] !== undefined ? { initial: walk[0] } : {}),
    transitions: walk.slice(0, -1).map((from, i) => ({
      from,
      afterMs: DEFAULT_STEP_MS,
      to: [{ status: walk[i + 1]!, probability: 1 }],
    })),
  }
}

/**
 * The statuses a resource will reach, planned once at creation: from the initial status, each
 * transition after its delay, outcomes drawn with a generator seeded by the sandbox seed and the
 * resource id (the same run twice, the same life). Reading the resource later only looks up the
 * step its client's clock has reached: advancing the clock advances processing, on every replica.
 */
export function planTimeline(
  spec: ProcessingSpec,
  initial: string,
  createdAt: number,
  seed: number,
  resourceId: string,
  forced?: ReadonlySet<string>,
): TimelineStep[] {
  const steps: TimelineStep[] = [{ status: initial, at: createdAt }]
  let current = initial
  let at = createdAt
  for (let n = 0; n < 100; n++) {
    const t = spec.transitions.find((x) => x.from === current)
    if (!t) break
    const draw = deriveSeed(seed, 'processing', resourceId, String(n)) / 0x100000000
    let acc = 0
    const outcome =
      (forced && t.to.find((o) => forced.has(o.status))) ??
      t.to.find((o) => (acc += o.probability) > draw) ??
      t.to[t.to.length - 1]!
    at += t.afterMs
    current = outcome.status
    steps.push({ status: current, at, ...(outcome.set ? { set: outcome.set } : {}) })
  }
  return steps
}

/** Index of the step reached at sandbox time `now` (the first step is reached at creation). */
export function reachedStep(timeline: readonly TimelineStep[], now: number): number {
  let i = 0
  while (i + 1 < timeline.length && timeline[i + 1]!.at <= now) i++
  return i
}
