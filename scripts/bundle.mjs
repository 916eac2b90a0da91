// Bundles the CLI into one ES module, dist/bundle/sandbox-twin.mjs: resolving and loading a few hundred
// small modules costs Node about 0.5 s at start-up on this project's machines; one file costs a tenth.
// Dependencies are bundled too; `require` is provided for the CommonJS ones that ask for Node built-ins.
import { cpSync, mkdirSync, rmSync } from 'node:fs'
import { build } from 'esbuild'

await build({
  entryPoints: ['dist/mock/cli/main.js'],
  outfile: 'dist/bundle/sandbox-twin.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  banner: {
    js: "import { createRequire as __sandboxCreateRequire } from 'node:module'; const require = __sandboxCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
})

// The console's design system (DSFR): the few built files it serves, beside the bundle, so that the
// Docker image (which has no node_modules) serves them too. The fonts are left out (see docs/console.md).
const dsfr = 'node_modules/@gouvfr/dsfr/dist'
const assets = 'dist/console-assets/dsfr'
rmSync(assets, { recursive: true, force: true })
mkdirSync(assets, { recursive: true })
for (const file of ['dsfr.min.css', 'dsfr.module.min.js', 'dsfr.nomodule.min.js'])
  cpSync(`${dsfr}/${file}`, `${assets}/${file}`)
cpSync(`${dsfr}/icons`, `${assets}/icons`, { recursive: true })
cpSync('node_modules/@gouvfr/dsfr/LICENSE.md', `${assets}/LICENSE.md`)
