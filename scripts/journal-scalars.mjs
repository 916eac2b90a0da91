// The serialiser of a journal entry's scalar fields, compiled ahead of time: fast-json-stringify's
// standalone code for the schema `mock/journal/line-schema.ts` gives (read from its compiled module),
// made into an ES module that exports what `mock/journal/scalars-json.ts` exports. The build checks
// that it writes a full entry exactly as the serialiser compiled at run time does.
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import fastJson from 'fast-json-stringify'

const SERIALIZER = "require('fast-json-stringify/lib/serializer')"
const EXPORT = 'module.exports = '

/** ES module source exporting `compileScalarsJson()`, which returns the compiled serialiser. */
export async function journalScalarsSource() {
  const { LINE_SCALARS } = await import(
    pathToFileURL(resolve('dist/mock/journal/line-schema.js')).href
  )
  const standalone = fastJson(LINE_SCALARS, { mode: 'standalone' })
  if (!standalone.includes(SERIALIZER) || !standalone.includes(EXPORT))
    throw new Error(
      'journal-scalars: fast-json-stringify standalone code changed shape; update scripts/journal-scalars.mjs',
    )
  // Checked here, in CommonJS as fast-json-stringify wrote it, against the run-time compiler.
  const module = { exports: undefined }
  new Function('require', 'module', standalone)(createRequire(import.meta.url), module)
  const sample = sampleEntry(LINE_SCALARS.properties)
  if (module.exports(sample) !== fastJson(LINE_SCALARS)(sample))
    throw new Error('journal-scalars: the ahead-compiled serialiser writes an entry differently')
  return [
    "import serializerModule from 'fast-json-stringify/lib/serializer.js'",
    standalone.replace(SERIALIZER, 'serializerModule').replace(EXPORT, 'const scalarsJson = '),
    'export const compileScalarsJson = () => scalarsJson',
  ].join('\n')
}

/** An entry with every scalar field set, strings that need escaping among them. */
function sampleEntry(properties) {
  const entry = {}
  for (const [name, schema] of Object.entries(properties))
    entry[name] =
      schema.type === 'number'
        ? 12.5
        : schema.type === 'boolean'
          ? true
          : schema.type === 'object'
            ? { a: 'x"y\\z\u2028', b: [1, { c: null }] }
            : schema.format === 'unsafe'
              ? `plain-${name}`
              : `"${name}"\n\u00e9\u{1f600}`
  return entry
}
