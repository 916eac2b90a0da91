import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'

/** Name of the file, beside the state file, that keeps a generated admin token across restarts. */
export const ADMIN_TOKEN_FILE = 'admin-token'

/** Where a sandbox whose state lives in `stateFile` keeps its generated admin token. */
export const adminTokenFileFor = (stateFile: string): string =>
  join(dirname(stateFile), ADMIN_TOKEN_FILE)

/**
 * The admin token kept beside a file state: read from `file` when it exists, else generated (32
 * random bytes, hex) and written there, readable by its owner only (mode 0600). The token is the
 * same at every restart, so `report` and `certify` lines written once keep working. A file readable
 * by others is narrowed to 0600; one that holds no usable token stops start-up with what to do.
 */
export async function keptAdminToken(file: string): Promise<string> {
  let text: string | undefined
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw unusable(file, err)
  }
  if (text !== undefined) {
    const token = text.trim()
    if (token.length < 16 || /\s/.test(token))
      throw new SandboxConfigError(
        SANDBOX_ERRORS.BAD_OPTION,
        `admin token file ${file} holds no usable token (16 characters or more, no space): delete it to generate a new one, or pass --admin-token.`,
        { file },
      )
    if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600)
    return token
  }
  const token = randomBytes(32).toString('hex')
  try {
    await mkdir(dirname(file), { recursive: true })
    // `wx`: of two sandboxes starting at once on the same state, the second reads the first's token.
    await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return keptAdminToken(file)
    throw unusable(file, err)
  }
  return token
}

function unusable(file: string, cause: unknown): SandboxConfigError {
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new SandboxConfigError(
    SANDBOX_ERRORS.BAD_OPTION,
    `admin token file ${file} cannot be used: ${reason}. Fix its permissions, or pass --admin-token.`,
    { file, cause },
  )
}
