import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import {
  chmod,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  unlink,
  type FileHandle,
} from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Adapter } from 'lowdb'
import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'

/**
 * Files of the embedded store, beside each other in the state folder (created `0700`, files `0600`:
 * they hold client records and private signing keys):
 * - `state.json`: the snapshot, in lowdb's JSON format, naming the first log that follows it;
 * - `state.json.<n>.log`: append-only logs of changes since, one JSON line each, `fsync`ed before the
 *   change is acknowledged;
 * - `state.json.lock`: the pid of the sandbox that owns the folder.
 */

/** Mode of the state folder and of every state file. */
export const DIR_MODE = 0o700
export const FILE_MODE = 0o600

/** The path of log `gen` of a snapshot file. */
export const logPath = (file: string, gen: number): string => `${file}.${gen}.log`

/** Generations of the logs beside a snapshot file, ascending. */
export async function listLogs(file: string): Promise<number[]> {
  const prefix = `${basename(file)}.`
  const gens: number[] = []
  for (const name of await readdir(dirname(file))) {
    if (!name.startsWith(prefix) || !name.endsWith('.log')) continue
    const n = Number(name.slice(prefix.length, -'.log'.length))
    if (Number.isSafeInteger(n) && n >= 0) gens.push(n)
  }
  return gens.sort((a, b) => a - b)
}

/** Creates the state folder `0700` when missing; an existing folder keeps its mode. */
export async function makeStateFolder(file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: DIR_MODE })
}

/** `fsync` of a folder: a renamed or created file's name is on disk too. */
export async function syncFolder(dir: string): Promise<void> {
  let fh: FileHandle | undefined
  try {
    fh = await open(dir, 'r')
    await fh.sync()
  } catch {
    // Some file systems refuse to sync a folder; the file's own data is synced already.
  } finally {
    await fh?.close()
  }
}

/**
 * A lowdb adapter that writes durably: a temporary file created `0600`, `fsync`ed, renamed over the
 * snapshot, then the folder synced. The data is serialised when `write` is called, before any wait.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(private readonly file: string) {}

  async read(): Promise<T | null> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
    return JSON.parse(text) as T
  }

  write(data: T): Promise<void> {
    const text = JSON.stringify(data)
    return this.writeText(text)
  }

  private async writeText(text: string): Promise<void> {
    const tmp = join(dirname(this.file), `.${basename(this.file)}.tmp`)
    const fh = await open(tmp, 'w', FILE_MODE)
    try {
      await fh.writeFile(text, 'utf8')
      await fh.datasync()
    } finally {
      await fh.close()
    }
    await chmod(tmp, FILE_MODE)
    await rename(tmp, this.file)
    await syncFolder(dirname(this.file))
  }
}

/** Removes logs older than `gen` (their changes are in the snapshot). */
export async function dropLogsBefore(file: string, gen: number): Promise<void> {
  for (const g of await listLogs(file)) if (g < gen) await unlink(logPath(file, g)).catch(() => {})
}

/**
 * Takes the state folder for this process: `state.json.lock` holds the owner's pid, created
 * exclusively. A lock left by a process that no longer runs is taken over. Returns its release.
 */
export function lockStateFolder(file: string): () => void {
  const lock = `${file}.lock`
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx', FILE_MODE)
      writeSync(fd, `${process.pid}\n`)
      closeSync(fd)
      let released = false
      const release = (): void => {
        if (released) return
        released = true
        process.removeListener('exit', release)
        try {
          if (readFileSync(lock, 'utf8').trim() === String(process.pid)) unlinkSync(lock)
        } catch {
          // Already gone.
        }
      }
      process.once('exit', release)
      return release
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const holder = Number(readFileSync(lock, 'utf8').trim())
    if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && running(holder)) {
      throw new SandboxConfigError(
        SANDBOX_ERRORS.BAD_STATE,
        `state folder ${dirname(file)} is in use by another sandbox (pid ${holder}, ${lock}). Stop it, or give this one another --state.`,
        { file },
      )
    }
    // Left by a process that is gone (killed, crashed): take it over.
    try {
      unlinkSync(lock)
    } catch {
      // Another starter took it over first: the next attempt says who holds it.
    }
  }
  throw new SandboxConfigError(
    SANDBOX_ERRORS.BAD_STATE,
    `state folder ${dirname(file)}: cannot take its lock ${lock}. Remove it if no sandbox runs on this folder.`,
    { file },
  )
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
