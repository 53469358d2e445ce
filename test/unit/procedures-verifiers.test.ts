import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { confirmStep, finishProcedure, getChecklist, pfxThumbprint, startProcedure, unconfirmStep, type ProcedureContext } from '../../electron/services/procedures/index';
import { gatherFacts } from '../../electron/services/procedures/facts';
import { Store } from '../../electron/services/store/index';
import { evaluateVerifier, NO_FACTS, UNAVAILABLE_MESSAGE, type RpCertificateFact, type ValidationFact } from '../../shared/procedures/verifiers';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { certificate, report, stampInput, tempDir } from './ipc-fixtures';

function fact(overrides: Partial<ValidationFact> = {}): ValidationFact {
  return {
    runId: 4,
    status: 'ok',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    summary: { ok: 11, warning: 0, fail: 0 },
    structure: { status: 'ok', problems: 0 },
    certificates: 11,
    checks: { 'password-characters': { ok: 11, warning: 0, fail: 0, skipped: 0 }, 'pfx-encryption': { ok: 10, warning: 0, fail: 1, skipped: 0 }, 'ca-transition': { ok: 0, warning: 11, fail: 0, skipped: 0 } },
    ...overrides,
  };
}

describe('verifiers (pure)', () => {
  it('passes validation-green only for an all-green run and links the run', () => {
    const green = evaluateVerifier('validation-green', { ...NO_FACTS, validation: fact() });
    expect(green).toMatchObject({ state: 'passed', evidence: { kind: 'validation-run', id: 4 } });
    expect(evaluateVerifier('validation-green', { ...NO_FACTS, validation: fact({ status: 'warning', summary: { ok: 10, warning: 1, fail: 0 } }) }).state).toBe('failed');
    expect(evaluateVerifier('validation-green', NO_FACTS).state).toBe('pending');
    expect(evaluateVerifier('validation-green', { ...NO_FACTS, validation: fact({ status: 'cancelled', certificates: 0 }) }).state).toBe('failed');
  });

  it('judges single checks across the certificates', () => {
    const facts = { ...NO_FACTS, validation: fact() };
    expect(evaluateVerifier('password-rules', facts).state).toBe('passed');
    expect(evaluateVerifier('pfx-encryption', facts)).toMatchObject({ state: 'failed', message: expect.stringContaining('1 certificate') });
    expect(evaluateVerifier('ca-transition', facts)).toMatchObject({ state: 'passed', message: expect.stringContaining('11 warning') });
    expect(evaluateVerifier('share-tree', { ...NO_FACTS, validation: fact({ structure: { status: 'fail', problems: 2 } }) }).state).toBe('failed');
    expect(evaluateVerifier('share-tree', { ...NO_FACTS, validation: fact({ structure: null }) }).state).toBe('failed');
  });

  it('keeps steps without a recording service manual, and uses recorded facts when there are some', () => {
    expect(evaluateVerifier('backup-verified', NO_FACTS)).toMatchObject({ state: 'unavailable', message: UNAVAILABLE_MESSAGE });
    const evidence = { kind: 'backup' as const, id: 3, label: 'Backup 3', at: 't' };
    expect(evaluateVerifier('backup-verified', { ...NO_FACTS, backup: { kind: 'recorded', healthy: true, detail: 'ok', evidence } }).state).toBe('passed');
    expect(evaluateVerifier('readiness-healthy', { ...NO_FACTS, readiness: { kind: 'none' } }).state).toBe('pending');
  });

  it('judges a provider certificate only from a validation that checked it', () => {
    const rp = (fact: RpCertificateFact | null) => evaluateVerifier('rp-certificate', { ...NO_FACTS, validation: fact === null ? null : { runId: 1, status: 'ok', startedAt: 't', finishedAt: 't', summary: { ok: 1, warning: 0, fail: 0 }, structure: null, certificates: 1, checks: {} }, rpCertificate: fact });
    // A green validation of something else is no evidence for the provider's certificate.
    expect(rp({ kind: 'none', productId: 'Microsoft.Eventhub', endpoint: 'EventHubs' })).toMatchObject({ state: 'pending', evidence: null, message: expect.stringContaining('EventHubs') });
    expect(rp({ kind: 'no-endpoint', productId: 'Microsoft.Contoso' })).toMatchObject({ state: 'unavailable', message: expect.stringContaining('Microsoft.Contoso') });
    const recorded = { kind: 'recorded' as const, productId: 'Microsoft.Eventhub', endpoint: 'EventHubs', runId: 9, at: 't9', file: 'eh.pfx', failed: [], warned: [] };
    expect(rp({ ...recorded, status: 'ok' })).toMatchObject({ state: 'passed', evidence: { kind: 'validation-run', id: 9 } });
    expect(rp({ ...recorded, status: 'fail', failed: ['dns-names'] })).toMatchObject({ state: 'failed', message: expect.stringContaining('failed dns-names') });
    expect(rp({ ...recorded, status: 'warning', warned: ['ca-transition'] })).toMatchObject({ state: 'failed', message: expect.stringContaining('confirm manually with a note') });
  });
});

