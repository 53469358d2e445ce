/**
 * A support bundle with fixed contents and fixed dates, for review-mode tests and screenshot baselines.
 *
 * Made by the real `buildBundle` / `writeBundle` from a throw-away store: a customer stamp whose current CA
 * kind is unknown, a validation run whose report has certificates in every expiry band, an external
 * rotation run that failed inside the action plan (with its session, readiness and stamp information), and
 * an open checklist. Everything is dated around `REVIEW_BUNDLE_CREATED_AT`, so what a reviewer sees does not
 * depend on the day the test runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildBundle, writeBundle } from '../../electron/services/bundle/index';
import { Store } from '../../electron/services/store/store';
import { CHECK_IDS, summarize, worstStatus, type CertificateReport, type CheckId, type CheckStatus, type ValidationReport } from '../../shared/certificates/report';
import { judgeTransition } from '../../shared/certificates/ca-transition';
import type { NewRunEvent } from '../../shared/rotation/rotation-run';

/** When the bundle was made (its days-left figures are counted at this time). */
export const REVIEW_BUNDLE_CREATED_AT = '2026-03-02T09:30:00.000Z';
/** The app version the bundle's manifest names. */
export const REVIEW_BUNDLE_APP_VERSION = '1.4.2';
/** The customer's stamp in the bundle. */
export const REVIEW_STAMP = 'Contoso West';

const T = (hhmmss: string, day = '2026-03-02') => `${day}T${hhmmss}.000Z`;

function cert(endpoint: string, notAfter: string, overrides: Partial<Record<CheckId, { status: CheckStatus; message: string; remediation: string }>> = {}): CertificateReport {
  const host = `${endpoint.toLowerCase().replace(/\s+/g, '')}.west.azurestack.contoso.com`;
  const unknownCa = judgeTransition('unknown', 'enterprise', '2206');
  const checks = CHECK_IDS.map((id) => {
    const o = overrides[id];
    if (o) return { id, ...o };
    if (id === 'ca-transition') return { id, status: unknownCa.status, message: unknownCa.message, remediation: 'Use a CA kind the stamp version supports, or update the stamp first.' };
    if (id === 'expiry') return { id, status: 'ok' as const, message: `Valid until ${notAfter} (400 days left).`, remediation: '' };
    return { id, status: 'ok' as const, message: `${id} is fine.`, remediation: '' };
  });
  return {
    endpoint,
    folder: `Certificates/ADFS/${endpoint}`,
    file: `${endpoint}/${endpoint.toLowerCase().replace(/\s+/g, '-')}.pfx`,
    status: worstStatus(checks.map((c) => c.status)),
    checks,
    leaf: { subject: `CN=${host}`, issuer: 'CN=Contoso Issuing CA 2', sans: [host], notBefore: '2025-03-01T00:00:00.000Z', notAfter, thumbprint: '3F'.repeat(20) },
    chain: [
      { subject: `CN=${host}`, issuer: 'CN=Contoso Issuing CA 2', notAfter, thumbprint: '3F'.repeat(20) },
      { subject: 'CN=Contoso Issuing CA 2', issuer: 'CN=Contoso Root CA', notAfter: '2029-06-30T00:00:00.000Z', thumbprint: '7A'.repeat(20) },
      { subject: 'CN=Contoso Root CA', issuer: 'CN=Contoso Root CA', notAfter: '2034-06-30T00:00:00.000Z', thumbprint: 'C4'.repeat(20) },
    ],
  };
}

function report(): ValidationReport {
  const certificates = [
    cert('Public Portal', '2026-02-20T12:00:00.000Z', {
      expiry: { status: 'fail', message: 'Expired on 2026-02-20T12:00:00.000Z.', remediation: 'Have the certificate reissued with a validity period that covers the rotation.' },
    }),
    cert('ARM Public', '2026-03-20T08:00:00.000Z', {
      expiry: { status: 'fail', message: 'Expires on 2026-03-20T08:00:00.000Z: 17 day(s) left, fewer than 7.', remediation: 'Have the certificate reissued.' },
    }),
    cert('Admin Portal', '2026-04-25T08:00:00.000Z', {
      expiry: { status: 'warning', message: "Expires on 2026-04-25T08:00:00.000Z: 53 days left; the portal's 90-day alert would fire at once.", remediation: 'Have the certificate reissued.' },
    }),
    cert('ARM Admin', '2027-03-01T08:00:00.000Z'),
    cert('KeyVault', '2027-03-01T08:00:00.000Z'),
    cert('ACSBlob', '2027-03-01T08:00:00.000Z'),
  ];
  return {
    schemaVersion: 1,
    root: 'D:\\rotation\\west\\Certificates',
    identity: 'adfs',
    region: 'west',
    fqdn: 'azurestack.contoso.com',
    generatedAt: T('08:12:40'),
    structure: { status: 'ok', problems: [] },
    certificates,
    summary: summarize(certificates),
  };
}

