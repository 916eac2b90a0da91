import { createRequire } from 'node:module'

type Yaml = typeof import('yaml')
type JsYaml = typeof import('js-yaml')

const load = createRequire(import.meta.url)
let yaml: Yaml | undefined
let jsYaml: JsYaml | undefined

/**
 * The YAML parsers, loaded on first use through Node's synchronous `require`: a start that finds its
 * contract and data files in the start-up cache parses no YAML, and would otherwise compile and run
 * both libraries (about 235 KB of code) for nothing. `yaml` reads the sandbox's data files and writes
 * YAML answers; js-yaml, several times faster on large texts, reads contracts. The bundle
 * (`scripts/bundle.mjs`) replaces this module by one that requires each from a file of its own
 * beside the bundle.
 */
export const yamlLib = (): Yaml => (yaml ??= load('yaml') as Yaml)

/** js-yaml, loaded on first use (see {@link yamlLib}). */
export const jsYamlLib = (): JsYaml => (jsYaml ??= load('js-yaml') as JsYaml)
