/**
 * Response header of `GET /__sandbox/report` carrying the verdict, whatever the format. A module of
 * its own: the CLI's `report` command reads it without loading the report's code at every start.
 */
export const VERDICT_HEADER = 'sandbox-verdict'
