/**
 * Automatic verifiers: judge a step from facts the app already recorded (validation runs, backups,
 * share tests, PEP test results), never by reaching out to the stamp.
 *
 * Facts are gathered by the service from the store; this module only decides, so the rules are tested
 * without a database and the renderer can explain a verdict with the same words.
 */
import type { CertificateStatus, CheckId } from '../certificates/report';
import type { VerifierId } from './model';

/** Where a verdict came from, so the checklist can link to it. */
export interface Evidence {
  kind: 'validation-run' | 'rotation-run' | 'backup' | 'share-test';
  id: number;
  label: string;
  at: string;
}

/** Counts of one check id across the certificates of a validation report. */
export interface CheckTally {
  ok: number;
  warning: number;
  fail: number;
  skipped: number;
}

/** The latest finished validation of the stamp, reduced to what verifiers need. */
export interface ValidationFact {
  runId: number;
  status: 'ok' | 'warning' | 'fail' | 'cancelled' | 'error' | 'running';
  startedAt: string;
  finishedAt: string | null;
  summary: { ok: number; warning: number; fail: number };
  /** Null when the run has no report (cancelled, error) or validated a single file. */
  structure: { status: 'ok' | 'fail'; problems: number } | null;
  certificates: number;
  checks: Partial<Record<CheckId, CheckTally>>;
}

/**
 * A fact recorded by another part of the app (backup verification, share test, PEP tests).
 *
 * `unavailable` means the app has no service recording it yet, so the step stays manual.
 */
export type RecordedFact =
  | { kind: 'unavailable' }
  | { kind: 'none' }
  | { kind: 'recorded'; healthy: boolean; detail: string; evidence: Evidence };

/**
 * The newest validation of a value-add provider's own certificate (the EventHubs endpoint for
 * `Microsoft.Eventhub`), from the validation runs of the stamp.
 *
 * `no-endpoint` when the catalog has no PaaS endpoint for the product id, `none` when no run of the stamp
 * checked a certificate of that endpoint, else the verdict on that certificate in the newest run that did.
 */
export type RpCertificateFact =
  | { kind: 'no-endpoint'; productId: string }
  | { kind: 'none'; productId: string; endpoint: string }
  | {
      kind: 'recorded';
      productId: string;
      endpoint: string;
      runId: number;
      at: string;
      /** The PFX file as the report names it. */
      file: string;
      status: CertificateStatus;
      /** Check ids that failed, then those with warnings. */
      failed: CheckId[];
      warned: CheckId[];
    };

/** Everything the verifiers read for one stamp. */
export interface ProcedureFacts {
  validation: ValidationFact | null;
  backup: RecordedFact;
  shareAccess: RecordedFact;
  readiness: RecordedFact;
  postCheck: RecordedFact;
  /** The provider certificate's validation, for the value-add procedure; null for the others. */
  rpCertificate: RpCertificateFact | null;
}

/** A verifier's verdict. */
export interface VerifierResult {
  id: VerifierId;
  state: 'passed' | 'failed' | 'pending' | 'unavailable';
  message: string;
  evidence: Evidence | null;
}

/** The message shown for a verifier whose service does not exist yet. */
export const UNAVAILABLE_MESSAGE = 'Automatic check not available yet: confirm manually.';

/** Short names of the verifiers, for lists and the runbook. */
export const VERIFIER_LABELS: Record<VerifierId, string> = {
  'validation-green': 'Latest validation all green',
  'password-rules': 'One password, no special characters',
  'pfx-encryption': 'TripleDES-SHA1 encryption',
  'ca-transition': 'CA transition supported',
  'share-tree': 'Folder tree complete',
  'backup-verified': 'Backup verified',
  'share-access': 'Share access proven',
  'readiness-healthy': 'Readiness test healthy',
  'post-check-healthy': 'Post-check healthy',
  'rp-certificate': 'Provider certificate validated',
};

/** Facts for a stamp the app knows nothing about yet: no validation, and the other services absent. */
export const NO_FACTS: ProcedureFacts = {
  validation: null,
  backup: { kind: 'unavailable' },
  shareAccess: { kind: 'unavailable' },
  readiness: { kind: 'unavailable' },
  postCheck: { kind: 'unavailable' },
  rpCertificate: null,
};

function validationEvidence(v: ValidationFact): Evidence {
  return { kind: 'validation-run', id: v.runId, label: `Validation run ${v.runId}`, at: v.finishedAt ?? v.startedAt };
}

const CHECK_OF: Partial<Record<VerifierId, CheckId>> = {
  'password-rules': 'password-characters',
  'pfx-encryption': 'pfx-encryption',
  'ca-transition': 'ca-transition',
};

function fromRecorded(id: VerifierId, fact: RecordedFact, what: string): VerifierResult {
  if (fact.kind === 'unavailable') return { id, state: 'unavailable', message: UNAVAILABLE_MESSAGE, evidence: null };
  if (fact.kind === 'none') return { id, state: 'pending', message: `No ${what} recorded for this stamp yet: run it from the app or the CLI, or confirm manually.`, evidence: null };
  return { id, state: fact.healthy ? 'passed' : 'failed', message: fact.detail, evidence: fact.evidence };
}

