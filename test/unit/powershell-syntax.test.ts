/**
 * Every PowerShell text the product emits parses with PowerShell's own parser and uses no syntax Windows
 * PowerShell 5.1 lacks: the generated PEP scripts (every procedure, version, rerun and BMC form), the bootstrap
 * PowerShell starts with, the stand-in PEP module of rehearsals and the admin-side stand-ins, and the TrustedHosts
 * reader. (The runbooks the
 * procedures render are checked in procedures-powershell.test.ts.) The check itself is shown to refuse each
 * construct it looks for. Skipped, saying why, only where no PowerShell can be had.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootstrapText } from '../../electron/services/pep/bootstrap';
import { buildPepScript, stepsFor, type PepScriptRequest } from '../../electron/services/pep/script-builder';
import { STAND_IN_MODULE } from '../../electron/services/pep/simulator/stand-in';
import { TRUSTED_HOSTS_SCRIPT } from '../../electron/services/rotation/trusted-hosts';
import { checkPowerShell } from '../support/powershell-syntax';
import { announcePwshSkip, PWSH } from '../support/pwsh';

announcePwshSkip(__filename);

const VERSIONS = ['1803', '1809', '1811', '1910', '2008', '2108', '2406'];

/** Every form of generated script: external, internal and BMC, first runs and reruns, on every version boundary. */
function generatedScripts(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const stamp = (version: string) => ({ name: "Lab 'east'", region: 'east', fqdn: 'azurestack.contoso.com', version, identity: 'adfs' as const });
  const request = (kind: PepScriptRequest['kind'], version: string, steps: PepScriptRequest['steps']): PepScriptRequest => ({
    kind,
    stamp: stamp(version),
    ercs: ['10.0.0.1', 'AZS-ERCS02', 'azs-ercs03.azurestack.local'],
    pepUser: 'AZURESTACK\\CloudAdmin',
    steps,
  });
  for (const version of VERSIONS) {
    for (const rerun of [false, true]) {
      out.push({ name: `external ${version}${rerun ? ' rerun' : ''}`, text: buildPepScript(request('external', version, stepsFor('external', { version, rerun, pfxFilesPath: "\\\\fs01\\rotation o'share\\Certificates", shareUser: 'CONTOSO\\svc-rotate' }))).text });
      out.push({ name: `internal ${version}${rerun ? ' rerun' : ''}`, text: buildPepScript(request('internal', version, stepsFor('internal', { version, rerun }))).text });
    }
    for (const [bmcUser, bypassBmcUpdate] of [[null, false], ['root', false], ['root', true]] as const) {
      out.push({ name: `bmc ${version} ${bmcUser ?? 'no user'}${bypassBmcUpdate ? ' bypass' : ''}`, text: buildPepScript(request('bmc', version, stepsFor('bmc', { version, rerun: false, bmcUser, bypassBmcUpdate }))).text });
    }
  }
  return out;
}

describe.skipIf(PWSH === null)('PowerShell the product emits', () => {
  it('refuses each construct Windows PowerShell 5.1 lacks, and a parse error (the check can fail)', () => {
    const bad: Record<string, string> = {
      ternary: '$a = $true ? 1 : 2',
      chain: 'Get-Date && Get-Date',
      coalesce: '$a = $null ?? 1',
      coalesceAssign: '$a ??= 1',
      nullConditional: '${a}?.Length',
      clean: 'function f { process { 1 } clean { 2 } }',
      parallel: '1..2 | ForEach-Object -Parallel { $_ }',
      background: 'Get-Date &',
      escape: '"`e[0m"',
      asHashtable: "'{}' | ConvertFrom-Json -AsHashtable",
      parse: 'if ( {',
    };
    const { problems } = checkPowerShell(Object.entries(bad).map(([name, text]) => ({ name, text })));
    const flagged = new Set(problems.map((p) => p.name));
    expect([...flagged].sort()).toEqual(Object.keys(bad).sort());
    expect(problems.find((p) => p.name === 'parse')?.kind).toBe('parse');
    expect(problems.find((p) => p.name === 'ternary')).toMatchObject({ kind: 'ps51', message: 'the ternary operator ( ? : )' });
    // Strings and comments never count.
    expect(checkPowerShell([{ name: 'ok', text: "# a ?? b && c\n$x = 'a ? b : c'\n\"`$e\"" }]).problems).toEqual([]);
  });

  it('every generated PEP script, the bootstrap, the stand-in PEP and the TrustedHosts reader', () => {
    const texts = [
      ...generatedScripts(),
      { name: 'bootstrap', text: bootstrapText({ rehearsal: false }) },
      { name: 'bootstrap (rehearsal)', text: bootstrapText({ rehearsal: true }) },
      { name: 'stand-in PEP module', text: readFileSync(path.resolve(STAND_IN_MODULE), 'utf8') },
      { name: 'admin stand-ins', text: readFileSync(path.resolve('resources', 'pep-stand-in', 'azs-admin-stand-in.psm1'), 'utf8') },
      { name: 'TrustedHosts reader', text: TRUSTED_HOSTS_SCRIPT },
    ];
    const { checked, problems } = checkPowerShell(texts);
    expect(checked).toBe(texts.length);
    expect(problems).toEqual([]);
  });
});