function rotationEvents(): NewRunEvent[] {
  const e = (at: string, type: string, text: string, data: Record<string, unknown> | null = null, level: NewRunEvent['level'] = 'info'): NewRunEvent => ({ at: T(at), type, text, data, level });
  const step = (at: string, name: string, status: string, index: number, level: NewRunEvent['level'] = 'info') => e(at, 'action-plan.step', `Step '${name}' status: '${status}'`, { step: 'start-secret-rotation', name, status, index }, level);
  return [
    e('08:20:00', 'run.note', 'external rotation of Contoso West through the PEP (10.20.0.224, 10.20.0.225, 10.20.0.226).', { rehearsal: false }),
    e('08:20:01', 'preflight.check', 'The share validated green in run 1.', { id: 'share-validated', status: 'ok' }),
    e('08:20:01', 'preflight.check', 'A verified backup of the share exists.', { id: 'backup', status: 'ok' }),
    e('08:20:02', 'run.note', 'Starting powershell.exe.', { command: 'powershell.exe', simulator: false }),
    e('08:20:04', 'session.connecting', 'Opening a PEP session to 10.20.0.224', { ercs: '10.20.0.224' }),
    e('08:20:25', 'session.failed', 'ERCS 10.20.0.224: WinRM cannot complete the operation.', { ercs: '10.20.0.224', cause: 'unreachable' }, 'warning'),
    e('08:20:26', 'session.connecting', 'Opening a PEP session to 10.20.0.225', { ercs: '10.20.0.225' }),
    e('08:20:31', 'session.opened', 'PEP session opened on 10.20.0.225', { ercs: '10.20.0.225' }),
    e('08:20:31', 'step.started', 'Get-AzureStackStampInformation', { step: 'stamp-information' }),
    e('08:20:39', 'stamp.info', 'Stamp information: version 1.2206.1.24; region west; root CA CN=AzureStackCertificationAuthority expires 2026-09-14.', {
      stampVersion: '1.2206.1.24',
      regionName: 'west',
      externalDomainFqdn: 'azurestack.contoso.com',
      emergencyConsoleIpAddresses: ['10.20.0.224', '10.20.0.225', '10.20.0.226'],
      rootCaCertificates: [{ subject: 'CN=AzureStackCertificationAuthority', notAfter: '2026-09-14T11:05:00.000Z' }],
    }),
    e('08:20:39', 'step.finished', 'Get-AzureStackStampInformation: done', { step: 'stamp-information', ok: true }),
    e('08:20:40', 'step.started', 'Test-AzureStack -Group SecretRotationReadiness', { step: 'readiness' }),
    e('08:24:10', 'test.result', 'PASS Azure Stack Infrastructure Capacity', { step: 'readiness', result: 'PASS', test: 'Azure Stack Infrastructure Capacity' }),
    e('08:24:12', 'test.result', 'PASS Azure Stack Portal and API Summary', { step: 'readiness', result: 'PASS', test: 'Azure Stack Portal and API Summary' }),
    e('08:24:15', 'test.summary', 'Test-AzureStack -Group SecretRotationReadiness returned True.', { step: 'readiness', value: true }),
    e('08:24:15', 'step.finished', 'Test-AzureStack -Group SecretRotationReadiness: done', { step: 'readiness', ok: true }),
    e('08:24:16', 'step.started', 'Start-SecretRotation -PfxFilesPath \\\\10.20.0.5\\rotation\\Certificates -PathAccessCredential <CONTOSO\\svc-rotate> -CertificatePassword <secure>', { step: 'start-secret-rotation' }),
    e('08:24:20', 'action-plan.instance', 'Action plan instance ID specified: 6d0f2c1e-4b7a-4a57-9c1e-2f3b8a9d0e11', { step: 'start-secret-rotation', instanceId: '6d0f2c1e-4b7a-4a57-9c1e-2f3b8a9d0e11' }),
    step('08:24:45', 'Validate the new certificates on the share', 'InProgress', 1),
    step('08:31:05', 'Import the certificates into the infrastructure secret store', 'InProgress', 2),
    step('08:38:50', 'Rotate the Azure Resource Manager and portal certificates', 'InProgress', 3),
    step('08:52:30', 'Rotate the storage endpoint certificates', 'InProgress', 4),
    step('09:01:12', 'Rotate the storage endpoint certificates', 'Error', 4, 'error'),
    e('09:01:14', 'action-plan.finished', "Action plan finished with status: 'Failed'", { step: 'start-secret-rotation', status: 'Failed' }, 'error'),
    e('09:01:15', 'ps.error', "Task: Invocation of interface 'Rotate' of role 'Cloud\\Fabric\\ACS' failed.", { step: 'start-secret-rotation', hint: 'Restore, then rerun with -ReRun.' }, 'error'),
    e('09:01:15', 'step.finished', 'Start-SecretRotation: did not succeed', { step: 'start-secret-rotation', ok: false }, 'warning'),
    e('09:01:18', 'session.closed', 'PEP session on 10.20.0.225 closed', { ercs: '10.20.0.225' }),
  ];
}