function fromValidation(id: VerifierId, v: ValidationFact | null): VerifierResult {
  if (!v) return { id, state: 'pending', message: 'No validation of this stamp’s share recorded yet: validate it in the Certificates workspace.', evidence: null };
  const evidence = validationEvidence(v);
  if (v.status === 'running') return { id, state: 'pending', message: `Validation run ${v.runId} is still running.`, evidence };
  if (v.status === 'cancelled' || v.status === 'error' || v.certificates === 0) {
    return { id, state: 'failed', message: `The latest validation (run ${v.runId}) ended as ${v.status} without checking certificates: run it again.`, evidence };
  }
  if (id === 'validation-green') {
    if (v.status === 'ok') return { id, state: 'passed', message: `Validation run ${v.runId}: all ${v.summary.ok} certificate(s) passed every check.`, evidence };
    return {
      id,
      state: 'failed',
      message: `Validation run ${v.runId}: ${v.summary.fail} failed, ${v.summary.warning} with warnings. Fix them and validate again, or confirm manually with a note on why the warnings are acceptable.`,
      evidence,
    };
  }
  if (id === 'share-tree') {
    if (!v.structure) return { id, state: 'failed', message: `Validation run ${v.runId} checked single files, not the share tree.`, evidence };
    return v.structure.status === 'ok'
      ? { id, state: 'passed', message: `Validation run ${v.runId}: every endpoint folder present with one PFX.`, evidence }
      : { id, state: 'failed', message: `Validation run ${v.runId}: ${v.structure.problems} folder tree problem(s).`, evidence };
  }
  const checkId = CHECK_OF[id] as CheckId;
  const tally = v.checks[checkId];
  if (!tally) return { id, state: 'failed', message: `Validation run ${v.runId} has no ${checkId} results.`, evidence };
  if (tally.fail > 0) return { id, state: 'failed', message: `Validation run ${v.runId}: ${checkId} failed for ${tally.fail} certificate(s).`, evidence };
  if (tally.ok + tally.warning === 0) return { id, state: 'failed', message: `Validation run ${v.runId}: ${checkId} was skipped for every certificate.`, evidence };
  const warned = tally.warning > 0 ? ` (${tally.warning} warning(s))` : '';
  return { id, state: 'passed', message: `Validation run ${v.runId}: ${checkId} passed${warned}.`, evidence };
}

/**
 * Judges the provider's certificate from the newest validation that checked it.
 *
 * A validation of the rest of the stamp (the external share, another provider's folder) says nothing
 * about this certificate, so only a run whose report holds the provider's endpoint counts; warnings fail
 * the step like `validation-green` does, leaving a manual confirmation with a note for accepted ones.
 */
function fromRpCertificate(fact: RpCertificateFact | null): VerifierResult {
  const id = 'rp-certificate';
  if (!fact) return { id, state: 'unavailable', message: 'This procedure has no provider certificate to look for: confirm manually.', evidence: null };
  if (fact.kind === 'no-endpoint') {
    return {
      id,
      state: 'unavailable',
      message: `The endpoint catalog has no PaaS certificate folder for ${fact.productId}, so the app cannot tell which validation checked it: validate the certificate and confirm manually.`,
      evidence: null,
    };
  }
  if (fact.kind === 'none') {
    return {
      id,
      state: 'pending',
      message: `No validation of a ${fact.endpoint} certificate recorded for this stamp yet: run the command below, or validate a PaaS share holding the ${fact.endpoint} folder in the Certificates workspace.`,
      evidence: null,
    };
  }
  const evidence: Evidence = { kind: 'validation-run', id: fact.runId, label: `Validation run ${fact.runId}`, at: fact.at };
  if (fact.status === 'ok') {
    return { id, state: 'passed', message: `Validation run ${fact.runId}: the ${fact.endpoint} certificate (${fact.file}) passed every check.`, evidence };
  }
  const problems = fact.status === 'fail' ? `failed ${fact.failed.join(', ')}` : `has warnings on ${fact.warned.join(', ')}`;
  return {
    id,
    state: 'failed',
    message: `Validation run ${fact.runId}: the ${fact.endpoint} certificate (${fact.file}) ${problems}. Fix it and validate again${fact.status === 'warning' ? ', or confirm manually with a note on why the warnings are acceptable' : ''}.`,
    evidence,
  };
}

/** Runs one verifier on the facts. */
export function evaluateVerifier(id: VerifierId, facts: ProcedureFacts): VerifierResult {
  switch (id) {
    case 'validation-green':
    case 'password-rules':
    case 'pfx-encryption':
    case 'ca-transition':
    case 'share-tree':
      return fromValidation(id, facts.validation);
    case 'backup-verified':
      return fromRecorded(id, facts.backup, 'verified backup');
    case 'share-access':
      return fromRecorded(id, facts.shareAccess, 'share test');
    case 'readiness-healthy':
      return fromRecorded(id, facts.readiness, 'readiness test');
    case 'post-check-healthy':
      return fromRecorded(id, facts.postCheck, 'post-check');
    case 'rp-certificate':
      return fromRpCertificate(facts.rpCertificate);
  }
}
