import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', '**/*.wasm.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['bin/**/*.js', 'bench/**', 'test/**', 'src/node/**', 'src/cli/**', 'src/server/**'], languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // The core is pure and isomorphic: no Node built-ins, no I/O, no console.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'https', 'stream'], message: 'src/core must stay isomorphic: no Node modules.' },
        { group: ['../node/*', '../../node/*', '../cli/*', '../../cli/*', '../server/*', '../../server/*'], message: 'Imports go one way: edges depend on core, never the reverse.' },
      ] }],
      'no-console': 'error',
    },
  },
);
