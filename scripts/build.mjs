// Bundles the Node-side entry points (CLI, validation worker, Electron main and preload) with esbuild.
// Runs on `npm ci` (prepare), so `npx azs-rotate` works straight after install.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  define: { __APP_VERSION__: JSON.stringify(version) },
  // Native and heavy runtime dependencies stay in node_modules; the app bundle ships them unpacked.
  packages: 'external',
};

const esmBanner = {
  js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
};

// commander loads node:child_process (and with it net and dgram) for executable subcommands, which this CLI
// has none of: a stand-in that loads the module at its first use spares every CLI start those modules.
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: "let loaded; module.exports = new Proxy({}, { get: (_, key) => (loaded ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

const tasks = [
  build({
    ...common,
    format: 'esm',
    entryPoints: {
      'azs-rotate': 'electron/cli/bin.ts',
      'pfx-worker': 'electron/services/certificates/pfx-worker.ts',
      // The certificate service as a library, for the benchmark (same bundle layout as the CLI's).
      engine: 'electron/services/certificates/index.ts',
    },
    // A CLI process starts for every command: its pure-JavaScript dependencies are bundled, which spares it
    // Node's package resolution and CommonJS export detection at each start (about half of its start-up
    // time). Only the native SQLite binding stays in node_modules.
    packages: undefined,
    external: ['better-sqlite3'],
    plugins: [lazyChildProcessForCommander],
    outdir: 'dist/cli',
    outExtension: { '.js': '.mjs' },
    // Code behind dynamic imports (the SQLite store, zod) loads only when a command needs it.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: '#!/usr/bin/env node\n' + esmBanner.js },
  }),
];
if (existsSync('electron/main/main.ts')) {
  tasks.push(
    build({
      ...common,
      format: 'cjs',
      entryPoints: { main: 'electron/main/main.ts' },
      outdir: 'dist/electron',
      outExtension: { '.js': '.cjs' },
      external: ['electron'],
      // worker-pool.ts checks __filename first in CommonJS; its import.meta fallback is for ESM bundles.
      logOverride: { 'empty-import-meta': 'silent' },
    }),
    build({
      ...common,
      // Self-contained: in the packaged app the worker runs from app.asar.unpacked, where the
      // dependencies inside app.asar are out of reach.
      packages: undefined,
      format: 'esm',
      entryPoints: { 'pfx-worker': 'electron/services/certificates/pfx-worker.ts' },
      outdir: 'dist/electron',
      outExtension: { '.js': '.mjs' },
      banner: esmBanner,
    }),
  );
}
if (existsSync('electron/preload/preload.ts')) {
  // A sandboxed preload can only require 'electron' and a few built-ins: everything else is inlined.
  tasks.push(
    build({
      ...common,
      packages: undefined,
      format: 'cjs',
      entryPoints: { preload: 'electron/preload/preload.ts' },
      outdir: 'dist/electron',
      outExtension: { '.js': '.cjs' },
      external: ['electron'],
    }),
  );
}
// The CLI's top-level help, printed once by the command tree just built: `bin.ts` serves it to a pipe without
// loading the tree. The old copy goes first, so this run prints commander's help, not the previous build's.
const HELP_FILE = 'dist/cli/azs-rotate-help.txt';
rmSync(HELP_FILE, { force: true });
await Promise.all(tasks);
chmodSync('dist/cli/azs-rotate.mjs', 0o755);
const helpEnv = { ...process.env, NO_COLOR: '1' };
delete helpEnv.FORCE_COLOR;
const printed = spawnSync(process.execPath, ['dist/cli/azs-rotate.mjs', '--help'], { encoding: 'utf8', env: helpEnv, stdio: ['ignore', 'pipe', 'pipe'] });
if (printed.status !== 0 || !printed.stdout.startsWith('Usage: azs-rotate')) {
  throw new Error(`azs-rotate --help failed after the build (exit ${printed.status}): ${printed.stderr}`);
}
writeFileSync(HELP_FILE, printed.stdout);