/**
 * Writes the bundle to `file` and returns its path.
 *
 * The store it is built from lives in a temporary folder removed before returning.
 */
export async function writeReviewBundle(file: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'azs-review-bundle-'));
  const store = Store.open({ dataDir: dir });
  try {
    const stamp = store.stamps.create(
      {
        name: REVIEW_STAMP,
        region: 'west',
        externalFqdn: 'azurestack.contoso.com',
        identity: 'adfs',
        version: '2206',
        ercsIps: ['10.20.0.224', '10.20.0.225', '10.20.0.226'],
        currentCaKind: 'unknown',
        resourceProviders: ['eventhubs'],
        rehearsal: false,
      },
      T('07:55:00', '2026-02-27'),
    );
    const runId = store.runs.start({ stampId: stamp.id, root: 'D:\\rotation\\west\\Certificates', identity: 'adfs', region: 'west', fqdn: 'azurestack.contoso.com', currentCa: 'unknown', stampVersion: '2206', source: 'app', startedAt: T('08:12:31') });
    const validated = report();
    store.runs.finish(runId, { status: 'fail', finishedAt: T('08:12:40'), report: validated, error: null });

    const rotationId = store.rotations.create({
      stampId: stamp.id,
      stampName: stamp.name,
      kind: 'external',
      rehearsal: false,
      scenario: null,
      source: 'app',
      startedAt: T('08:20:00'),
      rerunOf: null,
      parameters: { share: 'D:\\rotation\\west\\Certificates', pfxFilesPath: '\\\\10.20.0.5\\rotation\\Certificates', estimateSeconds: 3600, rerun: false },
      ownerPid: 1,
      ownerHost: 'jumphost-01',
    });
    const events = rotationEvents();
    store.rotations.transition(rotationId, { to: 'preflight', at: T('08:20:00') });
    store.rotations.appendEvents(rotationId, events.slice(0, 16));
    store.rotations.transition(rotationId, { to: 'running', at: T('08:24:16'), event: { level: 'info', text: 'State: running.', data: { step: 'start-secret-rotation' } } });
    store.rotations.setFacts(rotationId, { ercs: '10.20.0.225', actionPlanInstanceId: '6d0f2c1e-4b7a-4a57-9c1e-2f3b8a9d0e11', pepStartedAt: T('08:24:16') });
    store.rotations.appendEvents(rotationId, events.slice(16));
    store.rotations.transition(rotationId, {
      to: 'failed',
      at: T('09:01:20'),
      outcome: "Action plan 6d0f2c1e-4b7a-4a57-9c1e-2f3b8a9d0e11 finished with status 'Failed'.",
      event: { level: 'error', text: "Action plan 6d0f2c1e-4b7a-4a57-9c1e-2f3b8a9d0e11 finished with status 'Failed'.", data: null },
    });

    const checklist = store.procedures.start({ stampId: stamp.id, stampName: stamp.name, procedureId: 'external-certificates', stampVersion: '2206', parameters: {}, startedAt: T('08:00:00') });
    store.procedures.confirm(checklist, { stepId: 'prerequisites', confirmedAt: T('08:05:10'), actor: 'app:operator', note: 'Change CHG0042 approved' });

    const built = buildBundle(store, {
      runs: [
        { kind: 'validation', id: runId },
        { kind: 'rotation', id: rotationId },
      ],
      mask: { ips: false, hosts: false, users: false },
      appVersion: REVIEW_BUNDLE_APP_VERSION,
      now: new Date(REVIEW_BUNDLE_CREATED_AT),
    });
    await writeBundle(built, file);
    return file;
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
