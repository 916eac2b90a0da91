import { cite, count, decide, duration } from './evidence.js'
import type { Call, Check, Evidence } from './report-types.js'

/** Calls tolerated during one ban, the first included: enough to notice it. */
export const BAN_ATTEMPTS = 3
/**
 * Time after the first held call within which those attempts must arrive, sandbox ms: three calls
 * with a 5 s timeout, timer resolution and short waits between them. A client without a timeout that
 * reconnects whenever the sandbox drops a held call keeps calling past it, however few its calls.
 */
export const BAN_NOTICE_MS = 30_000

/** Stops calling when banned: a few attempts at most, then silence until the ban ends. */
export const banCheck: Check = {
  id: 'ban',
  title: 'stops calling when banned',
  rule:
    'A ban starts at the first call the sandbox held without answer because the client is banned, and lasts until the ' +
    `ban's end (else until a call is answered again). At most ${BAN_ATTEMPTS} calls, the first included, may arrive ` +
    `during it, all within ${BAN_NOTICE_MS / 1000} s of the first (calls counted by arrival, however long each was held). ` +
    'Fails on any further call; not exercised when no call was held for a ban.',
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
      const since = episode[0]!.t
      const late = episode.filter((c, i) => i >= BAN_ATTEMPTS || c.t - since > BAN_NOTICE_MS)
      if (late.length === 0) {
        passes.push(cite(first, `banned${until}; ${count(episode.length, 'call')} during the ban`))
        continue
      }
      for (const c of late) {
        const n = episode.indexOf(c) + 1
        const why =
          n > BAN_ATTEMPTS
            ? `stop after ${BAN_ATTEMPTS}`
            : `${duration(c.t - since)} after the first held call: stop within ${BAN_NOTICE_MS / 1000} s`
        failures.push(cite(c.entry, `call ${n} during a ban${until}: ${why}`))
      }
    }
    return decide({
      exercised: episodes.length > 0,
      failures,
      passes,
      pass: `Fell silent within ${BAN_ATTEMPTS} calls and ${BAN_NOTICE_MS / 1000} s in each of ${count(episodes.length, 'ban')}.`,
      fail: `Kept calling while banned: ${count(failures.length, 'call')} past the ${BAN_ATTEMPTS} tolerated in the first ${BAN_NOTICE_MS / 1000} s.`,
      none: 'The client was never banned.',
    })
  },
}
