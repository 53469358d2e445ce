/**
 * Runs `powershell-syntax.ps1` over many PowerShell texts in one PowerShell process.
 *
 * Every text goes through PowerShell's own parser, and its syntax tree is searched for what Windows PowerShell
 * 5.1 lacks (ternaries, pipeline chains, null-conditional operators, clean blocks, -Parallel, `e escapes, …).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PWSH } from './pwsh';

/** One problem the check found. */
export interface PowerShellProblem {
  name: string;
  line: number;
  /** `parse`: PowerShell's parser refused it; `ps51`: syntax newer than Windows PowerShell 5.1. */
  kind: 'parse' | 'ps51';
  message: string;
}

const CHECKER = path.resolve('test', 'support', 'powershell-syntax.ps1');

/** Checks every text; throws when PowerShell itself could not run the check. */
export function checkPowerShell(items: readonly { name: string; text: string }[]): { checked: number; problems: PowerShellProblem[] } {
  if (PWSH === null) throw new Error('no PowerShell to check with');
  const dir = mkdtempSync(path.join(tmpdir(), 'azs-ps-syntax-'));
  try {
    const input = path.join(dir, 'texts.json');
    writeFileSync(input, JSON.stringify(items));
    const result = spawnSync(PWSH, ['-NoProfile', '-NonInteractive', '-File', CHECKER, '-InputFile', input], { encoding: 'utf8', timeout: 180_000, maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`the PowerShell syntax check failed (${result.status}): ${result.stderr}`);
    const [first, ...rest] = result.stdout.trim().split(/\r?\n/);
    const checked = Number(/^checked (\d+)$/.exec(first ?? '')?.[1] ?? Number.NaN);
    return { checked, problems: rest.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as PowerShellProblem) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
