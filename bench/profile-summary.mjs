// Summarises a V8 CPU profile (`node --cpu-prof`): where the samples fall, by function (self time and
// inclusive time) and by module (the project's own files, each dependency, Node's internals).
import { readFileSync } from 'node:fs'

/** Where a call frame's code comes from: a project file, a dependency, Node itself, or V8. */
export function moduleOf(url, root) {
  if (!url) return '(v8)'
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0]
  const path = url.replace(/^file:\/\//, '')
  const nm = path.lastIndexOf('/node_modules/')
  if (nm !== -1) {
    const rest = path.slice(nm + 14).split('/')
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
  }
  return root && path.startsWith(root) ? path.slice(root.length + 1) : path
}

/**
 * Reads a profile and returns its totals: `functions` (name, place, self and inclusive ms) and
 * `modules` (self ms), heaviest first; `totalMs` is the sampled time, idle excluded.
 */
export function summariseProfile(file, root) {
  const profile = JSON.parse(readFileSync(file, 'utf8'))
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const key = (n) => {
    const f = n.callFrame
    return `${f.functionName || '(anonymous)'} ${moduleOf(f.url, root)}:${f.lineNumber + 1}`
  }
  const self = new Map()
  const inclusive = new Map()
  const modules = new Map()
  let totalMs = 0
  let idleMs = 0
  const deltas = profile.timeDeltas
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (deltas[i + 1] ?? 0) / 1000
    const node = nodes.get(profile.samples[i])
    if (node.callFrame.functionName === '(idle)') {
      idleMs += ms
      continue
    }
    totalMs += ms
    const k = key(node)
    self.set(k, (self.get(k) ?? 0) + ms)
    const m = moduleOf(node.callFrame.url, root)
    const mod = node.callFrame.url ? m : node.callFrame.functionName
    modules.set(mod, (modules.get(mod) ?? 0) + ms)
    const seen = new Set()
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const kk = key(nodes.get(id))
      if (seen.has(kk)) continue
      seen.add(kk)
      inclusive.set(kk, (inclusive.get(kk) ?? 0) + ms)
    }
  }
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1])
  return {
    totalMs,
    idleMs,
    functions: sorted(self).map(([name, ms]) => ({
      name,
      selfMs: ms,
      inclusiveMs: inclusive.get(name),
    })),
    inclusive: sorted(inclusive).map(([name, ms]) => ({ name, inclusiveMs: ms })),
    modules: sorted(modules).map(([name, ms]) => ({ name, selfMs: ms })),
  }
}

/** Prints the heaviest `top` functions by self time, by inclusive time, and the modules. */
export function printSummary(s, top = 25, out = console.log) {
  const pct = (ms) => `${((ms / s.totalMs) * 100).toFixed(1).padStart(5)} %`
  out(`busy ${Math.round(s.totalMs)} ms sampled (idle ${Math.round(s.idleMs)} ms)`)
  out(`\nby module, self time:`)
  for (const m of s.modules.slice(0, top)) out(`  ${pct(m.selfMs)}  ${m.name}`)
  out(`\nby function, self time:`)
  for (const f of s.functions.slice(0, top)) out(`  ${pct(f.selfMs)}  ${f.name}`)
  out(`\nby function, inclusive time (project code):`)
  for (const f of s.inclusive.filter((f) => / mock\//.test(f.name)).slice(0, top))
    out(`  ${pct(f.inclusiveMs)}  ${f.name}`)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, top] = process.argv.slice(2)
  printSummary(summariseProfile(file, process.cwd() + '/dist'), Number(top ?? 25))
}
