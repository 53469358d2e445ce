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
import { addMissingExamples } from './examples';
import { EXIT, UsageError } from './usage-error';

declare const __APP_VERSION__: string | undefined;

type Registrar = (program: Command) => void;

/**
 * Where each top-level command is defined, in the order `--help` lists them. A run of one command loads
 * only that module and what it imports: defining all of them (their help texts, the procedures' data) cost a
 * small share's one-shot validation a tenth of its time. `csr` also defines `keys`.
 */
const COMMAND_MODULES: readonly (readonly [names: readonly string[], load: () => Promise<Registrar>])[] = [
  [['validate'], async () => (await import('./commands/validate')).registerValidate],
  [['inspect'], async () => (await import('./commands/inspect')).registerInspect],
  [['make-dirs'], async () => (await import('./commands/make-dirs')).registerMakeDirs],
  [['place'], async () => (await import('./commands/place')).registerPlace],
  [['share-test'], async () => (await import('./commands/share-test')).registerShareTest],
  [['csr', 'keys'], async () => (await import('./commands/csr')).registerCsr],
  [['pfx'], async () => (await import('./commands/pfx')).registerPfx],
  [['backup'], async () => (await import('./commands/backup')).registerBackup],
  [['probe'], async () => (await import('./commands/probe')).registerProbe],
  [['procedure'], async () => (await import('./commands/procedure')).registerProcedure],
  [['logs'], async () => (await import('./commands/logs')).registerLogs],
  [['bundle'], async () => (await import('./commands/bundle')).registerBundle],
  [['stamp'], async () => (await import('./commands/stamp')).registerStamp],
  [['rotate'], async () => (await import('./commands/rotate')).registerRotate],
  [['runs'], async () => (await import('./commands/runs')).registerRuns],
  [['pep-sim'], async () => (await import('./commands/pep-sim')).registerPepSim],
];

/** The command named on the line (after the global options), or null when there is none. */
export function commandNameOf(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data-dir') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return null;
}

/**
 * Builds the command tree (exported for tests of help texts and options).
 *
 * With `only`, the name of a top-level command, just that command is defined when it exists: what a run of
 * that command needs. Otherwise (help for the whole CLI, an unknown command) all of them.
 */
export async function buildProgram(only: string | null = null): Promise<Command> {
  const program = new Command('azs-rotate')
    .description('Azure Stack Hub secret rotation workbench: prepare and validate certificate shares, run and review rotations through the PEP, search logs and build support bundles.')
    .version(typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev', '--version')
    .option('--debug', 'show stack traces of internal errors')
    .option('--data-dir <dir>', "folder of the app's database (default: the desktop app's data folder)")
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  const wanted = COMMAND_MODULES.filter(([names]) => only !== null && names.includes(only));
  const registrars = await Promise.all((wanted.length > 0 ? wanted : COMMAND_MODULES).map(([, load]) => load()));
  for (const register of registrars) register(program);
  for (const command of program.commands) command.exitOverride();
  addMissingExamples(program);
  program.addHelpText('after', '\nExample:\n  azs-rotate validate /mnt/share/Certificates --region east --fqdn azurestack.contoso.com --identity adfs --password-file pw.txt');
  return program;
}

/** Runs the CLI with argv and returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const name = commandNameOf(argv);
  const program = await buildProgram(name);
  const debug = argv.includes('--debug');
  try {
    // `stamp add … --version YYMM` means the stamp's version, not the program's (see rewriteStampVersionFlag).
    const args = name === 'stamp' ? (await import('./commands/stamp')).rewriteStampVersionFlag(argv) : argv;
    await program.parseAsync(args, { from: 'user' });
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
