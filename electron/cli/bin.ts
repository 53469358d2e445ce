/**
 * The `azs-rotate` executable (bundled to `dist/cli/azs-rotate.mjs`).
 *
 * Answers `--version` without loading anything else and loads the command tree only for real work, so a
 * script calling the CLI many times pays Node's own start-up and little more.
 */
import * as nodeModule from 'node:module';

declare const __APP_VERSION__: string | undefined;

/** Commands that open PFX files, whose key derivation is worth warming up while the rest loads. */
const PFX_COMMANDS = new Set(['validate', 'inspect', 'place', 'pfx']);

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(`${typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev'}\n`);
} else {
  // Node 22 and later keep compiled code between runs (in the temporary folder); Node 20 has no such cache
  // for ES modules, and a start-up snapshot needs a flag on Node's own command line.
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  // V8 optimizes the WebAssembly KDF on a background thread while the command tree and engine load.
  if (PFX_COMMANDS.has(argv[0] ?? '') && !argv.includes('--help')) (await import('../services/certificates/pkcs12-kdf')).warmUpKdf();
  const { runAsProcess } = await import('./main');
  runAsProcess(argv);
}
