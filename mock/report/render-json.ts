import { toWire } from '../http/wire.js'
import type { Report } from './build-report.js'

/** The verdict as JSON (field names in snake_case, like the whole admin surface), indented for people and diffs. */
export const renderJson = (report: Report): string => `${JSON.stringify(toWire(report), null, 2)}\n`
