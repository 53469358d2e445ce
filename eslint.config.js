// Lint rules, including the layer boundaries of docs/architecture: shared/ imports no Node, DOM or
// electron; renderer/ imports no Node or electron; only electron/ does I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodeImportBan = {
  paths: [
    ...nodeBuiltins.map((name) => ({ name, message: 'This layer must not use Node built-ins: move I/O to electron/services.' })),
    { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' },
    { name: 'better-sqlite3', message: 'SQL lives in electron/services/store only.' },
    { name: 'node-forge', message: 'Certificate parsing lives in electron/services/certificates.' },
  ],
  patterns: [
    { group: ['**/electron/**', '../electron/*', '../../electron/*'], message: 'Import electron/ code only from electron/.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', { ...nodeImportBan, patterns: [...nodeImportBan.patterns, { group: ['**/renderer/**'], message: 'shared/ imports nothing of the other layers.' }] }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', nodeImportBan],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
);
