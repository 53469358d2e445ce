/**
 * Runs the built `azs-rotate` CLI as a process, the way field engineers and scripts do.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

/** Path of the built CLI (the test command builds it before the tests run). */
export const CLI = path.resolve('dist/cli/azs-rotate.mjs');

/** What one CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The variables a CLI run keeps from the test process: fixtures and the run's throw-away data folder. */
// AZS_PWSH: the PowerShell the test run found, for rehearsals (not a secret).
const KEPT_AZS_VARIABLES = ['AZS_FIXTURES_MANIFEST', 'AZS_DATA_DIR', 'AZS_PWSH'];

/** Runs the CLI with `args`; `env` adds to a clean environment (no inherited AZS_* secrets). */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], { env: { ...cleanEnvironment(), ...env }, encoding: 'utf8', input: input ?? '', timeout: 60_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs the CLI like `runCli` without blocking this process, with `NO_COLOR` set.
 *
 * For tests whose server (a TLS bench, say) answers from this same event loop.
 */
export function runCliAsync(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...cleanEnvironment(), NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function cleanEnvironment(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AZS_') || KEPT_AZS_VARIABLES.includes(k)));
}

/**
 * Why the CLI cannot be run as `nobody` here, or null when it can.
 *
 * Root reads any file, so permission problems are proven by dropping to `nobody` with `setpriv`. That needs
 * root, util-linux, and a checkout `nobody` may enter (a clone inside a private 0700 folder is not).
 */
export function nobodyCannotRunCli(): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return 'not running as root on Linux';
  const probe = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, '--version'], { encoding: 'utf8' });
  if (probe.error) return `setpriv is not available (${probe.error.message})`;
  if (probe.status !== 0) return `nobody cannot run ${CLI} (is the checkout inside a folder only root may enter?)`;
  return null;
}

/** Runs the CLI as `nobody` (uid and gid 65534, no groups), with `env` added to a clean environment. */
export function runCliAsNobody(args: string[], env: Record<string, string> = {}): CliRun {
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args], {
    encoding: 'utf8',
    env: { ...cleanEnvironment(), HOME: '/tmp', ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
