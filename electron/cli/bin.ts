/**
 * The `azs-rotate` executable (bundled to `dist/cli/azs-rotate.mjs`).
 *
 * Answers `--version` (and, on a pipe, `--help`) without loading anything else and loads the command tree only for real work, so a
 * script calling the CLI many times pays Node's own start-up and little more.
 */
import { readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';

declare const __APP_VERSION__: string | undefined;

/** Commands that open PFX files, whose key derivation is worth warming up while the rest loads. */
const PFX_COMMANDS = new Set(['validate', 'inspect', 'place', 'pfx']);

/**
 * The top-level help as the command tree printed it when this bundle was built (`scripts/build.mjs` writes it
 * beside the bundle), or null where there is none (running from the sources).
 *
 * Only for a pipe: commander wraps help at 80 columns there, as it did at build time, while on a terminal it
 * wraps at the terminal's width.
 */
function builtHelp(): string | null {
  if (process.stdout.isTTY) return null;
  try {
    return readFileSync(new URL('./azs-rotate-help.txt', import.meta.url), 'utf8');
  } catch {
    return null;
  }
}

const argv = process.argv.slice(2);
const help = argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h') ? builtHelp() : null;
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(`${typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev'}\n`);
} else if (help !== null) {
  // A script asking for usage pays Node's start-up only, not the command tree's.
  process.stdout.write(help);
} else {
  // Node 22 and later keep compiled code between runs (in the temporary folder); Node 20 has no such cache
  // for ES modules, and a start-up snapshot needs a flag on Node's own command line.
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  // V8 optimizes the WebAssembly KDF on a background thread while the command tree and engine load.
  if (PFX_COMMANDS.has(argv[0] ?? '') && !argv.includes('--help')) (await import('../services/certificates/pkcs12-kdf')).warmUpKdf();
  const { runAsProcess } = await import('./main');
  runAsProcess(argv);
}
