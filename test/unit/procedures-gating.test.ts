import { describe, expect, it } from 'vitest';
import { buildChecklist, procedureAvailable, type ProcedureRunRecord } from '../../shared/procedures/checklist';
import { PROCEDURES, procedure } from '../../shared/procedures/definitions';
import { describeGate, gateApplies, stepsForVersion } from '../../shared/procedures/model';
import { NO_FACTS } from '../../shared/procedures/verifiers';

const STAMP = { name: 'Lab', region: 'east', externalFqdn: 'azurestack.contoso.com', identity: 'aad' as const, version: '2108', ercsIps: ['10.0.0.1', '10.0.0.2'] };

function run(procedureId: ProcedureRunRecord['procedureId'], stampVersion: string, parameters: Record<string, string> = {}): ProcedureRunRecord {
  return { id: 1, stampId: 1, stampName: 'Lab', procedureId, stampVersion, parameters, state: 'open', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: null, confirmations: [] };
}

const ids = (procedureId: ProcedureRunRecord['procedureId'], version: string, params: Record<string, string> = {}) =>
  stepsForVersion(procedure(procedureId), version, params).map((s) => s.id);

describe('version gates', () => {
  it('applies from inclusive, before exclusive, and refuses an unknown version for a bounded gate', () => {
    expect(gateApplies({ from: 1811 }, '1811')).toBe(true);
    expect(gateApplies({ from: 1811 }, '1809')).toBe(false);
    expect(gateApplies({ before: 1910 }, '1910')).toBe(false);
    expect(gateApplies({ before: 1910 }, '1908')).toBe(true);
    expect(gateApplies({ from: 1811 }, 'next')).toBe(false);
    expect(gateApplies(undefined, null)).toBe(true);
    expect(describeGate({ before: 1910 })).toBe('before 1910');
    expect(describeGate({ from: 2108 })).toBe('2108 and later');
  });

  it('gives every step a unique id within its procedure', () => {
    for (const p of PROCEDURES) expect(new Set(p.steps.map((s) => s.id)).size).toBe(p.steps.length);
  });

  it('offers the root CA procedure from 2108 only', () => {
    expect(procedureAvailable('root-ca', '2108')).toBe(true);
    expect(procedureAvailable('root-ca', '2102')).toBe(false);
    expect(procedureAvailable('external-certificates', '1803')).toBe(true);
  });

  it('asks for the OEM BMC update before 1910 only, and never forces -BypassBMCUpdate', () => {
    expect(ids('bmc-credential', '1908')).toContain('oem-update');
    expect(ids('bmc-credential', '1910')).not.toContain('oem-update');
    const before = buildChecklist(run('bmc-credential', '1908', { bmcUser: 'azsbmc' }), STAMP, NO_FACTS, new Date());
    const beforeRun = before.steps.find((s) => s.id === 'run');
    // The procedure runs Set-BmcCredential as documented before 1910 too: the OEM tool updated the BMCs, the cmdlet records it.
    expect(beforeRun?.command).toContain("{ param($password, $user) Set-BmcCredential -BmcPassword $password -BmcUser $user } -ArgumentList $bmcPassword, 'azsbmc'");
    expect(beforeRun?.command).not.toContain('-BypassBMCUpdate');
    expect(beforeRun?.notes.join(' ')).toContain('no -BypassBMCUpdate');
    expect(before.steps.find((s) => s.id === 'same-user')?.notes).toEqual([]);
    const after = buildChecklist(run('bmc-credential', '2108', { bmcUser: 'azsbmc' }), STAMP, NO_FACTS, new Date());
    expect(after.steps.find((s) => s.id === 'run')?.command).not.toContain('-BypassBMCUpdate');
    expect(after.steps.find((s) => s.id === 'same-user')?.notes.join(' ')).toContain('From 1910 the password too: at most 16 characters');
    expect(after.omitted.map((o) => o.id)).toEqual(['oem-update']);
    const keepUser = buildChecklist(run('bmc-credential', '2108', {}), STAMP, NO_FACTS, new Date()).steps.find((s) => s.id === 'run')?.command ?? '';
    expect(keepUser).toContain('{ param($password) Set-BmcCredential -BmcPassword $password } -ArgumentList $bmcPassword');
    expect(keepUser).not.toContain('BmcUser');
  });

  it('runs internal rotation without -Internal before 1811 and mentions the root CA from 2108', () => {
    const old = buildChecklist(run('internal-secrets', '1809'), STAMP, NO_FACTS, new Date());
    const oldRun = old.steps.find((s) => s.id === 'run');
    const cmd = oldRun?.command ?? '';
    expect(cmd).toContain('Start-SecretRotation }');
    expect(cmd).not.toContain('-Internal');
    // Without the certificate parameters the pre-1811 command rotates the internal secrets only.
    expect(oldRun?.notes.join(' ')).toContain('rotates the internal secrets only');
    expect(oldRun?.notes.join(' ')).not.toContain('rotates internal and external secrets together.');
    expect(old.steps.find((s) => s.id === 'outcome')?.command).toContain('{ Start-SecretRotation -ReRun }');
    expect(old.steps.find((s) => s.id === 'reason')?.notes.join(' ')).toContain('must update to 1811 or later first');
    const recent = buildChecklist(run('internal-secrets', '2108'), STAMP, NO_FACTS, new Date());
    const step = recent.steps.find((s) => s.id === 'run');
    expect(step?.command).toContain('Start-SecretRotation -Internal');
    expect(step?.notes.join(' ')).toContain('root CA');
    const mid = buildChecklist(run('internal-secrets', '1910'), STAMP, NO_FACTS, new Date());
    expect(mid.steps.find((s) => s.id === 'run')?.notes.join(' ')).not.toContain('root CA');
  });

  it('shows the CA transition rules of the stamp’s version', () => {
    const pki = (v: string) => buildChecklist(run('external-certificates', v), STAMP, NO_FACTS, new Date()).steps.find((s) => s.id === 'pki-requirements')?.notes ?? [];
    expect(pki('1901').join(' ')).toContain('Before 1903');
    expect(pki('1903').join(' ')).toContain('From 1903');
    expect(pki('1809')).toHaveLength(1);
  });

  it('runs the readiness group from 1811 and the whole Test-AzureStack before it', () => {
    const readiness = (id: ProcedureRunRecord['procedureId'], v: string) => buildChecklist(run(id, v), STAMP, NO_FACTS, new Date()).steps.find((s) => s.id === 'readiness');
    expect(readiness('external-certificates', '1811')?.command).toContain('{ Test-AzureStack -Group SecretRotationReadiness }');
    expect(readiness('external-certificates', '1809')?.command).toContain('{ Test-AzureStack }');
    expect(readiness('external-certificates', '1809')?.notes.join(' ')).toContain('documented from 1811');
    expect(readiness('internal-secrets', '1809')?.command).toContain('{ Test-AzureStack }');
    expect(readiness('internal-secrets', '2108')?.command).toContain('-Group SecretRotationReadiness');
  });

  it('gates only the first external rotation on readiness: internal rotations and reruns do not wait for it', () => {
    const external = buildChecklist(run('external-certificates', '2108'), STAMP, NO_FACTS, new Date());
    expect(external.steps.find((s) => s.id === 'readiness')?.optional).toBe(false);
    for (const id of ['internal-secrets', 'root-ca'] as const) {
      const checklist = buildChecklist(run(id, '2108'), STAMP, NO_FACTS, new Date());
      const readiness = checklist.steps.find((s) => s.id === 'readiness');
      expect(readiness, id).toMatchObject({ optional: true, title: 'Readiness test run (recommended)' });
      // Every required step but the optional readiness confirmed: the procedure is complete.
      const confirmed = checklist.steps.filter((s) => !s.optional).map((s) => ({ stepId: s.id, confirmedAt: '2026-01-01T00:00:00.000Z', note: null, actor: 't' }));
      expect(buildChecklist({ ...run(id, '2108'), confirmations: confirmed }, STAMP, NO_FACTS, new Date()).complete, id).toBe(true);
    }
  });

  it('reruns a failed external rotation with -ReRun alone', () => {
    const outcome = buildChecklist(run('external-certificates', '2108', { pfxFilesPath: '\\\\fs\\rot\\Certificates' }), STAMP, NO_FACTS, new Date()).steps.find((s) => s.id === 'outcome');
    expect(outcome?.command).toContain('Invoke-Command -Session $session -ScriptBlock { Start-SecretRotation -ReRun }');
    expect(outcome?.command).not.toMatch(/PfxFilesPath|PathAccessCredential|CertificatePassword|ArgumentList/);
  });

  it('opens every PEP procedure with the WinRM TrustedHosts step, before the first session', () => {
    const stamp = { ...STAMP, ercsIps: ['10.0.0.1', 'AZS-ERCS02'] };
    for (const p of PROCEDURES.filter((d) => d.shell === 'PEP session')) {
      const checklist = buildChecklist(run(p.id, '2108'), stamp, NO_FACTS, new Date());
      const index = checklist.steps.findIndex((s) => s.id === 'trusted-hosts');
      expect(index, p.id).toBeGreaterThanOrEqual(0);
      const firstSession = checklist.steps.findIndex((s) => s.command?.includes('New-PSSession'));
      expect(index, p.id).toBeLessThan(firstSession);
      const step = checklist.steps[index]!;
      expect(step.command).toContain("winrm s winrm/config/client '@{TrustedHosts=\"10.0.0.1,AZS-ERCS02\"}'");
      expect(step.command).toContain('(Get-Item WSMan:\\localhost\\Client\\TrustedHosts).Value');
      expect(step.notes.join(' ')).toContain("Set-Item WSMan:\\localhost\\Client\\TrustedHosts -Value '10.0.0.1,AZS-ERCS02' -Concatenate -Force");
    }
    for (const p of PROCEDURES.filter((d) => d.shell !== 'PEP session')) expect(p.steps.map((s) => s.id), p.id).not.toContain('trusted-hosts');
  });

  it('adds the delete-old-secret step only for a new registry user', () => {
    expect(ids('container-registry', '2108', { newUser: 'yes' })).toContain('delete-old-user');
    expect(ids('container-registry', '2108', { newUser: 'no' })).not.toContain('delete-old-user');
  });
});
