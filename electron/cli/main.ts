/**
 * `azs-rotate`: the headless door to the Rotation Workbench engine (contract: docs/cli.md).
 *
 * Maps every error to the contract's exit codes with a one-line message on stderr; a stack trace only
 * with `--debug`.
 */
import { Command, CommanderError } from 'commander';
// From its own module: the certificate service's index would load the whole engine for every command.
import { ShareAccessError } from '../services/certificates/share-structure';
import { isAppError } from '../services/errors';
import { registerBackup } from './commands/backup';
import { registerBundle } from './commands/bundle';
import { registerCsr } from './commands/csr';
import { registerInspect } from './commands/inspect';
import { registerLogs } from './commands/logs';
import { registerMakeDirs } from './commands/make-dirs';
import { registerPfx } from './commands/pfx';
import { registerPlace } from './commands/place';
import { registerProbe } from './commands/probe';
import { registerProcedure } from './commands/procedure';
import { registerPepSim } from './commands/pep-sim';
import { registerRotate } from './commands/rotate';
import { registerRuns } from './commands/runs';
import { registerShareTest } from './commands/share-test';
import { registerStamp, rewriteStampVersionFlag } from './commands/stamp';
import { registerValidate } from './commands/validate';
import { addMissingExamples } from './examples';
import { EXIT, UsageError } from './usage-error';

declare const __APP_VERSION__: string | undefined;

/** Builds the command tree (exported for tests of help texts and options). */
export function buildProgram(): Command {
  const program = new Command('azs-rotate')
    .description('Azure Stack Hub secret rotation workbench: prepare and validate certificate shares, run and review rotations through the PEP, search logs and build support bundles.')
    .version(typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev', '--version')
    .option('--debug', 'show stack traces of internal errors')
    .option('--data-dir <dir>', "folder of the app's database (default: the desktop app's data folder)")
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerValidate(program);
  registerInspect(program);
  registerMakeDirs(program);
  registerPlace(program);
  registerShareTest(program);
  registerCsr(program);
  registerPfx(program);
  registerBackup(program);
  registerProbe(program);
  registerProcedure(program);
  registerLogs(program);
  registerBundle(program);
  registerStamp(program);
  registerRotate(program);
  registerRuns(program);
  registerPepSim(program);
  for (const command of program.commands) command.exitOverride();
  addMissingExamples(program);
  program.addHelpText('after', '\nExample:\n  azs-rotate validate /mnt/share/Certificates --region east --fqdn azurestack.contoso.com --identity adfs --password-file pw.txt');
  return program;
}

/** Runs the CLI with argv and returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(rewriteStampVersionFlag(argv), { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit normally; everything else commander rejects is a usage error.
      // Help and version asked for exit normally; help shown because no (sub)command was given is a usage
      // error (commander then exits non-zero and writes the help to stderr).
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      if (error.code === 'commander.help') return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return EXIT.usage;
    }
    if (error instanceof UsageError || error instanceof ShareAccessError) {
      process.stderr.write(`azs-rotate: ${error.message}\n`);
      return EXIT.usage;
    }
    // Services' AppErrors are written for the operator (a storage failure met mid-command: full disk,
    // damaged or read-only database): what is wrong and what to do, on one line.
    if (isAppError(error)) {
      process.stderr.write(`azs-rotate: ${`${error.message}${error.hint ? ` ${error.hint}` : ''}`.replace(/\s*\n\s*/g, ' ')}\n`);
      if (debug) process.stderr.write(`${error.stack}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`azs-rotate: internal error: ${(error as Error).message ?? String(error)}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug) process.stderr.write(`${(error as Error).stack}\n`);
    return EXIT.usage;
  }
}

/**
 * Runs the CLI as the job of this process: exit code set when done, a closed stdout pipe not an error.
 *
 * Called by the executable (`bin.ts`), and when this file is run from sources (`tsx electron/cli/main.ts`).
 */
export function runAsProcess(argv: string[]): void {
  // A closed pipe (`azs-rotate … | head`) is the reader's choice, not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  void run(argv).then((code) => {
    process.exitCode = code;
  });
}

// The bundle's entry is bin.ts, which calls runAsProcess itself.
if (process.argv[1] && /electron[\\/]cli[\\/]main\.ts$/.test(process.argv[1])) runAsProcess(process.argv.slice(2));
