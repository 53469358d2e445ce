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

// Globals one runtime has and the other lacks. shared/ runs in both, so it may use only what both have
// (console, URL, TextEncoder, timers…); the renderer may not reach for Node's own (process, Buffer…).
const browserOnlyGlobals = Object.keys(globals.browser).filter((name) => !(name in globals.node));
const nodeOnlyGlobals = Object.keys(globals.node).filter((name) => !(name in globals.browser));
const restrictedGlobals = (names, message) => names.map((name) => ({ name, message }));
// I/O both runtimes offer: shared/ is pure, so it may not touch the network or storage either.
const ioGlobals = ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'localStorage', 'sessionStorage', 'indexedDB', 'caches', 'navigator'];

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
      'no-restricted-globals': [
        'error',
        ...restrictedGlobals(browserOnlyGlobals, 'shared/ runs in Node too: no DOM or browser globals here.'),
        ...restrictedGlobals(nodeOnlyGlobals, 'shared/ runs in the renderer too: no Node globals here.'),
        ...restrictedGlobals(ioGlobals.filter((name) => !browserOnlyGlobals.includes(name) && !nodeOnlyGlobals.includes(name)), 'shared/ is pure: I/O lives in electron/services.'),
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', nodeImportBan],
      'no-restricted-globals': ['error', ...restrictedGlobals(nodeOnlyGlobals, 'The renderer is sandboxed: no Node globals; ask the main process through window.workbench.')],
    },
  },
);
