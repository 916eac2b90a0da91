import type { Sandbox } from '../create-sandbox.js'

/** Prints what a user needs to start: URL, admin token, and the curl lines of a first call. */
export function printBanner(sandbox: Sandbox, url: string): void {
  const ctx = sandbox.context
  const lines = [
    `sandbox-twin listening on ${url}`,
    `  contract:    ${ctx.contract.title} ${ctx.contract.version} (${ctx.contract.operations.length} operations) from ${ctx.contract.file}`,
    `  state:       ${ctx.options.state}`,
    `  seed:        ${ctx.options.seed}`,
    `  admin token: ${sandbox.adminToken}`,
    `  health:      curl ${url}/__sandbox/health`,
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}
