import { cite, decide, count } from './evidence.js'
import type { Call, Check, Evidence } from './report-types.js'

/** Calls tolerated during one ban, the first included: enough to notice it. */
export const BAN_ATTEMPTS = 3

/** Stops calling when banned: a few attempts at most, then silence until the ban ends. */
export const banCheck: Check = {
  id: 'ban',
  title: 'stops calling when banned',
  rule:
    'A ban starts at the first call the sandbox held without answer because the client is banned, and lasts until the ' +
    `ban's end (else until a call is answered again). At most ${BAN_ATTEMPTS} calls, the first included, may arrive ` +
    'during it. Fails on any further call; not exercised when no call was held for a ban.',
  judge({ calls }) {
    const episodes: Call[][] = []
    let open: { calls: Call[]; until: number } | undefined
    for (const c of calls) {
      if (open && (c.t >= open.until || !c.entry.banned)) open = undefined
      if (!c.entry.banned) continue
      if (!open) {
        const until = c.entry.banUntil ? Date.parse(c.entry.banUntil) : Infinity
        open = { calls: [], until }
        episodes.push(open.calls)
      }
      open.calls.push(c)
    }
    const failures: Evidence[] = []
    const passes: Evidence[] = []
    for (const episode of episodes) {
      const first = episode[0]!.entry
      const until = first.banUntil ? ` until ${first.banUntil}` : ''
      if (episode.length <= BAN_ATTEMPTS) {
        passes.push(cite(first, `banned${until}; ${count(episode.length, 'call')} during the ban`))
        continue
      }
      for (const c of episode.slice(BAN_ATTEMPTS)) {
        failures.push(
          cite(
            c.entry,
            `call ${episode.indexOf(c) + 1} during a ban${until}: stop after ${BAN_ATTEMPTS}`,
          ),
        )
      }
    }
    return decide({
      exercised: episodes.length > 0,
      failures,
      passes,
      pass: `Fell silent within ${BAN_ATTEMPTS} calls in each of ${count(episodes.length, 'ban')}.`,
      fail: `Kept calling while banned: ${count(failures.length, 'call')} past the ${BAN_ATTEMPTS} tolerated.`,
      none: 'The client was never banned.',
    })
  },
}
