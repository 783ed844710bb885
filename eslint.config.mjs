// Lint rules that keep the architecture visible: the core and the protocol never touch the
// editor API, and webviews reach the rest of the code base only through src/protocol and
// src/shared (dependency-free helpers that run in Node and in the browser alike).
import tseslint from 'typescript-eslint';

const vscodeImport = { name: 'vscode', message: 'Only src/extension may import the vscode API.' };

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.vscode-test/', 'test-results/', 'bench-results/', '.cache/', 'schemas/', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [vscodeImport], patterns: [{ group: ['**/extension/**', '**/extension'], message: 'The core and CLI do not depend on the extension.' }] }],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [vscodeImport],
        patterns: [{ regex: '^(?!zod$|zod/|\\./|\\.\\./protocol/).*', message: 'src/protocol imports only zod and itself.' },
                   { group: ['**/core/**', '**/extension/**', '**/cli/**'], message: 'src/protocol imports only zod and itself.' }],
      }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [vscodeImport],
        patterns: [{ regex: '^(?!\\./).*', message: 'src/shared runs in Node and in browsers: it imports nothing but itself.' }],
      }],
    },
  },
  {
    files: ['webviews/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [vscodeImport],
        patterns: [{ group: ['**/src/core/**', '**/src/extension/**', '**/src/cli/**', '**/src/core', '**/src/extension', '**/src/cli'], message: 'Webviews import only src/protocol, src/shared (and browser packages).' }],
      }],
    },
  },
);
