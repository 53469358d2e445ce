/**
 * Connecting to an SMB share with a credential on Windows: `net use` with the password on stdin.
 *
 * `net use \\server\share * /user:NAME` asks for the password, and reads it from standard input when that
 * is a pipe; the password therefore never appears on a command line, in a process listing or in a log.
 * `/persistent:no` keeps Windows from remembering the connection, and nothing is saved (`/savecred` is
 * never passed): the credential lives for the one test and is then disconnected.
 */
import { spawn } from 'node:child_process';
import { childEnvironment } from '../child-environment';
import { AppError } from '../errors';

/** A command to run: program, arguments, and what to write to its stdin. */
export interface CommandSpec {
  readonly command: string;
  readonly args: readonly string[];
  /** Written to stdin, then stdin is closed; null writes nothing. */
  readonly stdin: string | null;
}

/** What a command printed and returned. */
export interface CommandOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command; tests replace it with a recorder. */
export type CommandRunner = (spec: CommandSpec) => Promise<CommandOutcome>;

/** True for a UNC path such as `\\server\share\folder`. */
export function isUncPath(value: string): boolean {
  return /^\\\\[^\\/]+[\\/][^\\/]+/.test(value);
}

/** The `\\server\share` part of a UNC path (what `net use` connects to). */
export function uncShareRoot(value: string): string {
  const match = /^\\\\([^\\/]+)[\\/]([^\\/]+)/.exec(value);
  if (!match) throw new AppError('invalid-request', `${value} is not a UNC path (\\\\server\\share\\…).`, 'Give the share as \\\\server\\share\\folder.');
  return `\\\\${match[1]}\\${match[2]}`;
}

function refuseControl(value: string, what: string): void {
  // No shell is involved (arguments go to the process as a list), but a quote or a line break in a user
  // name or share path is a typo at best and would change what net.exe reads on stdin at worst.
  if (/["\r\n\0]/.test(value)) throw new AppError('invalid-request', `The ${what} contains a quote or a line break.`, `Check the ${what}.`);
}

/**
 * The `net use` command that connects `share` as `user`, with `password` on stdin.
 *
 * The password is only ever in the returned `stdin`, never in `args`.
 */
export function buildNetUseConnect(share: string, user: string, password: string): CommandSpec {
  refuseControl(share, 'share path');
  refuseControl(user, 'share user name');
  if (/[\r\n]/.test(password)) throw new AppError('invalid-request', 'The share password contains a line break.', 'Put the password alone on the first line of the file.');
  return { command: 'net', args: ['use', uncShareRoot(share), '*', `/user:${user}`, '/persistent:no'], stdin: `${password}\r\n` };
}

/** The `net use` command that drops the connection made by {@link buildNetUseConnect}. */
export function buildNetUseDisconnect(share: string): CommandSpec {
  refuseControl(share, 'share path');
  return { command: 'net', args: ['use', uncShareRoot(share), '/delete', '/y'], stdin: null };
}

/** The share-test problem a `net use` failure stands for, from its "System error N" line. */
export function netUseProblem(outcome: CommandOutcome): { code: 'not-found' | 'access-denied' | 'other'; message: string } {
  const text = `${outcome.stdout}\n${outcome.stderr}`;
  const number = /System error (\d+)/i.exec(text)?.[1] ?? /error (\d+)/i.exec(text)?.[1] ?? null;
  switch (number) {
    case '53':
    case '67':
    case '1231':
      return { code: 'not-found', message: `The share cannot be reached (net use: system error ${number}, network path or name not found). Check the server name, DNS and that SMB (port 445) is open.` };
    case '5':
      return { code: 'access-denied', message: 'The share refused the connection (net use: system error 5, access denied). Check that the account has access to the share.' };
    case '86':
    case '1326':
      return { code: 'access-denied', message: `The user name or password was not accepted by the share (net use: system error ${number}). Check the share credential.` };
    case '1219':
      return {
        code: 'other',
        message: 'Windows already has a connection to this server with other credentials (net use: system error 1219). Disconnect it (net use \\\\server\\share /delete) and test again.',
      };
    default:
      return { code: 'other', message: `net use failed${number ? ` (system error ${number})` : outcome.code !== null ? ` (exit code ${outcome.code})` : ''}.` };
  }
}

/**
 * Runs a command with its stdin, collecting output; never through a shell.
 *
 * The child gets a secret-free environment: the CLI may hold the share password (and the PFX password,
 * the key passphrase…) in `AZS_*` variables, which `net.exe` would otherwise inherit. Each line written to
 * stdin counts as a secret too, so a variable that happens to carry the same value is withheld as well.
 */
export const spawnRunner: CommandRunner = (spec) =>
  new Promise((resolve, reject) => {
    const stdinSecrets = (spec.stdin ?? '').split(/\r?\n/).filter((line) => line.length > 0);
    const child = spawn(spec.command, [...spec.args], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, env: childEnvironment(process.env, stdinSecrets, {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A child that exits before reading stdin closes the pipe; that is its answer, not our error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(spec.stdin ?? '');
  });
