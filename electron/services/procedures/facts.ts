/**
 * Gathers the facts the procedure verifiers judge, from what the store recorded for a stamp.
 *
 * Sources: the latest validation run of the stamp; for a value-add provider, the newest validation run of
 * the stamp that checked the provider's own certificate; backups and share tests from the audit log
 * (matched to the stamp through the folders validated for it, or the share path the procedure names);
 * readiness and post-check results from the stamp's PEP rotation runs. Simulated runs count only for
 * rehearsal stamps, so a rehearsal never turns a production checklist green.
 */
import { CHECK_IDS, type CheckId } from '../../../shared/certificates/report';
import { productEndpoint } from '../../../shared/procedures/render';
import { readinessCommand } from '../../../shared/rotation/version-rules';
import type { CheckTally, ProcedureFacts, RecordedFact, RpCertificateFact, ValidationFact } from '../../../shared/procedures/verifiers';
import type { Stamp } from '../../../shared/stamps/stamp';
import { auditDetailString, latestRecordedBackup, pathsRelated } from '../backup-trail';
import type { AuditEvent, Store } from '../store/index';

/** How far back the audit log is searched for backups and share tests. */
const AUDIT_WINDOW = 2000;
/** How many rotation runs of the stamp are searched for test results. */
const RUN_WINDOW = 20;
/** How many validation runs of the stamp are searched for a provider's certificate. */
const VALIDATION_WINDOW = 50;

/** The latest validation run of a stamp reduced to what verifiers need, or null when there is none. */
export function latestValidationFact(store: Store, stampId: number): ValidationFact | null {
  const [latest] = store.runs.list({ stampId, limit: 1 });
  if (!latest) return null;
  const stored = store.runs.get(latest.id);
  const report = stored?.report ?? null;
  const checks: Partial<Record<CheckId, CheckTally>> = {};
  for (const cert of report?.certificates ?? []) {
    for (const check of cert.checks) {
      const tally = (checks[check.id] ??= { ok: 0, warning: 0, fail: 0, skipped: 0 });
      tally[check.status] += 1;
    }
  }
  return {
    runId: latest.id,
    status: latest.status,
    startedAt: latest.startedAt,
    finishedAt: latest.finishedAt,
    summary: latest.summary,
    structure: report && report.identity !== null ? { status: report.structure.status, problems: report.structure.problems.length } : null,
    certificates: report?.certificates.length ?? 0,
    checks,
  };
}

/**
 * The newest validation of the stamp that checked the certificate of a value-add product's endpoint.
 *
 * Runs that checked only other endpoints (the external share, another provider) are passed over: they
 * say nothing about this certificate. Within the run every file of the endpoint counts: one failing file fails it.
 */
export function rpCertificateFact(store: Store, stampId: number, productId: string): RpCertificateFact {
  const endpoint = productEndpoint(productId);
  if (!endpoint) return { kind: 'no-endpoint', productId };
  const wanted = endpoint.name.toLowerCase();
  for (const run of store.runs.list({ stampId, limit: VALIDATION_WINDOW })) {
    // A running validation has not judged the certificate yet; an older finished one still may have.
    if (run.status === 'running') continue;
    const rows = store.runs.results(run.id).filter((r) => r.endpoint.toLowerCase() === wanted);
    if (rows.length === 0) continue;
    const statusOf = (checkId: string) => rows.filter((r) => r.checkId === checkId).map((r) => r.status);
    const failed = CHECK_IDS.filter((id) => statusOf(id).includes('fail'));
    const warned = CHECK_IDS.filter((id) => !failed.includes(id) && statusOf(id).includes('warning'));
    return {
      kind: 'recorded',
      productId,
      endpoint: endpoint.name,
      runId: run.id,
      at: run.finishedAt ?? run.startedAt,
      file: [...new Set(rows.map((r) => r.file))].join(', '),
      status: failed.length > 0 ? 'fail' : warned.length > 0 ? 'warning' : 'ok',
      failed,
      warned,
    };
  }
  return { kind: 'none', productId, endpoint: endpoint.name };
}

