/**
 * Finds the real PowerShell the rehearsal and script tests run in.
 *
 * `AZS_TEST_PWSH`, else `pwsh` on PATH, else the .NET global tool's `~/.dotnet/tools/pwsh` (what
 * `scripts/setup-debian.sh` installs where the .NET SDK exists). Tests that need it are skipped, with this reason
 * printed, only where none can be had.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

function works(command: string): string | null {
  try {
    return execFileSync(command, ['-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

function locate(): { command: string; version: string } | null {
  const candidates = [process.env.AZS_TEST_PWSH, 'pwsh', path.join(homedir(), '.dotnet', 'tools', 'pwsh')].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    if (path.isAbsolute(candidate) && !existsSync(candidate)) continue;
    const version = works(candidate);
    if (version) return { command: candidate, version };
  }
  return null;
}

const found = locate();

/** The PowerShell executable for tests, or null. */
export const PWSH: string | null = found?.command ?? null;

// Rehearsals in the code under test (and the CLI processes tests start) resolve PowerShell through AZS_PWSH.
if (PWSH && !process.env.AZS_PWSH) process.env.AZS_PWSH = PWSH;

/** Its version, e.g. `7.6.10`. */
export const PWSH_VERSION: string | null = found?.version ?? null;

/** Why PowerShell tests are skipped here (null when they run). */
export const PWSH_SKIP_REASON: string | null = found
  ? null
  : 'no PowerShell found (pwsh on PATH, ~/.dotnet/tools/pwsh or AZS_TEST_PWSH): run scripts/setup-debian.sh where the .NET SDK exists (it installs PowerShell 7.6.10 with dotnet tool install).';

/** Prints the skip reason once per test file, so a skipped run says why. */
export function announcePwshSkip(file: string): void {
  if (PWSH_SKIP_REASON) console.warn(`[${path.basename(file)}] PowerShell tests skipped: ${PWSH_SKIP_REASON}`);
}
