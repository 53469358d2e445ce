/**
 * The expiry dashboard of a stamp: every certificate the app knows, with days left and the portal's
 * verdict — share files from stored validation reports and the chains endpoints served at the last probe,
 * with the kind of CA that probe found.
 */
import type { Dashboard, DashboardCertificate } from '../../../shared/procedures/procedure-schema';
import { daysLeft, expiryStatus, overallCaKind, type ProbeReport } from '../../../shared/probe/probe-result';
import type { ValidationReport } from '../../../shared/certificates/report';
import type { Store } from '../store/index';

/** How many recent validation runs are read; older ones are superseded by these. */
const RECENT_RUNS = 20;

/** How many rotation runs are searched for the stamp information (root CA expiry). */
const RECENT_ROTATIONS = 20;

/**
 * The root CA certificates of the newest stamp information a PEP run of the stamp recorded.
 *
 * Rehearsal runs count only for rehearsal stamps: the simulator's root CA is not the stamp's.
 */
function rootCaCertificates(store: Store, stampId: number, now: Date): DashboardCertificate[] {
  const stamp = store.stamps.get(stampId);
  if (!stamp) return [];
  const runs = store.rotations.list({ stampName: stamp.name, limit: RECENT_ROTATIONS }).filter((r) => r.stampId === stampId && r.rehearsal === stamp.rehearsal);
  for (const run of runs) {
    const info = store.rotations
      .events(run.id)
      .filter((e) => e.type === 'stamp.info')
      .at(-1);
    const roots = info?.data?.rootCaCertificates;
    if (!Array.isArray(roots)) continue;
    return roots
      .filter((r): r is { subject: string; notAfter: string } => typeof r?.notAfter === 'string' && !Number.isNaN(Date.parse(r.notAfter)))
      .map((r) => {
        const days = daysLeft(r.notAfter, now);
        return {
          source: 'root-ca' as const,
          endpoint: 'Internal root CA',
          location: `Get-AzureStackStampInformation, rotation run ${run.id}`,
          chainIndex: 0,
          subject: typeof r.subject === 'string' && r.subject ? r.subject : '(unnamed)',
          issuer: typeof r.subject === 'string' ? r.subject : '',
          notAfter: new Date(r.notAfter).toISOString(),
          daysLeft: days,
          status: expiryStatus(days),
          runId: null,
        };
      });
  }
  return [];
}

/**
 * A stored probe report in today's shape.
 *
 * Reports stored before the probe judged CA kinds have no `caKind` per endpoint nor `servedCaKind`; they
 * read as "not judged" (null) rather than failing the dashboard's contract.
 */
export function currentProbeShape(stored: ProbeReport): ProbeReport {
  const endpoints = stored.endpoints.map((e) => ({ ...e, caKind: e.caKind ?? null }));
  return { ...stored, servedCaKind: stored.servedCaKind ?? overallCaKind(endpoints), endpoints };
}

/**
 * The share-file certificates of one validation report: every element of each file's chain, with days left
 * at `now` (reports written before chains were recorded hold the leaf only).
 *
 * Shared with review mode, which builds a bundle's dashboard from the reports it carries.
 */
export function shareFileCertificates(report: ValidationReport, runId: number, now: Date): DashboardCertificate[] {
  const certificates: DashboardCertificate[] = [];
  for (const cert of report.certificates) {
    if (!cert.leaf) continue;
    const elements = cert.chain && cert.chain.length > 0 ? cert.chain : [cert.leaf];
    elements.forEach((element, chainIndex) => {
      const days = daysLeft(element.notAfter, now);
      certificates.push({
        source: 'share',
        endpoint: cert.endpoint,
        location: cert.file,
        chainIndex,
        subject: element.subject,
        issuer: element.issuer,
        notAfter: element.notAfter,
        daysLeft: days,
        status: expiryStatus(days),
        runId,
      });
    });
  }
  return certificates;
}

/** Soonest expiry first, then by endpoint and chain position: the order every dashboard lists. */
export function sortDashboardCertificates(certificates: DashboardCertificate[]): DashboardCertificate[] {
  return certificates.sort((a, b) => a.daysLeft - b.daysLeft || a.endpoint.localeCompare(b.endpoint) || a.chainIndex - b.chainIndex);
}

/**
 * Builds the dashboard at `now`.
 *
 * For share files the newest report per validated folder counts (a stamp may have a main share and a
 * PaaS folder), with every element of each file's chain (older reports hold the leaf only).
 */
export function buildDashboard(store: Store, stampId: number, now: Date): Dashboard {
  const certificates: DashboardCertificate[] = [];
  const seenRoots = new Set<string>();
  for (const summary of store.runs.list({ stampId, limit: RECENT_RUNS })) {
    if (seenRoots.has(summary.root)) continue;
    const report = store.runs.get(summary.id)?.report;
    if (!report || report.certificates.length === 0) continue;
    seenRoots.add(summary.root);
    certificates.push(...shareFileCertificates(report, summary.id, now));
  }
  const stored = store.procedures.latestProbe(stampId);
  const probe = stored ? currentProbeShape(stored) : null;
  const probeErrors: Dashboard['probeErrors'] = [];
  for (const endpoint of probe?.endpoints ?? []) {
    if (endpoint.error) {
      // A chain served for another name is not this endpoint's certificate: listed as a problem, not dated.
      probeErrors.push({ endpoint: endpoint.endpoint, name: endpoint.name, reason: endpoint.error, message: endpoint.message ?? '' });
      continue;
    }
    endpoint.chain.forEach((element, index) => {
      // Days are recomputed at `now`: a probe from last week must not look a week younger than it is.
      const days = daysLeft(element.notAfter, now);
      certificates.push({
        source: 'endpoint',
        endpoint: endpoint.endpoint,
        location: endpoint.name,
        chainIndex: index,
        subject: element.subject,
        issuer: element.issuer,
        notAfter: element.notAfter,
        daysLeft: days,
        status: expiryStatus(days),
        runId: null,
      });
    });
  }
  certificates.push(...rootCaCertificates(store, stampId, now));
  sortDashboardCertificates(certificates);
  return { stampId, generatedAt: now.toISOString(), certificates, probe, probeErrors };
}
