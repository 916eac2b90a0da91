import { setFlagsFromString } from 'node:v8'

/**
 * V8 flags the CLI sets for itself (never `createSandbox`, which runs inside other people's
 * processes). The sandbox's live heap is small (about 25 MB on the real contract) but under load V8
 * lets garbage promoted from short requests pile up before a full collection, the more so on a
 * machine with much memory: growing the old generation by 10 % over the live set keeps it close to
 * the live set. The young generation stays at its first size (1 MiB semi-spaces) instead of growing
 * to 16 MiB ones: a request's garbage dies young either way, and the resident set under load is
 * 30-40 MB smaller at the same CPU per request (`npm run bench`).
 *
 * Scavenges of so small a young generation are short: done by the main thread alone
 * (`--no-parallel-scavenge`), they cost less than handing parts to helper threads and waiting for
 * them, which on a machine of few cores also take a core from the clients (`node bench/flags.mjs`:
 * CPU per request 0.81–0.90 with all features on, peak RSS and p99 at 2,000 req/s unchanged).
 *
 * Only flags that V8 reads while running can be set from here: the heap's limits (such as
 * `--max-semi-space-size`) are fixed when the process starts, so the young generation is held by
 * its growth factor instead. Flags given by the user (`node --max-semi-space-size=...` or
 * `NODE_OPTIONS`) win.
 */
export const HEAP_FLAGS = [
  '--heap-growing-percent=10',
  '--semi-space-growth-factor=1',
  '--no-parallel-scavenge',
]

/** Young-generation flags that, given by the user, leave its size to them. */
const YOUNG_GENERATION = [
  '--max-semi-space-size',
  '--min-semi-space-size',
  '--semi-space-growth-factor',
]

export function tuneHeap(): void {
  const given = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`
  const named = (name: string): boolean =>
    given.includes(name) || given.includes(`--${name.slice(2).replace(/-/g, '_')}`)
  for (const flag of HEAP_FLAGS) {
    const name = flagName(flag)
    const mine = YOUNG_GENERATION.includes(name)
      ? YOUNG_GENERATION
      : [name, `--no-${name.slice(2)}`]
    if (!mine.some(named)) setFlagsFromString(flag)
  }
}

/** A flag's name, its value and a leading `no-` left out: `--no-parallel-scavenge` → `--parallel-scavenge`. */
function flagName(flag: string): string {
  const eq = flag.indexOf('=')
  const name = eq === -1 ? flag : flag.slice(0, eq)
  return name.startsWith('--no-') ? `--${name.slice(5)}` : name
}
