/**
 * The admin-side runbooks (value-add resource provider, container registry) run in real PowerShell against
 * stand-ins declared with the parameter types of the modules the operator uses: every command binds, and a
 * password goes to the registry's [string] parameters as its text, not as the words "System.Security.SecureString"
 * (which is what passing the SecureString itself sends). Skipped, saying why, only where no PowerShell can be had.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderedCommands } from '../support/procedure-commands';
import { announcePwshSkip, PWSH } from '../support/pwsh';

announcePwshSkip(__filename);
const work = mkdtempSync(path.join(tmpdir(), 'azs-runbook-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const STAND_IN = path.resolve('resources', 'pep-stand-in', 'azs-admin-stand-in.psm1');
const SCRIPTS_FOLDER = 'C:\\azurestack-gallery-master\\registry\\Scripts';

/** Runs the runbook's steps in order in one PowerShell; each step's failure is reported with its name. */
function rehearse(steps: { name: string; text: string }[]): { status: number | null; stdout: string; stderr: string } {
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const lines = [
    "$ErrorActionPreference = 'Stop'",
    `Import-Module ${quote(STAND_IN)} -DisableNameChecking`,
    // The operator types the password at Read-Host's prompt; here it is typed for them.
    "function Read-Host { param([switch]$AsSecureString, [string]$Prompt) ConvertTo-SecureString -String 'Rehearsal-Pw1' -AsPlainText -Force }",
    ...steps.flatMap((step) => [`try {`, step.text.replaceAll(quote(SCRIPTS_FOLDER), quote(work)), `  'STEP-OK ${step.name}'`, `} catch { 'STEP-FAILED ${step.name}: ' + $_; exit 1 }`]),
  ];
  const file = path.join(work, `runbook-${Math.random().toString(36).slice(2)}.ps1`);
  writeFileSync(file, lines.join('\n'));
  return spawnSync(PWSH!, ['-NoProfile', '-NonInteractive', '-File', file], { encoding: 'utf8', timeout: 120_000 });
}

function runbook(procedure: string, set: string): { name: string; text: string }[] {
  return renderedCommands()
    .filter((c) => c.name.startsWith(`${procedure} 2108 Lab ${set}: `))
    .map((c) => ({ name: c.name.split(': ')[1]!, text: c.text }))
    // The certificate's own validation is the app's, not a PowerShell step.
    .filter((c) => !c.text.startsWith('azs-rotate '));
}

describe.skipIf(PWSH === null)('admin-side runbooks in PowerShell', () => {
  // The gallery's pre-reqs.ps1, which the runbook imports; the stand-in module holds what it defines.
  writeFileSync(path.join(work, 'pre-reqs.ps1'), '# stand-in for the registry template gallery pre-reqs.ps1\n');

  it('container registry: every step binds and both passwords arrive as text', () => {
    for (const set of ['full', 'new user']) {
      const steps = runbook('container-registry', set);
      expect(steps.map((s) => s.name)).toEqual(expect.arrayContaining(['import-prereqs', 'key-vault', 'registry-password', 'certificate-secret', 'verify']));
      const run = rehearse(steps);
      expect(run.stdout, run.stderr).not.toContain('STEP-FAILED');
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/PFXKeyVaultSecretURL: https:\/\/acr-kv\.vault\..*\/secrets\/acr-cert\/1/);
      expect(run.stdout).toMatch(/PFXThumbprint: [0-9A-F]{40}/);
    }
  });

  it('refuses a SecureString passed to the registry script\'s [string] password (the bug the runbook avoids)', () => {
    const run = rehearse([
      { name: 'wrong', text: "$p = Read-Host -AsSecureString -Prompt 'x'\nSet-RegistryAccessSecret -KeyVaultName 'acr-kv' -RegistryUserName 'u' -RegistryUserPassword $p -SkipExistCheck $true" },
    ]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("STEP-FAILED wrong: -RegistryUserPassword received the text 'System.Security.SecureString'");
  });

  it('value-add resource provider: the secret is set with a SecureString, then the rotation is started', () => {
    const steps = runbook('value-add-rp', 'full');
    expect(steps.map((s) => s.name)).toEqual(expect.arrayContaining(['set-secret', 'rotate']));
    const run = rehearse(steps);
    expect(run.stdout, run.stderr).not.toContain('STEP-FAILED');
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });
});
