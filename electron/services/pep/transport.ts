/**
 * Runs a generated PEP script in PowerShell (or the PEP simulator) and streams its JSON-line output back.
 *
 * PowerShell is started with `-NoProfile -NonInteractive -Command -` and receives the script, the secrets
 * marker and one secret per line on stdin: never in argv (visible in process lists), the environment
 * (inherited by children, dumped in crash reports) or a file. Every line it prints is scrubbed of those
 * secrets before anything else sees it, then parsed as a message or kept as a garbage line.
 *
 * A cancel first asks PowerShell to stop the way an operator would, so the script's `finally` closes the
 * PEP session (`Remove-PSSession`): Ctrl+C (SIGINT) on Linux and macOS, a cancel line on stdin on Windows,
 * where a child process cannot be sent Ctrl+C. Only when it has not ended after a grace period is it
 * terminated, then killed.
 */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { childEnvironment } from '../child-environment';
import type { PepMessage, TransportItem } from './parser';
import { MESSAGE_TYPES } from './parser';
import { CANCEL_MARKER, SECRETS_MARKER } from './script-header';
import { createScrubber } from './scrubber';

/** Environment variable naming the PowerShell executable (or a `.mjs` stand-in such as the simulator). */
export const PWSH_ENV = 'AZS_PWSH';

/** The arguments every PowerShell run gets: no profile (it could print or prompt), read the script from stdin. */
export const POWERSHELL_ARGS = ['-NoProfile', '-NonInteractive', '-Command', '-'] as const;

/** What to spawn. */
export interface PowerShellCommand {
  command: string;
  args: string[];
  /** Variables added to the child's environment (never secrets). */
  env: Record<string, string>;
  /** How the run log names it, e.g. `pwsh` or `PEP simulator`. */
  label: string;
  /** True when this is the PEP simulator (a rehearsal). */
  simulator: boolean;
}

/** Where the PowerShell path comes from. */
export interface PowerShellSource {
  /** The app setting (null or empty: not set). */
  setting?: string | null;
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
}

/**
 * Runs a script file with this Node (or Electron acting as Node).
 *
 * `nodeArgs` go before the script (e.g. `--import tsx` to run TypeScript sources in tests).
 */
export function nodeCommand(script: string, args: string[], label: string, simulator: boolean, nodeArgs: string[] = []): PowerShellCommand {
  // Inside Electron, process.execPath is the Electron binary; this variable makes it behave as plain Node.
  const env: Record<string, string> = process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
  return { command: process.execPath, args: [...nodeArgs, script, ...args], env, label, simulator };
}

/**
 * The PowerShell to run: `AZS_PWSH`, else the setting, else `powershell.exe` on Windows and `pwsh` elsewhere.
 *
 * A path ending in `.mjs`/`.js` is run with Node, so the simulator's bundle can stand in for PowerShell
 * on any platform (a shebang does not work on Windows).
 */
export function resolvePowerShell(source: PowerShellSource = {}): PowerShellCommand {
  const env = source.env ?? process.env;
  const platform = source.platform ?? process.platform;
  const configured = env[PWSH_ENV]?.trim() || source.setting?.trim() || (platform === 'win32' ? 'powershell.exe' : 'pwsh');
  if (/\.(mjs|cjs|js)$/i.test(configured)) return nodeCommand(configured, [...POWERSHELL_ARGS], configured, /pep-sim/i.test(configured));
  return { command: configured, args: [...POWERSHELL_ARGS], env: {}, label: configured, simulator: false };
}

/** How the PowerShell process ended. */
export interface TransportOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started (e.g. `ENOENT`: PowerShell not installed). */
  spawnError: { code: string; message: string } | null;
  /** True when the run was stopped through the abort signal. */
  cancelled: boolean;
}

/** Options of {@link runPepScript}. */
export interface TransportOptions {
  command: PowerShellCommand;
  /** The generated script (no secrets in it). */
  script: string;
  /** The secret values, in the order the script's header lists their roles. */
  secrets: readonly string[];
  /**
   * Receives the items of each chunk of output, already scrubbed, in order.
   *
   * Called synchronously per chunk, so a caller that stores the batch inside the callback has stored it
   * before the next chunk is read.
   */
  onItems(items: TransportItem[]): void;
  signal?: AbortSignal;
  /** Time PowerShell gets to close the PEP session after the polite stop, before it is terminated (default 10 s). */
  stopGraceMs?: number;
  /** Base environment (default `process.env`); secret variables are removed from it. */
  env?: Record<string, string | undefined>;
  /** Decides how PowerShell is asked to stop (default `process.platform`; tests act out Windows elsewhere). */
  platform?: NodeJS.Platform;
}

/** Default time between the polite stop and the termination. */
export const STOP_GRACE_MS = 10_000;

/** Time between the termination (SIGTERM) and the kill (SIGKILL) of a child that ignores it. */
const KILL_AFTER_TERM_MS = 2_000;

/** A line longer than this without a newline is cut and kept as garbage, so a runaway child cannot exhaust memory. */
const MAX_LINE = 1024 * 1024;

