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
  // Layers: the surfaces (admin, console, CLI, the sandbox's assembly) build on the request path and
  // its services, never the other way round; the store, the YAML reader and the error registries build
  // on nothing of the server.
  {
    files: ['mock/**/*.ts'],
    ignores: [
      'mock/admin/**',
      'mock/console/**',
      'mock/cli/**',
      'mock/create-sandbox.ts',
      'mock/express-app.ts',
      'mock/index.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/admin/*',
                '**/console/*',
                '**/cli/*',
                '**/create-sandbox.js',
                './index.js',
                '../index.js',
              ],
              message: 'A lower layer imports a surface: move the shared code down.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'mock/store/**/*.ts',
      'mock/yaml/**/*.ts',
      'mock/errors.ts',
      'mock/api-errors.ts',
      'mock/options.ts',
      'mock/prepared-cache.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*/*', './*/*'],
              message:
                'The store, the YAML reader, options, the start-up cache and error registries import nothing of the server but the error registry.',
            },
          ],
        },
      ],
    },
  },
)
