import type { JournalEntry } from './journal-entry.js'
import { writeJournalLine, type JournalLine } from './journal-line.js'

/**
 * Serialised entries on their way to a backend: JSON lines in UTF-8, each ended by `\n`, back to back
 * in one buffer outside the JavaScript heap, with each line's client id beside it. The bytes are the
 * backend's to read until its `append` resolves; the writer reuses the buffer afterwards.
 */
export interface JournalBatch {
  readonly length: number
  /** The lines, each ended by `\n`. */
  readonly bytes: Buffer
  /** Offset of each line's first byte in `bytes`. */
  readonly starts: readonly number[]
  readonly clientIds: ReadonlyArray<string | undefined>
}

/** Line `i` of a batch, without its newline, as text. */
export const lineText = (batch: JournalBatch, i: number): string =>
  batch.bytes.toString('utf8', batch.starts[i], (batch.starts[i + 1] ?? batch.bytes.length) - 1)

/** Byte range `[start, end)` of line `i` of a batch, without its newline. */
export const lineRange = (batch: JournalBatch, i: number): [number, number] => [
  batch.starts[i]!,
  (batch.starts[i + 1] ?? batch.bytes.length) - 1,
]

const FIRST_BYTES = 256 * 1024

/**
 * Collects lines into a batch as they are recorded. Each line is copied at once into the buffer, so the
 * string it came from dies young: nothing waits on the JavaScript heap for the next flush, where it
 * would survive a scavenge or two and be promoted to the old generation, making full collections more
 * frequent. Two buffers take turns (one being filled, one being written); a buffer grows by doubling.
 */
export class JournalBatchBuilder {
  #bytes: Buffer = Buffer.allocUnsafeSlow(FIRST_BYTES)
  #spare: Buffer | undefined
  #used = 0
  #starts: number[] = []
  #clientIds: Array<string | undefined> = []

  get length(): number {
    return this.#starts.length
  }

  add(line: JournalLine): void {
    const { json } = line
    // UTF-8 takes at most 3 bytes per UTF-16 unit, plus the newline.
    const worst = json.length * 3 + 1
    if (this.#used + worst > this.#bytes.length) this.#grow(this.#used + worst)
    this.#starts.push(this.#used)
    this.#clientIds.push(line.clientId)
    this.#used += this.#bytes.write(json, this.#used)
    this.#bytes[this.#used++] = 0x0a
  }

  /** Serialises an entry straight into the buffer: no line text is made on the heap. */
  addEntry(entry: JournalEntry): void {
    const start = this.#used
    this.#used = writeJournalLine(entry, start, this.#room)
    this.#starts.push(start)
    this.#clientIds.push(entry.clientId)
  }

  /** The buffer, with at least `bytes` free after what is used. */
  readonly #room = (bytes: number): Buffer => {
    if (this.#used + bytes > this.#bytes.length) this.#grow(this.#used + bytes)
    return this.#bytes
  }

  /** The lines collected so far, as a batch; the builder starts a new one. */
  take(): JournalBatch {
    const batch: JournalBatch = {
      length: this.#starts.length,
      bytes: this.#bytes.subarray(0, this.#used),
      starts: this.#starts,
      clientIds: this.#clientIds,
    }
    const next = this.#spare
    this.#spare = undefined
    this.#bytes = next ?? Buffer.allocUnsafeSlow(FIRST_BYTES)
    this.#used = 0
    this.#starts = []
    this.#clientIds = []
    return batch
  }

  /** Gives back the buffer of a batch the backend is done with, to be filled again. */
  recycle(batch: JournalBatch): void {
    const whole = Buffer.from(
      batch.bytes.buffer,
      batch.bytes.byteOffset,
      batch.bytes.buffer.byteLength,
    )
    if (whole.length >= FIRST_BYTES && whole.length <= 4 * FIRST_BYTES) this.#spare = whole
  }

  #grow(needed: number): void {
    let size = this.#bytes.length * 2
    while (size < needed) size *= 2
    const bigger = Buffer.allocUnsafeSlow(size)
    this.#bytes.copy(bigger, 0, 0, this.#used)
    this.#bytes = bigger
  }
}

/** A batch of the given entries or lines (tests, tools). */
export function batchOf(items: ReadonlyArray<JournalEntry | JournalLine>): JournalBatch {
  const builder = new JournalBatchBuilder()
  for (const item of items)
    if ('json' in item) builder.add(item as JournalLine)
    else builder.addEntry(item)
  return builder.take()
}
