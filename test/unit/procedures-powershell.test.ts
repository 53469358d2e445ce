/**
 * Every command the procedures render — for each version the gates tell apart, with every parameter given and
 * with none (placeholders) — is PowerShell an operator can paste into Windows PowerShell 5.1: PowerShell's own
 * parser accepts it (when `pwsh` is installed here) and it uses none of PowerShell 7's syntax.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildChecklist, type ProcedureRunRecord } from '../../shared/procedures/checklist';
import { PROCEDURES } from '../../shared/procedures/definitions';
import { normaliseParameters } from '../../shared/procedures/render';
import { NO_FACTS } from '../../shared/procedures/verifiers';
import { findExecutable } from '../../electron/services/rotation/preflight';

const VERSIONS = ['1809', '1811', '1908', '1910', '2108'];
const STAMPS = [
  { name: 'Lab', region: 'east', externalFqdn: 'azurestack.contoso.com', identity: 'adfs' as const, version: '2108', ercsIps: ['10.0.0.1', 'AZS-ERCS02', 'fd00::3'] },
  // A deleted profile: no ERCS, every stamp value a placeholder.
  { name: 'Gone', region: '', externalFqdn: '', identity: 'aad' as const, version: '2108', ercsIps: [] },
];
const FULL: Record<string, string> = {
  pfxFilesPath: '\\\\fs01\\rotation share\\Certificates',
  shareUser: 'CONTOSO\\rotation',
  pepUser: 'AZURESTACK\\CloudAdmin',
  bmcUser: 'azsbmc',
  productId: 'Microsoft.Eventhub',
  packageId: 'Microsoft.Eventhub.1.2003.0.0',
  secretName: 'eventhub-cert',
  pfxFileName: 'C:\\certs\\event hub.pfx',
  keyVaultName: 'acr-kv',
  registryUserName: 'registryadmin',
  certificateSecretName: 'acr-cert',
  certificateFilePath: 'C:\\certs\\registry.pfx',
  thumbprint: 'AB'.repeat(20),
  secretUrl: 'https://acr-kv.vault.east.azurestack.contoso.com/secrets/acr-cert/1',
  scriptsFolder: 'C:\\azurestack-gallery-master\\registry\\Scripts',
};

/** Every rendered command, named by procedure, version, stamp and parameter set. */
function renderedCommands(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const definition of PROCEDURES) {
    const keys = definition.parameters.map((p) => p.key);
    const full = Object.fromEntries(Object.entries(FULL).filter(([k]) => keys.includes(k)));
    const sets: Record<string, Record<string, string>> = { full, empty: {} };
    if (keys.includes('newUser')) sets['new user'] = { ...full, newUser: 'yes' };
    for (const version of VERSIONS) {
      for (const stamp of STAMPS) {
        for (const [setName, given] of Object.entries(sets)) {
          const run: ProcedureRunRecord = {
            id: 1,
            stampId: 1,
            stampName: stamp.name,
            procedureId: definition.id,
            stampVersion: version,
            parameters: normaliseParameters(definition, given),
            state: 'open',
            startedAt: '2026-01-01T00:00:00.000Z',
            finishedAt: null,
            confirmations: [],
          };
          for (const step of buildChecklist(run, stamp, NO_FACTS, new Date()).steps) {
            if (step.command !== null) out.push({ name: `${definition.id} ${version} ${stamp.name} ${setName}: ${step.id}`, text: step.command });
          }
        }
      }
    }
  }
  return out;
}

const COMMANDS = renderedCommands();

/** The PowerShell 7 syntax Windows PowerShell 5.1 does not parse, with a pattern that finds it outside strings well enough for these templates. */
const PS7_ONLY: [string, RegExp][] = [
  ['the ?? / ??= operators', /\?\?/],
  ['the ?. / ?[ operators', /\w\?[.[]/],
  ['&& / || pipeline chains', /&&|\|\|/],
  ['the ternary operator', /\s\?\s[^:]*\s:\s/],
  ['ForEach-Object -Parallel', /-Parallel\b/i],
  ['clean {} blocks', /\bclean\s*\{/i],
];

describe('procedure commands are Windows PowerShell 5.1', () => {
  it('covers every procedure', () => {
    for (const definition of PROCEDURES) expect(COMMANDS.some((c) => c.name.startsWith(`${definition.id} `)), definition.id).toBe(true);
  });

  it('use no PowerShell 7 syntax', () => {
    for (const { name, text } of COMMANDS) {
      for (const [what, pattern] of PS7_ONLY) expect(pattern.test(text), `${name} uses ${what}:\n${text}`).toBe(false);
    }
  });

  const pwsh =
    process.env.AZS_PWSH?.trim() || findExecutable('pwsh') || [path.join(homedir(), '.dotnet', 'tools', 'pwsh')].find((candidate) => existsSync(candidate)) || null;
  if (!pwsh) console.log('procedures-powershell: pwsh not found (PATH, ~/.dotnet/tools, AZS_PWSH): the parser check is skipped.');
  const work = mkdtempSync(path.join(tmpdir(), 'azs-procedure-ps-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.skipIf(!pwsh)('parse with PowerShell’s own parser', () => {
    const input = path.join(work, 'commands.json');
    writeFileSync(input, JSON.stringify(COMMANDS));
    const script = [
      '$items = Get-Content -Raw -LiteralPath $args[0] | ConvertFrom-Json',
      '$failures = foreach ($item in $items) {',
      '  $tokens = $null; $errors = $null',
      '  [void][System.Management.Automation.Language.Parser]::ParseInput($item.text, [ref]$tokens, [ref]$errors)',
      "  foreach ($e in $errors) { '{0} (line {1}): {2}' -f $item.name, $e.Extent.StartLineNumber, $e.Message }",
      '}',
      "'checked ' + @($items).Count",
      '$failures',
    ].join('\n');
    const scriptFile = path.join(work, 'parse.ps1');
    writeFileSync(scriptFile, script);
    const result = spawnSync(pwsh!, ['-NoProfile', '-NonInteractive', '-File', scriptFile, input], { encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trim().split(/\r?\n/);
    expect(lines[0]).toBe(`checked ${COMMANDS.length}`);
    expect(lines.slice(1)).toEqual([]);
  });
});
