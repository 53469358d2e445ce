/**
 * Sorting and filtering of a validation report's certificates for the results table.
 *
 * Pure so the table, the bench and any later workspace derive the same rows from the same view settings.
 */
import type { CertificateReport, CertificateStatus, CheckResult, ValidationReport } from '../../../shared/certificates/report';
import { CHECK_IDS } from '../../../shared/certificates/report';
import type { CheckId } from '../../../shared/certificates/report';
import { judgeTransition } from '../../../shared/certificates/ca-transition';

/** Column the results table sorts by. */
export type SortKey = 'endpoint' | 'status' | 'expiry';

/** How the operator wants the certificates shown. */
export interface ReportViewOptions {
  sortKey: SortKey;
  sortDir: 'asc' | 'desc';
  filter: string;
  failuresOnly: boolean;
}

/** Default view: worst first, so problems are on screen without scrolling. */
export const DEFAULT_VIEW: ReportViewOptions = { sortKey: 'status', sortDir: 'asc', filter: '', failuresOnly: false };

const STATUS_RANK: Record<CertificateStatus, number> = { fail: 0, warning: 1, ok: 2 };

/** Stable key of a certificate in a report (its file path is unique within one share). */
export function certificateKey(cert: CertificateReport): string {
  return `${cert.endpoint}\u0000${cert.file}`;
}

function matches(cert: CertificateReport, needle: string): boolean {
  if (!needle) return true;
  const hay = [cert.endpoint, cert.file, cert.folder, cert.leaf?.subject ?? '', ...(cert.leaf?.sans ?? [])];
  return hay.some((h) => h.toLowerCase().includes(needle));
}

/** The certificates to show, filtered and sorted; ties keep the report's order. */
export function visibleCertificates(report: ValidationReport | null, view: ReportViewOptions): CertificateReport[] {
  if (!report) return [];
  const needle = view.filter.trim().toLowerCase();
  const rows = report.certificates
    .map((cert, index) => ({ cert, index }))
    .filter(({ cert }) => (!view.failuresOnly || cert.status === 'fail') && matches(cert, needle));
  const dir = view.sortDir === 'asc' ? 1 : -1;
  rows.sort((a, b) => {
    const primary =
      view.sortKey === 'endpoint'
        ? a.cert.endpoint.localeCompare(b.cert.endpoint, undefined, { sensitivity: 'base', numeric: true })
        : view.sortKey === 'expiry'
          ? // A file that did not open has no date: it sorts after every dated one.
            (a.cert.leaf ? Date.parse(a.cert.leaf.notAfter) : Infinity) - (b.cert.leaf ? Date.parse(b.cert.leaf.notAfter) : Infinity) || 0
          : STATUS_RANK[a.cert.status] - STATUS_RANK[b.cert.status];
    return primary !== 0 ? primary * dir : a.index - b.index;
  });
  return rows.map((r) => r.cert);
}

/** The certificate's checks as a map, tolerant of a report missing a check (older schema). */
export function checksById(cert: CertificateReport): Partial<Record<CheckId, CheckResult>> {
  const map: Partial<Record<CheckId, CheckResult>> = {};
  for (const c of cert.checks) map[c.id] = c;
  return map;
}

/** One-word column labels for the results grid; the full `CHECK_TITLES` are the accessible names. */
export const CHECK_SHORT_LABELS: Record<CheckId, string> = {
  'parse-pfx': 'Parse',
  'pfx-encryption': 'Encryption',
  'password-characters': 'Password',
  expiry: 'Expiry',
  'signature-algorithm': 'Signature',
  'private-key': 'Key',
  'cert-chain': 'Chain',
  'chain-order': 'Order',
  'other-certificates': 'Others',
  'dns-names': 'DNS',
  'key-usage': 'Usage',
  'key-size': 'Size',
  'ca-transition': 'CA',
  'crl-distribution': 'CRL',
};

const CHECK_RANK: Record<CheckResult['status'], number> = { fail: 0, warning: 1, ok: 2, skipped: 2 };

/**
 * A certificate's checks for the detail panel: failures, then warnings, then the rest, each group in
 * contract order, so the fixes are on screen without scrolling.
 */
export function checksForDetail(cert: CertificateReport): CheckResult[] {
  return cert.checks
    .map((check, index) => ({ check, index }))
    .sort((a, b) => CHECK_RANK[a.check.status] - CHECK_RANK[b.check.status] || a.index - b.index)
    .map((x) => x.check);
}

/** The check ids in contract order: the table's column order. */
export const CHECK_COLUMNS: readonly CheckId[] = CHECK_IDS;

/** The certificate to select when a report opens: the first failure, else the first warning, else the first. */
export function initialSelection(report: ValidationReport): string | null {
  const first =
    report.certificates.find((c) => c.status === 'fail') ??
    report.certificates.find((c) => c.status === 'warning') ??
    report.certificates[0];
  return first ? certificateKey(first) : null;
}

/** A warning about the stamp rather than a certificate: reported once, above the table, with its fix. */
export interface StampLevelFinding {
  kind: 'unknown-current-ca' | 'unknown-version';
  /** The certificates whose check it held back. */
  endpoints: string[];
}

// Derived from the rule itself, so the wording the engine writes and the one recognised here cannot drift.
const UNKNOWN_CA_PREFIX = judgeTransition('unknown', 'enterprise', null).message.split(':')[0]!;
const UNKNOWN_VERSION_TEXT = /the stamp version is unknown/i;

/** True when a check's verdict is about the stamp's profile, not about the certificate. */
export function isStampLevel(check: CheckResult): StampLevelFinding['kind'] | null {
  if (check.id !== 'ca-transition' || check.status !== 'warning') return null;
  if (check.message.startsWith(UNKNOWN_CA_PREFIX)) return 'unknown-current-ca';
  if (UNKNOWN_VERSION_TEXT.test(check.message)) return 'unknown-version';
  return null;
}

/** The stamp-level warnings of a report, each once, with the certificates it touched. */
export function stampLevelFindings(report: ValidationReport | null): StampLevelFinding[] {
  if (!report) return [];
  const found = new Map<StampLevelFinding['kind'], string[]>();
  for (const cert of report.certificates) {
    for (const check of cert.checks) {
      const kind = isStampLevel(check);
      if (kind) found.set(kind, [...(found.get(kind) ?? []), cert.endpoint]);
    }
  }
  return [...found].map(([kind, endpoints]) => ({ kind, endpoints }));
}

/** The leaf's expiry of a certificate, or null when the file did not open. */
export function leafExpiry(cert: CertificateReport): string | null {
  return cert.leaf?.notAfter ?? null;
}
