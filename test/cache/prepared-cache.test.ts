import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import {
  CACHE_DIR,
  isPlainJson,
  preparedKey,
  prunePrepared,
  readPrepared,
  writePrepared,
} from '../../mock/prepared-cache.js'
import { isYamlSyntaxError, readYamlSource } from '../../mock/yaml/yaml-source.js'

/** Waits for a background write to land: polled, with room for a loaded machine's slow disk. */
async function written(key: string): Promise<void> {
  await vi.waitFor(() => expect(existsSync(join(CACHE_DIR, `${key}.json`))).toBe(true), {
    timeout: 20_000,
    interval: 10,
  })
}

// Each test's keys hold a fresh UUID: nothing another run left in the cache folder can answer them.
const fresh = (kind: string): string => preparedKey(kind, randomUUID())

describe('prepared cache', () => {
  it('reads back what was written, in a folder and files only this user can read', async () => {
    const key = fresh('test')
    expect(await readPrepared(key)).toBeUndefined()
    await writePrepared(key, { a: [1, 'two', null], b: { c: true } })
    expect(await readPrepared(key)).toEqual({ a: [1, 'two', null], b: { c: true } })
    expect(statSync(CACHE_DIR).mode & 0o077).toBe(0)
    expect(statSync(join(CACHE_DIR, `${key}.json`)).mode & 0o077).toBe(0)
  })

  it('ignores a file whose content was altered, cut short or written for another key', async () => {
    const key = fresh('test')
    const file = join(CACHE_DIR, `${key}.json`)
    await writePrepared(key, { value: 'original' })
    const text = readFileSync(file, 'utf8')
    writeFileSync(file, text.replace('original', 'poisoned'))
    expect(await readPrepared(key)).toBeUndefined()
    writeFileSync(file, text.slice(0, -3))
    expect(await readPrepared(key)).toBeUndefined()
    const other = fresh('test')
    writeFileSync(join(CACHE_DIR, `${other}.json`), text)
    expect(await readPrepared(other)).toBeUndefined()
    writeFileSync(file, '{not json')
    expect(await readPrepared(key)).toBeUndefined()
  })

  it('removes entries unused for two weeks, and marks an entry it reads as used', async () => {
    const [old, recent, read] = [fresh('test'), fresh('test'), fresh('test')]
    for (const key of [old, recent, read]) await writePrepared(key, { key })
    const file = (key: string) => join(CACHE_DIR, `${key}.json`)
    const daysAgo = (days: number) => (Date.now() - days * 24 * 3600_000) / 1000
    utimesSync(file(old), daysAgo(15), daysAgo(15))
    utimesSync(file(recent), daysAgo(13), daysAgo(13))
    utimesSync(file(read), daysAgo(15), daysAgo(15))
    // Read before the prune: the entry in use is marked as such, in the background.
    expect(await readPrepared(read)).toEqual({ key: read })
    await vi.waitFor(
      () => expect(Date.now() - statSync(file(read)).mtimeMs).toBeLessThan(3600_000),
      { timeout: 20_000, interval: 10 },
    )
    expect(await prunePrepared()).toBeGreaterThanOrEqual(1)
    expect(existsSync(file(old))).toBe(false)
    expect(existsSync(file(recent))).toBe(true)
    expect(await readPrepared(read)).toEqual({ key: read })
  })

  it('keys differ with the kind and with every part', () => {
    expect(preparedKey('a', 'x', 'y')).not.toBe(preparedKey('b', 'x', 'y'))
    expect(preparedKey('a', 'x', 'y')).not.toBe(preparedKey('a', 'xy'))
    expect(preparedKey('a', 'x', 'y')).toBe(preparedKey('a', 'x', 'y'))
    // A file's bytes key what its text keys: a start finds a cached parse without decoding the file.
    const text = 'openapi: 3.0.3\ninfo: { title: Société « Été » ’ 😀 }\n'
    expect(preparedKey('a', 'v1', Buffer.from(text, 'utf8'))).toBe(preparedKey('a', 'v1', text))
    expect(preparedKey('a', 'v1', Buffer.from(text, 'utf8'))).not.toBe(preparedKey('a', 'v2', text))
  })

  it('reads back text beyond ASCII as it was written', async () => {
    const key = fresh('test')
    const value = { title: 'Société « Été » ’ 😀', lines: ['\u2028', 'ü\n'] }
    await writePrepared(key, value)
    expect(await readPrepared(key)).toEqual(value)
  })

  it('tells which values JSON carries unchanged', () => {
    expect(isPlainJson({ a: [1, 'x', null, true], b: { c: -2.5 } })).toBe(true)
    for (const bad of [new Date(0), { a: undefined }, [Number.NaN], new Map(), () => 1])
      expect(isPlainJson(bad)).toBe(false)
  })

  it('reads a YAML data file back from the cache, and parses it again only for a line', async () => {
    const text = `id: ${randomUUID()}\nlist:\n  - a\n  - b: 2\n`
    const first = await readYamlSource(text)
    await written(preparedKey('yaml', 'yaml2-1', text))
    const second = await readYamlSource(text)
    if (isYamlSyntaxError(first) || isYamlSyntaxError(second)) throw new Error('not parsed')
    expect(second.value).toEqual(first.value)
    expect(second.lineOf('/list/1/b')).toBe(4)
  })
})
