import js from '@eslint/js'
import tseslint from 'typescript-eslint'

// Node's globals, for the plain JavaScript files (bench, config); TypeScript files get them from @types/node.
const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'Buffer',
    'URL',
    'URLSearchParams',
    'fetch',
    'performance',
    'AbortSignal',
  ].map((name) => [name, 'readonly']),
)

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.sandbox/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: nodeGlobals },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
)
