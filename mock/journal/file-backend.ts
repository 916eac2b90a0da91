import { createReadStream } from 'node:fs'
import { mkdir, open, readdir, stat, unlink, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import {
  matchesFilter,
  mayBeClients,
  type JournalBackend,
  type JournalFilter,
  type JournalPage,
} from './journal-backend.js'
import type { JournalEntry } from './journal-entry.js'

/** Options of {@link createFileJournalBackend}. */
export interface FileJournalOptions {
  /** Folder of the JSONL files (created when missing). */
  dir: string
  /** Size from which the current file is closed and a new one started, bytes. */
  rotateBytes: number
}

const NAME = /^journal-(\d{6,})\.jsonl$/
/** Bytes read at a time when a file is read from its end. */
const BACKWARD_CHUNK = 64 * 1024
const fileName = (seq: number): string => `journal-${String(seq).padStart(6, '0')}.jsonl`

/**
 * The journal of a sandbox whose state is a file: JSON Lines files `journal-000001.jsonl`,
 * `journal-000002.jsonl`... in one folder. Entries are appended, never rewritten; the current file
 * rotates once it reaches `rotateBytes`; retention deletes whole files. A cursor is
 * `<file number>:<byte offset>`, stable because files only grow and are removed whole.
 */
export async function createFileJournalBackend(
  options: FileJournalOptions,
): Promise<JournalBackend> {
  const { dir, rotateBytes } = options
  await mkdir(dir, { recursive: true })
  const existing = await listFiles(dir)
  let seq = existing.at(-1) ?? 1
  let handle: FileHandle = await open(join(dir, fileName(seq)), 'a+')
  let size = (await handle.stat()).size
  if (size > 0 && !(await endsWithNewline(handle, size))) {
    // A crash cut the last line short: end it, so the next entry starts on a line of its own.
    await handle.write('\n')
    size++
  }
  if (size >= rotateBytes) await rotate()

  async function rotate(): Promise<void> {
    await handle.close()
    seq++
    handle = await open(join(dir, fileName(seq)), 'a+')
    size = 0
  }

  /** Entries of one file from a byte offset, with the offset just past each one. */
  async function* readFile(fileSeq: number, start: number): AsyncGenerator<[number, JournalEntry]> {
    // The current file is read only up to what is fully written, never a line still being appended.
    const end = fileSeq === seq ? size : Infinity
    if (start >= end) return
    const input = createReadStream(join(dir, fileName(fileSeq)), {
      start,
      ...(end !== Infinity ? { end: end - 1 } : {}),
    })
    let offset = start
    try {
      // node:readline is loaded by the first read of the journal, not at start-up.
      const { createInterface } = process.getBuiltinModule('node:readline')
      for await (const line of createInterface({ input, crlfDelay: Infinity })) {
        offset += Buffer.byteLength(line) + 1
        if (!line) continue
        try {
          yield [offset, JSON.parse(line) as JournalEntry]
        } catch {
          // A line cut short by a crash: skipped, the rest of the file is still read.
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err // pruned meanwhile: nothing left
    }
  }

  /** The lines of one file, last first, read backwards in chunks (only as far as the reader goes). */
  async function* linesBackward(fileSeq: number): AsyncGenerator<string> {
    let file: FileHandle
    try {
      file = await open(join(dir, fileName(fileSeq)), 'r')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return // pruned meanwhile
      throw err
    }
    try {
      // The current file is read only up to what is fully written.
      let pos = fileSeq === seq ? size : (await file.stat()).size
      let rest = Buffer.alloc(0)
      while (pos > 0) {
        const length = Math.min(BACKWARD_CHUNK, pos)
        pos -= length
        const chunk = Buffer.allocUnsafe(length + rest.length)
        await file.read(chunk, 0, length, pos)
        rest.copy(chunk, length)
        let end = chunk.length
        for (let i = end - 1; i >= 0; i--) {
          if (chunk[i] !== 0x0a) continue
          if (end > i + 1) yield chunk.toString('utf8', i + 1, end)
          end = i
        }
        rest = chunk.subarray(0, end)
      }
      if (rest.length > 0) yield rest.toString('utf8')
    } finally {
      await file.close()
    }
  }

  async function* readFrom(cursor: Cursor): AsyncGenerator<[Cursor, JournalEntry]> {
    for (const fileSeq of await listFiles(dir)) {
      if (fileSeq < cursor.file) continue
      const start = fileSeq === cursor.file ? cursor.offset : 0
      for await (const [offset, entry] of readFile(fileSeq, start))
        yield [{ file: fileSeq, offset }, entry]
    }
  }

  return {
    kind: 'file',
    append: async (batch) => {
      if (batch.length === 0) return
      // The batch is JSON lines already, each with its newline: written as it is.
      await handle.write(batch.bytes)
      size += batch.bytes.length
      if (size >= rotateBytes) await rotate()
    },
    query: async (filter, limit, cursor) => {
      const page: JournalPage = { entries: [] }
      let position = parseCursor(cursor)
      for await (const [after, entry] of readFrom(position)) {
        if (matchesFilter(entry, filter)) {
          if (page.entries.length === limit) {
            page.next = `${position.file}:${position.offset}`
            break
          }
          page.entries.push(entry)
        }
        position = after
      }
      return page
    },
    stream: (filter: JournalFilter) =>
      (async function* () {
        for await (const [, entry] of readFrom({ file: 0, offset: 0 }))
          if (matchesFilter(entry, filter)) yield entry
      })(),
    latest: async (filter, limit, after) => {
      const out: JournalEntry[] = []
      const files = (await listFiles(dir)).reverse()
      scan: for (const fileSeq of files) {
        for await (const line of linesBackward(fileSeq)) {
          // Lines open with their id (`{"id":"...",`): read without parsing.
          const close = line.startsWith('{"id":"') ? line.indexOf('"', 7) : -1
          const id = close > 7 ? line.slice(7, close) : undefined
          if (after !== undefined && id !== undefined && id <= after) break scan
          if (!mayBeClients(line, filter)) continue
          let entry: JournalEntry
          try {
            entry = JSON.parse(line) as JournalEntry
          } catch {
            continue // a line cut short by a crash
          }
          if (after !== undefined && entry.id <= after) break scan
          if (!matchesFilter(entry, filter)) continue
          out.push(entry)
          if (out.length === limit) break scan
        }
      }
      return out
    },
    prune: async (beforeMs) => {
      for (const fileSeq of await listFiles(dir)) {
        if (fileSeq === seq) continue
        const path = join(dir, fileName(fileSeq))
        // A file's last change is its newest entry's writing: older than the cut, all of it is.
        if ((await stat(path)).mtimeMs < beforeMs) await unlink(path).catch(() => undefined)
      }
    },
    close: async () => {
      await handle.close()
    },
  }
}

interface Cursor {
  file: number
  offset: number
}

function parseCursor(cursor: string | undefined): Cursor {
  const m = cursor === undefined ? null : /^(\d+):(\d+)$/.exec(cursor)
  return m ? { file: Number(m[1]), offset: Number(m[2]) } : { file: 0, offset: 0 }
}

async function listFiles(dir: string): Promise<number[]> {
  const names = await readdir(dir)
  return names
    .map((n) => NAME.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b)
}

async function endsWithNewline(handle: FileHandle, size: number): Promise<boolean> {
  const last = Buffer.alloc(1)
  // Opened 'a+': writes always append, positional reads still work.
  await handle.read(last, 0, 1, size - 1)
  return last[0] === 0x0a
}
