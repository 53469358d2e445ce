/**
 * Runs a generated PEP script in PowerShell and streams its JSON-line output back.
 *
 * PowerShell is started with the fixed bootstrap as `-EncodedCommand` (see `bootstrap.ts`) and receives on stdin,
 * as data, the script, the secrets marker and one secret per line: secrets are never in argv (visible in process
 * lists), the environment (inherited by children, dumped in crash reports) or a file. Every line it prints is
 * scrubbed of those secrets before anything else sees it, then parsed as a message or kept as a garbage line.
 * A rehearsal is the same run with the stand-in PEP module sent ahead of the script.
 *
 * A cancel first asks the script to stop with a cancel line on stdin, so its `finally` closes the PEP session
 * (`Remove-PSSession`): PowerShell does not stop on Ctrl+C (SIGINT) when no terminal is attached, and Windows
 * cannot send a child process Ctrl+C at all, so stdin stays open for that line on every platform. Only when the
 * script has not ended after a grace period is PowerShell terminated, then killed.
 */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { childEnvironment } from '../child-environment';
import { powershellArguments, stdinPreamble } from './bootstrap';
import type { PepMessage, TransportItem } from './parser';
import { MESSAGE_TYPES } from './parser';
import { CANCEL_MARKER, SECRETS_MARKER } from './script-header';
import { createScrubber } from './scrubber';

/** Environment variable naming the PowerShell executable. */
export const PWSH_ENV = 'AZS_PWSH';

/** What to spawn. */
export interface PowerShellCommand {
  command: string;
  args: string[];
  /** Variables added to the child's environment (never secrets). */
  env: Record<string, string>;
  /** How the run log names it, e.g. `pwsh` or `pwsh with the stand-in PEP`. */
  label: string;
  /** True when this is a rehearsal against the stand-in PEP. */
  simulator: boolean;
  /** The stand-in PEP module's text, sent on stdin ahead of the script (rehearsals); null for a stamp. */
  standIn: string | null;
}

/** Where the PowerShell path comes from. */
export interface PowerShellSource {
  /** The app setting (null or empty: not set). */
  setting?: string | null;
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
}

/** The PowerShell executable: `AZS_PWSH`, else the setting, else `powershell.exe` on Windows and `pwsh` elsewhere. */
export function powershellExecutable(source: PowerShellSource = {}): string {
  const env = source.env ?? process.env;
  const platform = source.platform ?? process.platform;
  return env[PWSH_ENV]?.trim() || source.setting?.trim() || (platform === 'win32' ? 'powershell.exe' : 'pwsh');
}

/** The PowerShell that runs scripts against a stamp. */
export function resolvePowerShell(source: PowerShellSource = {}): PowerShellCommand {
  const command = powershellExecutable(source);
  return { command, args: powershellArguments({ rehearsal: false }), env: {}, label: command, simulator: false, standIn: null };
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
      child.stdin.end(`${CANCEL_MARKER}\n`);
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
      child.stdin.destroy();
      options.signal?.removeEventListener('abort', onAbort);
      out.end();
      err.end();
      if (consumerError) reject(consumerError.error);
      else resolve({ exitCode: code, signal, spawnError, cancelled });
    });

    if (child.pid !== undefined) {
      const input = `${stdinPreamble(options.script, options.command.standIn)}${SECRETS_MARKER}\n${options.secrets.map((s) => `${s}\n`).join('')}`;
      // stdin stays open until PowerShell exits: it is the only way to ask the script to stop (the cancel line).
      child.stdin.write(input);
    }
  });
}
