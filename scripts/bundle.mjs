// Bundles the CLI into one ES module, dist/bundle/sandbox-twin.mjs: resolving and loading a few hundred
// small modules costs Node about 0.5 s at start-up on this project's machines; one file costs a tenth.
// Dependencies are bundled too; `require` is provided for the CommonJS ones that ask for Node built-ins.
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
