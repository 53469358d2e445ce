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

  it('asks for the OEM BMC update before 1910 only', () => {
    expect(ids('bmc-credential', '1908')).toContain('oem-update');
    expect(ids('bmc-credential', '1910')).not.toContain('oem-update');
    const before = buildChecklist(run('bmc-credential', '1908', { bmcUser: 'azsbmc' }), STAMP, NO_FACTS, new Date());
    expect(before.steps.find((s) => s.id === 'run')?.command).toContain('-BypassBMCUpdate');
    const after = buildChecklist(run('bmc-credential', '2108', { bmcUser: 'azsbmc' }), STAMP, NO_FACTS, new Date());
    expect(after.steps.find((s) => s.id === 'run')?.command).not.toContain('-BypassBMCUpdate');
    expect(after.omitted.map((o) => o.id)).toEqual(['oem-update']);
    const keepUser = buildChecklist(run('bmc-credential', '2108', {}), STAMP, NO_FACTS, new Date()).steps.find((s) => s.id === 'run')?.command ?? '';
    expect(keepUser).toContain('{ param($password) Set-BmcCredential -BmcPassword $password } -ArgumentList $bmcPassword');
    expect(keepUser).not.toContain('BmcUser');
  });

  it('runs internal rotation without -Internal before 1811 and mentions the root CA from 2108', () => {
    const old = buildChecklist(run('internal-secrets', '1809'), STAMP, NO_FACTS, new Date());
    const cmd = old.steps.find((s) => s.id === 'run')?.command ?? '';
    expect(cmd).toContain('Start-SecretRotation }');
    expect(cmd).not.toContain('-Internal');
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

  it('adds the delete-old-secret step only for a new registry user', () => {
    expect(ids('container-registry', '2108', { newUser: 'yes' })).toContain('delete-old-user');
    expect(ids('container-registry', '2108', { newUser: 'no' })).not.toContain('delete-old-user');
  });
});