function backupFact(events: AuditEvent[], folders: string[]): RecordedFact {
  const backup = latestRecordedBackup(events, folders);
  if (!backup) return { kind: 'none' };
  const { backupDir, at, healthy } = backup;
  return {
    kind: 'recorded',
    healthy,
    detail: healthy
      ? `Backup in ${backupDir} verified against its SHA-256 manifest (${at}).`
      : `The backup in ${backupDir} did not verify (${at}): make a new one before rotating.`,
    evidence: { kind: 'backup', id: backup.evidenceId, label: `Backup ${backupDir}`, at },
  };
}

function shareFact(events: AuditEvent[], folders: string[]): RecordedFact {
  const test = events.find((e) => e.action === 'share.test' && folders.some((f) => pathsRelated(auditDetailString(e, 'path') ?? '', f)));
  if (!test) return { kind: 'none' };
  const target = auditDetailString(test, 'path') ?? '';
  const healthy = test.detail?.ok === true;
  const problem = auditDetailString(test, 'problem');
  return {
    kind: 'recorded',
    healthy,
    detail: healthy
      ? `List, create, read back and delete proven on ${target} (${test.at}).`
      : `The share test of ${target} failed${problem ? ` (${problem})` : ''} (${test.at}).`,
    evidence: { kind: 'share-test', id: test.id, label: `Share test of ${target}`, at: test.at },
  };
}

function testFact(store: Store, stamp: Stamp, step: 'readiness' | 'external-certificates-check', what: string): RecordedFact {
  const runs = store.rotations
    .list({ stampName: stamp.name, limit: RUN_WINDOW })
    .filter((r) => r.stampId === stamp.id && r.rehearsal === stamp.rehearsal && (step === 'readiness' || r.kind === 'external'));
  for (const run of runs) {
    const summary = store.rotations
      .events(run.id, { limit: 100_000 })
      .filter((e) => e.type === 'test.summary' && e.data?.step === step)
      .at(-1);
    if (!summary) continue;
    const healthy = summary.data?.value === true;
    return {
      kind: 'recorded',
      healthy,
      detail: `${what} in rotation run ${run.id}${run.rehearsal ? ' (rehearsal)' : ''}: ${summary.text}`,
      evidence: { kind: 'rotation-run', id: run.id, label: `Rotation run ${run.id}`, at: summary.at },
    };
  }
  return { kind: 'none' };
}

/**
 * Every fact the verifiers read for a stamp.
 *
 * `paths` adds folders the procedure names (the share path of an external rotation) to those validated
 * for the stamp, for matching backups and share tests; `productId` (value-add procedure) asks for the
 * validation of that provider's certificate.
 */
export function gatherFacts(store: Store, stampId: number, paths: readonly string[] = [], productId: string | null = null): ProcedureFacts {
  const stamp = store.stamps.get(stampId);
  if (!stamp) {
    return {
      validation: null,
      backup: { kind: 'none' },
      shareAccess: { kind: 'none' },
      readiness: { kind: 'none' },
      postCheck: { kind: 'none' },
      rpCertificate: productId === null ? null : rpCertificateFact(store, stampId, productId),
    };
  }
  const folders = [...new Set([...store.runs.list({ stampId, limit: 50 }).map((r) => r.root), ...paths.filter((p) => p.trim())])];
  const events = store.audit.list({ limit: AUDIT_WINDOW });
  return {
    validation: latestValidationFact(store, stampId),
    backup: backupFact(events, folders),
    shareAccess: shareFact(events, folders),
    readiness: testFact(store, stamp, 'readiness', readinessCommand(stamp.version)),
    postCheck: testFact(store, stamp, 'external-certificates-check', 'Test-AzureStack -Include AzsExternalCertificates'),
    rpCertificate: productId === null ? null : rpCertificateFact(store, stampId, productId),
  };
}