/** True when `value` looks like a message of the script (an object with a known `type`). */
function isMessage(value: unknown): value is PepMessage {
  return !!value && typeof value === 'object' && !Array.isArray(value) && (MESSAGE_TYPES as readonly string[]).includes((value as { type?: unknown }).type as string);
}

/**
 * Runs the script and resolves when the process has exited and all its output has been delivered.
 *
 * A process that cannot start resolves with `spawnError`. Secrets must be single lines (the framing is line
 * based); a secret with a line break is refused before anything is spawned. When `onItems` throws (the
 * caller could not store what it was given — a full disk), no more output is delivered, PowerShell is
 * stopped as on a cancel, and the promise rejects with that error once the process has ended.
 */
export function runPepScript(options: TransportOptions): Promise<TransportOutcome> {
  if (options.secrets.some((s) => /[\r\n]/.test(s))) {
    return Promise.resolve({ exitCode: null, signal: null, spawnError: { code: 'EINVAL', message: 'A secret contains a line break.' }, cancelled: false });
  }
  // Cancelled before it started: nothing to stop, and nothing is sent to the PEP.
  if (options.signal?.aborted) return Promise.resolve({ exitCode: null, signal: null, spawnError: null, cancelled: true });
  const scrubber = createScrubber(options.secrets);
  const windows = (options.platform ?? process.platform) === 'win32';
  return new Promise((resolve, reject) => {
    let cancelled = false;
    let spawnError: TransportOutcome['spawnError'] = null;
    let killTimer: NodeJS.Timeout | null = null;
    let stopping = false;
    // What `onItems` threw; once set, output is no longer delivered.
    let consumerError: { error: unknown } | null = null;
    const child = spawn(options.command.command, options.command.args, {
      env: childEnvironment(options.env ?? process.env, options.secrets, options.command.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });

    const exited = () => child.exitCode !== null || child.signalCode !== null;
    // Ask first, so the script's finally closes the PEP session; terminate, then kill, only if it lingers.
    const stop = () => {
      if (stopping || exited() || child.pid === undefined) return;
      stopping = true;
      if (windows) child.stdin.end(`${CANCEL_MARKER}\n`);
      else child.kill('SIGINT');
      killTimer = setTimeout(() => {
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_TERM_MS);
      }, options.stopGraceMs ?? STOP_GRACE_MS);
    };
    // Runs inside a stream's data handler: an exception escaping here would be uncaught, so it is kept
    // and answered by stopping the run instead.
    const deliver = (items: TransportItem[]) => {
      if (items.length === 0 || consumerError) return;
      try {
        options.onItems(items);
      } catch (error) {
        consumerError = { error };
        stop();
      }
    };

    const splitter = (kind: 'stdout' | 'stderr') => {
      const decoder = new StringDecoder('utf8');
      let rest = '';
      const toItems = (lines: string[]): TransportItem[] =>
        lines.flatMap((rawLine): TransportItem[] => {
          const line = scrubber.text(rawLine.replace(/\r$/, '').replace(/^\uFEFF/, ''));
          if (line.trim() === '') return [];
          if (kind === 'stderr') return [{ kind: 'stderr', text: line }];
          let parsed: unknown;
          try {
            parsed = JSON.parse(line);
          } catch {
            return [{ kind: 'garbage', text: line }];
          }
          return isMessage(parsed) ? [{ kind: 'message', message: scrubber.value(parsed) }] : [{ kind: 'garbage', text: line }];
        });
      return {
        push(chunk: Buffer) {
          rest += decoder.write(chunk);
          const lines = rest.split('\n');
          rest = lines.pop() ?? '';
          if (rest.length > MAX_LINE) {
            lines.push(`${rest.slice(0, 200)}… [line of ${rest.length} characters cut]`);
            rest = '';
          }
          deliver(toItems(lines));
        },
        end() {
          const items = toItems([rest + decoder.end()]);
          rest = '';
          deliver(items);
        },
      };
    };
    const out = splitter('stdout');
    const err = splitter('stderr');
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));

    // A child that exits before reading all of stdin makes the write fail with EPIPE; its exit says why.
    child.stdin.on('error', () => {});
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = { code: error.code ?? 'ERROR', message: error.message };
    });

    const onAbort = () => {
      if (exited()) return;
      cancelled = true;
      stop();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('close', (code, signal) => {
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      out.end();
      err.end();
      if (consumerError) reject(consumerError.error);
      else resolve({ exitCode: code, signal, spawnError, cancelled });
    });

    if (child.pid !== undefined) {
      const input = `${options.script}\n${SECRETS_MARKER}\n${options.secrets.map((s) => `${s}\n`).join('')}`;
      // On Windows stdin stays open: it is the only way to ask the script to stop (the cancel line).
      // Elsewhere it is closed, so a PowerShell that stopped on Ctrl+C reads end-of-input and exits.
      if (windows) child.stdin.write(input);
      else child.stdin.end(input);
    }
  });
}
