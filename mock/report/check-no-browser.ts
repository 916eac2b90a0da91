import { cite, count, decide } from './evidence.js'
import type { Check, Evidence } from './report-types.js'

/** Never calls from a browser: no `Origin` header on API calls or token requests. */
export const noBrowserCheck: Check = {
  id: 'no-browser',
  title: 'never calls from a browser (no Origin header)',
  rule:
    'No API call and no token request carries an Origin header (a token used from a browser front end is a leaked ' +
    'token). Fails on any that does; not exercised when the client made no call and fetched no token.',
  judge({ calls, tokens }) {
    const entries = [...tokens, ...calls.map((c) => c.entry)]
    const failures: Evidence[] = entries
      .filter((e) => e.origin !== undefined)
      .map((e) =>
        cite(
          e,
          `${e.kind === 'token' ? 'token request' : 'call'} from a browser: Origin ${e.origin}`,
        ),
      )
    return decide({
      exercised: entries.length > 0,
      failures,
      passes: entries[0]
        ? [cite(entries[0], `none of ${count(entries.length, 'request')} carried Origin`)]
        : [],
      pass: `None of ${count(entries.length, 'request')} carried an Origin header.`,
      fail: `${count(failures.length, 'request')} carried an Origin header.`,
      none: 'The client made no call and fetched no token.',
    })
  },
}
