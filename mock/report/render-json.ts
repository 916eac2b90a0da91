import type { Report } from './build-report.js'

/** The verdict as JSON, indented for people and diffs. */
export const renderJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`