describe('procedures over the store', () => {
  let dir: string;
  let cleanup: () => void;
  let store: Store;
  let clock: Date;
  let ctx: ProcedureContext;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('procedures'));
    store = Store.open({ dataDir: dir });
    clock = new Date('2026-03-01T09:00:00.000Z');
    ctx = { store, actor: 'test:op', now: () => clock };
  });
  afterEach(() => {
    store.close();
    cleanup();
  });

  it('turns automatic steps green from the latest validation run and persists confirmations across reopen', () => {
    const stamp = store.stamps.create({ ...stampInput('Lab'), version: '2108' }, 't');
    const started = startProcedure(ctx, { stampId: stamp.id, procedureId: 'external-certificates', parameters: { pfxFilesPath: '\\\\fs\\rot\\Certificates' } });
    const pki = () => getChecklist(ctx, started.run.id).steps.find((s) => s.id === 'pki-requirements');
    expect(pki()?.status).toBe('open');
    store.runs.record(
      { stampId: stamp.id, root: '/share', identity: 'aad', region: 'east', fqdn: 'azurestack.contoso.com', source: 'cli', startedAt: '2026-03-01T08:00:00.000Z' },
      { status: 'fail', finishedAt: '2026-03-01T08:01:00.000Z', report: report('/share', [certificate('Public Portal', { 'pfx-encryption': 'fail' })]) },
    );
    expect(pki()?.status).toBe('failed');
    const runId = store.runs.record(
      { stampId: stamp.id, root: '/share', identity: 'aad', region: 'east', fqdn: 'azurestack.contoso.com', source: 'cli', startedAt: '2026-03-01T08:30:00.000Z' },
      { status: 'ok', finishedAt: '2026-03-01T08:31:00.000Z', report: report('/share', [certificate('Public Portal')]) },
    );
    expect(pki()).toMatchObject({ status: 'done', doneBy: 'auto' });
    expect(pki()?.verifiers[0]?.evidence).toMatchObject({ kind: 'validation-run', id: runId });

    clock = new Date('2026-03-01T09:05:00.000Z');
    confirmStep(ctx, started.run.id, 'prerequisites', '  change CR-42  ');
    expect(() => confirmStep(ctx, started.run.id, 'prerequisites', null)).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => confirmStep(ctx, started.run.id, 'no-such-step', null)).toThrow(expect.objectContaining({ code: 'conflict' }));
    store.close();
    store = Store.open({ dataDir: dir });
    ctx = { ...ctx, store };
    const reopened = getChecklist(ctx, started.run.id);
    expect(reopened.steps[0]?.confirmation).toEqual({ stepId: 'prerequisites', confirmedAt: '2026-03-01T09:05:00.000Z', note: 'change CR-42', actor: 'test:op' });
    expect(reopened.done).toBe(3);
    expect(reopened.steps.find((s) => s.id === 'share-tree')?.doneBy).toBe('auto');
    expect(() => finishProcedure(ctx, started.run.id, 'completed')).toThrow(expect.objectContaining({ code: 'conflict' }));
    unconfirmStep(ctx, started.run.id, 'prerequisites');
    expect(getChecklist(ctx, started.run.id).done).toBe(2);
    expect(finishProcedure(ctx, started.run.id, 'abandoned').run.state).toBe('abandoned');
    expect(store.audit.list({ subject: `procedure:${started.run.id}` }).map((e) => e.action)).toEqual([
      'procedure.abandon', 'procedure.unconfirm', 'procedure.confirm', 'procedure.start',
    ]);
  });

  it('turns the provider certificate step green only from a validation that checked that provider’s certificate', () => {
    const stamp = store.stamps.create({ ...stampInput('Lab'), identity: 'adfs', resourceProviders: ['eventhubs'] }, 't');
    const started = startProcedure(ctx, {
      stampId: stamp.id,
      procedureId: 'value-add-rp',
      parameters: { packageId: 'Microsoft.Eventhub.1.2003.0.0', secretName: 'eh', pfxFileName: 'C:\\eh.pfx' },
    });
    const step = () => getChecklist(ctx, started.run.id).steps.find((s) => s.id === 'certificate');
    const validate = (startedAt: string, root: string, certificates: ReturnType<typeof certificate>[]) =>
      store.runs.record(
        { stampId: stamp.id, root, identity: 'adfs', region: 'east', fqdn: 'azurestack.contoso.com', source: 'cli', startedAt },
        { status: certificates.some((c) => c.status === 'fail') ? 'fail' : 'ok', finishedAt: startedAt, report: report(root, certificates) },
      );
    expect(step()).toMatchObject({ status: 'open', doneBy: null });

    // An all-green validation of the ADFS share holds no Event Hubs certificate: the step stays open.
    validate('2026-03-01T08:00:00.000Z', '/shares/lab/Certificates', [certificate('ADFS'), certificate('Graph'), certificate('Public Portal')]);
    expect(step()).toMatchObject({ status: 'open', doneBy: null });
    expect(step()?.verifiers[0]).toMatchObject({ id: 'rp-certificate', state: 'pending', evidence: null });

    // Another provider's certificate does not count either.
    validate('2026-03-01T08:10:00.000Z', '/paas', [certificate('IoTHub')]);
    expect(step()?.status).toBe('open');

    const failing = validate('2026-03-01T08:20:00.000Z', 'C:\\eh.pfx', [certificate('EventHubs', { 'dns-names': 'fail' }, 'eh.pfx')]);
    expect(step()).toMatchObject({ status: 'failed' });
    expect(step()?.verifiers[0]).toMatchObject({ state: 'failed', evidence: { id: failing }, message: expect.stringContaining('dns-names') });

    const passing = validate('2026-03-01T08:30:00.000Z', 'C:\\eh.pfx', [certificate('EventHubs', {}, 'eh.pfx')]);
    expect(step()).toMatchObject({ status: 'done', doneBy: 'auto' });
    expect(step()?.verifiers[0]).toMatchObject({ state: 'passed', evidence: { kind: 'validation-run', id: passing, label: `Validation run ${passing}` } });

    // A later validation of the main share does not hide the provider's: the newest run that checked it counts.
    validate('2026-03-01T08:40:00.000Z', '/shares/lab/Certificates', [certificate('ADFS', { 'pfx-encryption': 'fail' })]);
    expect(step()).toMatchObject({ status: 'done', doneBy: 'auto' });
    expect(step()?.verifiers[0]?.evidence?.id).toBe(passing);

    // An IoT Hub run looks for the IoTHub certificate, not the Event Hubs one.
    const iot = startProcedure(ctx, { stampId: stamp.id, procedureId: 'value-add-rp', parameters: { productId: 'Microsoft.IotHub', packageId: 'Microsoft.IotHub.1.0.0.0', secretName: 'iot', pfxFileName: 'C:\\iot.pfx' } });
    expect(getChecklist(ctx, iot.run.id).steps.find((s) => s.id === 'certificate')?.status).toBe('done');
    expect(getChecklist(ctx, iot.run.id).steps.find((s) => s.id === 'certificate')?.verifiers[0]?.message).toContain('IoTHub');
  });

  it('reads backups, share tests and PEP test results the other services recorded', () => {
    const stamp = store.stamps.create({ ...stampInput('Lab'), version: '2108' }, 't');
    store.runs.record(
      { stampId: stamp.id, root: '/shares/lab/Certificates', identity: 'aad', region: 'east', fqdn: 'azurestack.contoso.com', source: 'cli', startedAt: 't1' },
      { status: 'ok', finishedAt: 't1', report: report('/shares/lab/Certificates', [certificate('Public Portal')]) },
    );
    expect(gatherFacts(store, stamp.id)).toMatchObject({ backup: { kind: 'none' }, shareAccess: { kind: 'none' }, readiness: { kind: 'none' }, postCheck: { kind: 'none' } });
    const audit = (action: string, detail: Record<string, unknown>) => store.audit.append({ actor: 'cli:op', action, subject: null, detail });

    audit('backup.create', { source: '/shares/other/Certificates', backupDir: '/backups/0', verified: true });
    expect(gatherFacts(store, stamp.id).backup.kind).toBe('none');
    audit('backup.create', { source: '/shares/lab/Certificates', backupDir: '/backups/1', verified: false });
    expect(gatherFacts(store, stamp.id).backup).toMatchObject({ kind: 'recorded', healthy: false });
    const verified = audit('backup.verify', { backupDir: '/backups/1', ok: true });
    expect(gatherFacts(store, stamp.id).backup).toMatchObject({ kind: 'recorded', healthy: true, evidence: { kind: 'backup', id: verified.id } });

    audit('share.test', { path: '/shares/lab', ok: false, problem: 'read-only' });
    expect(gatherFacts(store, stamp.id).shareAccess).toMatchObject({ kind: 'recorded', healthy: false, detail: expect.stringContaining('read-only') });
    audit('share.test', { path: '/shares/lab', ok: true, problem: null });
    expect(gatherFacts(store, stamp.id).shareAccess).toMatchObject({ kind: 'recorded', healthy: true });
    expect(gatherFacts(store, stamp.id, ['/elsewhere']).shareAccess.kind).toBe('recorded');

    const rotation = (rehearsal: boolean) =>
      store.rotations.create({
        stampId: stamp.id, stampName: 'Lab', kind: 'external', rehearsal, scenario: rehearsal ? 'success' : null, source: 'cli',
        startedAt: 't2', rerunOf: null, parameters: {}, ownerPid: 1, ownerHost: 'h',
      });
    const summary = (runId: number, step: string, value: boolean) =>
      store.rotations.appendEvents(runId, [{ level: value ? 'info' : 'error', type: 'test.summary', text: `Test returned ${value ? 'True' : 'False'}.`, data: { step, value } }]);
    const simulated = rotation(true);
    summary(simulated, 'readiness', true);
    // A rehearsal against the simulator is no evidence for a production stamp.
    expect(gatherFacts(store, stamp.id).readiness.kind).toBe('none');
    const real = rotation(false);
    summary(real, 'readiness', true);
    summary(real, 'external-certificates-check', false);
    const facts = gatherFacts(store, stamp.id);
    expect(facts.readiness).toMatchObject({ kind: 'recorded', healthy: true, evidence: { kind: 'rotation-run', id: real } });
    expect(facts.postCheck).toMatchObject({ kind: 'recorded', healthy: false });
    expect(evaluateVerifier('post-check-healthy', facts).state).toBe('failed');
  });

  it('refuses root CA before 2108, bad parameters, and a reinstall inside 10 minutes', () => {
    const old = store.stamps.create({ ...stampInput('Old'), version: '2102' }, 't');
    expect(() => startProcedure(ctx, { stampId: old.id, procedureId: 'root-ca', parameters: {} })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => startProcedure(ctx, { stampId: old.id, procedureId: 'value-add-rp', parameters: { packageId: 'Eventhub-1' } })).toThrow(expect.objectContaining({ code: 'invalid-request', message: expect.stringContaining('Package id') }));
    // The default product id counts: an IoT Hub package under the Event Hubs default is refused.
    expect(() => startProcedure(ctx, { stampId: old.id, procedureId: 'value-add-rp', parameters: { packageId: 'Microsoft.IotHub.1.2003.0.0', secretName: 's', pfxFileName: 'C:\\e.pfx' } })).toThrow(
      expect.objectContaining({ code: 'invalid-request', message: expect.stringContaining('product id Microsoft.Eventhub') }),
    );
    // A key that is no parameter is refused by name; its value is never repeated.
    let refusal: unknown;
    try {
      startProcedure(ctx, { stampId: old.id, procedureId: 'value-add-rp', parameters: { packageId: 'Microsoft.Eventhub.1.2003.0.0', secretName: 's', pfxFileName: 'C:\\e.pfx', password: 'Hunter2!' } });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'invalid-request', message: expect.stringContaining('"password" is not a parameter'), hint: expect.stringContaining('productId, packageId, secretName, pfxFileName') });
    expect(JSON.stringify({ ...(refusal as object), message: (refusal as Error).message })).not.toContain('Hunter2');
    const eh = startProcedure(ctx, { stampId: old.id, procedureId: 'value-add-rp', parameters: { packageId: 'Microsoft.Eventhub.1.2003.0.0', secretName: 's', pfxFileName: 'C:\\e.pfx' } });
    expect(() => confirmStep(ctx, eh.run.id, 'reinstall', null)).toThrow(expect.objectContaining({ message: expect.stringContaining('first') }));
    confirmStep(ctx, eh.run.id, 'uninstall', null);
    clock = new Date(clock.getTime() + 9 * 60_000);
    expect(() => confirmStep(ctx, eh.run.id, 'reinstall', null)).toThrow(expect.objectContaining({ message: expect.stringContaining('10 minutes') }));
    clock = new Date(clock.getTime() + 60_000);
    expect(confirmStep(ctx, eh.run.id, 'reinstall', null).steps.find((s) => s.id === 'reinstall')?.status).toBe('done');
  });

  it('computes a PFX thumbprint with the engine, and refuses a wrong password', () => {
    const manifest = loadFixtureManifest();
    const valid = manifest.fileVariants.find((v) => v.name === 'valid-3des');
    if (!valid) throw new Error('no fixture variant');
    const result = pfxThumbprint(valid.file, valid.password);
    expect(result.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(() => pfxThumbprint(valid.file, 'wrong-password')).toThrow(expect.objectContaining({ code: 'invalid-request' }));
  });
});
