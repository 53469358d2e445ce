/**
 * Runs a generated PEP script in PowerShell (or the PEP simulator) and streams its JSON-line output back.
 *
 * PowerShell is started with `-NoProfile -NonInteractive -Command -` and receives the script, the secrets
 * marker and one secret per line on stdin: never in argv (visible in process lists), the environment
 * (inherited by children, dumped in crash reports) or a file. Every line it prints is scrubbed of those
 * secrets before anything else sees it, then parsed as a message or kept as a garbage line.
 */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { PepMessage, TransportItem } from './parser';
import { MESSAGE_TYPES } from './parser';
import { SECRETS_MARKER } from './script-header';
import { createScrubber } from './scrubber';

/** Environment variable naming the PowerShell executable (or a `.mjs` stand-in such as the simulator). */
export const PWSH_ENV = 'AZS_PWSH';

/** Environment variables through which the CLI receives secrets; never passed on to PowerShell. */
export const SECRET_ENV_VARIABLES = ['AZS_PEP_PASSWORD', 'AZS_SHARE_PASSWORD', 'AZS_BMC_PASSWORD', 'AZS_PFX_PASSWORD', 'AZS_NEW_PFX_PASSWORD', 'AZS_KEY_PASSPHRASE'] as const;

/** Any other variable of ours that by its name carries a secret is withheld too. */
const SECRET_ENV_PATTERN = /^AZS_.*(PASSWORD|PASSPHRASE|SECRET)/i;

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
  /** Time between the polite stop and the hard kill when cancelled (default 5 s). */
  killGraceMs?: number;
  /** Base environment (default `process.env`); secret variables are removed from it. */
  env?: Record<string, string | undefined>;
}

/** A line longer than this without a newline is cut and kept as garbage, so a runaway child cannot exhaust memory. */
const MAX_LINE = 1024 * 1024;

/**
 * The child's environment: the base without the variables that carry secrets to the CLI, and without any
 * variable whose value is one of the secrets.
 */
export function childEnvironment(base: Record<string, string | undefined>, secrets: readonly string[], extra: Record<string, string>): Record<string, string> {
  const values = new Set(secrets.filter((s) => s.length > 0));
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if ((SECRET_ENV_VARIABLES as readonly string[]).includes(key.toUpperCase()) || SECRET_ENV_PATTERN.test(key)) continue;
    if (values.has(value)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** True when `value` looks like a message of the script (an object with a known `type`). */
function isMessage(value: unknown): value is PepMessage {
  return !!value && typeof value === 'object' && !Array.isArray(value) && (MESSAGE_TYPES as readonly string[]).includes((value as { type?: unknown }).type as string);
}

/**
 * Runs the script and resolves when the process has exited and all its output has been delivered.
 *
 * Never rejects: a process that cannot start resolves with `spawnError`. Secrets must be single lines
 * (the framing is line based); a secret with a line break is refused before anything is spawned.
 */
export function runPepScript(options: TransportOptions): Promise<TransportOutcome> {
  if (options.secrets.some((s) => /[\r\n]/.test(s))) {
    return Promise.resolve({ exitCode: null, signal: null, spawnError: { code: 'EINVAL', message: 'A secret contains a line break.' }, cancelled: false });
  }
  const scrubber = createScrubber(options.secrets);
  return new Promise((resolve) => {
    let cancelled = false;
    let spawnError: TransportOutcome['spawnError'] = null;
    let killTimer: NodeJS.Timeout | null = null;
    const child = spawn(options.command.command, options.command.args, {
      env: childEnvironment(options.env ?? process.env, options.secrets, options.command.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });

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
          const items = toItems(lines);
          if (items.length > 0) options.onItems(items);
        },
        end() {
          const items = toItems([rest + decoder.end()]);
          rest = '';
          if (items.length > 0) options.onItems(items);
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
      if (child.exitCode !== null || child.signalCode !== null) return;
      cancelled = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), options.killGraceMs ?? 5000);
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('close', (code, signal) => {
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      out.end();
      err.end();
      resolve({ exitCode: code, signal, spawnError, cancelled });
    });

    if (child.pid !== undefined) {
      child.stdin.end(`${options.script}\n${SECRETS_MARKER}\n${options.secrets.map((s) => `${s}\n`).join('')}`);
    }
  });
}
