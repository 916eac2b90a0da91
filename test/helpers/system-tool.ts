import { spawnSync } from 'node:child_process'

/**
 * The path of a system program a test needs, or a loud failure that says how to install it
 * (`.ci/run` installs every one of them). A missing tool never makes a test pass silently.
 */
export function requireTool(command: string, debianPackage: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' })
  const path = found.stdout.trim()
  if (found.status !== 0 || !path) {
    throw new Error(
      `${command} is not installed: apt-get install -y ${debianPackage} (or run .ci/run, which does).`,
    )
  }
  return path
}
