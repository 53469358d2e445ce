/**
 * Reads this machine's WinRM client TrustedHosts list for pre-flight, through PowerShell.
 *
 * Windows only: elsewhere the setting does not exist and the reading says so. The value is read with
 * `(Get-Item WSMan:\localhost\Client\TrustedHosts).Value` in the PowerShell the run would use, started like every
 * other child of the services (`spawnRunner`: no shell, a secret-free environment, no window). No secret is
 * involved; the script goes as `-EncodedCommand` so no quoting of the command line can change it.
 */
import type { TrustedHostsReading } from '../../../shared/rotation/trusted-hosts';
import { spawnRunner, type CommandRunner, type CommandSpec } from '../preparation/net-use';

/** The prefix the value is printed after, so a profile's stray output or a blank value cannot be mistaken for it. */
const MARK = 'AZS-TRUSTEDHOSTS:';

/** Longest wait for PowerShell; a WSMan provider that hangs must not hold pre-flight. */
const TIMEOUT_MS = 20_000;

/** The PowerShell program: prints the value after the mark, or the error on stderr with exit code 1. */
export const TRUSTED_HOSTS_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  'try {',
  "  $value = (Get-Item -Path 'WSMan:\\localhost\\Client\\TrustedHosts').Value",
  `  [Console]::Out.WriteLine('${MARK}' + [string]$value)`,
  '  exit 0',
  '} catch {',
  '  [Console]::Error.WriteLine([string]$_)',
  '  exit 1',
  '}',
].join('\n');

/** The command that reads the list with `powershell` (`powershell.exe`, `pwsh`, or the configured path). */
export function trustedHostsCommand(powershell: string): CommandSpec {
  const encoded = Buffer.from(TRUSTED_HOSTS_SCRIPT, 'utf16le').toString('base64');
  return { command: powershell, args: ['-NoProfile', '-NonInteractive', '-EncodedCommand', encoded], stdin: null };
}

/** Options of {@link readTrustedHosts}; tests replace the platform and the runner. */
export interface TrustedHostsOptions {
  /** The PowerShell executable of the run. */
  powershell: string;
  platform?: NodeJS.Platform;
  run?: CommandRunner;
  timeoutMs?: number;
}

function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? ''
  );
}

/** Reads the TrustedHosts value; never throws: a failure becomes an `unreadable` reading with its reason. */
export async function readTrustedHosts(options: TrustedHostsOptions): Promise<TrustedHostsReading> {
  const platform = options.platform ?? process.platform;
  if (platform !== 'win32') {
    return { kind: 'not-applicable', reason: `TrustedHosts is a setting of the Windows WinRM client, and this machine runs ${platform}, not Windows.` };
  }
  const run = options.run ?? spawnRunner;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${options.powershell} did not answer within ${Math.ceil((options.timeoutMs ?? TIMEOUT_MS) / 1000)} s`)), options.timeoutMs ?? TIMEOUT_MS);
    });
    const outcome = await Promise.race([run(trustedHostsCommand(options.powershell)), timeout]);
    const line = outcome.stdout.split(/\r?\n/).find((l) => l.startsWith(MARK));
    if (outcome.code === 0 && line !== undefined) return { kind: 'value', value: line.slice(MARK.length).trim() };
    const why = firstLine(outcome.stderr) || firstLine(outcome.stdout) || `exit code ${outcome.code ?? 'none'}`;
    return { kind: 'unreadable', reason: `${why} (WinRM may be stopped, or reading WSMan:\\localhost needs an elevated prompt).` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { kind: 'unreadable', reason: code === 'ENOENT' ? `${options.powershell} was not found.` : `${(error as Error).message}.` };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
