/**
 * Renders a validation report as one self-contained HTML file, for change records and for sharing with
 * the PKI team.
 *
 * The file must open anywhere, offline, and be safe to open: inline CSS only, no script, no external
 * reference, and a CSP meta tag that forbids them even if a value slipped through. Every value from the
 * report is escaped — file names, subjects and messages come from the share and the certificates.
 */
import {
  CHECK_TITLES,
  READINESS_CHECKER_NAMES,
  type CertificateReport,
  type CheckResult,
  type ValidationReport,
} from './report';

/** Facts about the run shown in the report's header besides the report itself. */
export interface ReportHtmlMeta {
  /** Version of the app that exports the report. */
  appVersion: string;
  /** When the file is exported (ISO). */
  exportedAt: string;
  /** Run id in the app's history. */
  runId?: number | null;
  /** Stamp profile the run was made for. */
  stampName?: string | null;
  /** When the run started and finished (ISO). */
  startedAt?: string | null;
  finishedAt?: string | null;
  /** Where the run was made. */
  source?: 'app' | 'cli' | null;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * Accepts any value so callers cannot forget to stringify first.
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const STATUS_LABEL: Record<string, string> = { ok: 'OK', warning: 'Warning', fail: 'Fail', skipped: 'Skipped' };

function badge(status: string): string {
  const cls = Object.hasOwn(STATUS_LABEL, status) ? status : 'unknown';
  return `<span class="badge ${cls}">${escapeHtml(STATUS_LABEL[status] ?? status)}</span>`;
}

function overall(report: ValidationReport): 'ok' | 'warning' | 'fail' {
  if (report.structure.status === 'fail' || report.summary.fail > 0) return 'fail';
  return report.summary.warning > 0 ? 'warning' : 'ok';
}

function row(label: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  return `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
}

function checkRow(check: CheckResult): string {
  const title = CHECK_TITLES[check.id] ?? check.id;
  const rc = READINESS_CHECKER_NAMES[check.id];
  return (
    `<tr class="${escapeHtml(check.status)}">` +
    `<td>${escapeHtml(title)}<div class="muted"><code>${escapeHtml(check.id)}</code>` +
    `${rc ? ` · Readiness Checker: ${escapeHtml(rc)}` : ''}</div></td>` +
    `<td>${badge(check.status)}</td>` +
    `<td>${escapeHtml(check.message)}</td>` +
    `<td>${escapeHtml(check.remediation)}</td>` +
    '</tr>'
  );
}

function certificateSection(cert: CertificateReport): string {
  const leaf = cert.leaf
    ? `<table class="facts">${row('Subject', cert.leaf.subject)}${row('Issuer', cert.leaf.issuer)}` +
      `${row('DNS names', cert.leaf.sans.join(', '))}${row('Valid from', cert.leaf.notBefore)}` +
      `${row('Valid until', cert.leaf.notAfter)}${row('Thumbprint', cert.leaf.thumbprint)}</table>`
    : '<p class="muted">The certificate could not be read.</p>';
  return (
    `<section class="cert ${escapeHtml(cert.status)}">` +
    `<h3>${badge(cert.status)} ${escapeHtml(cert.endpoint)}</h3>` +
    `<p class="path"><code>${escapeHtml(cert.folder)}/${escapeHtml(cert.file)}</code></p>` +
    leaf +
    '<table class="checks"><thead><tr><th>Check</th><th>Status</th><th>Finding</th><th>What to do</th></tr></thead>' +
    `<tbody>${cert.checks.map(checkRow).join('')}</tbody></table>` +
    '</section>'
  );
}

function structureSection(report: ValidationReport): string {
  if (report.structure.problems.length === 0) {
    return '<section><h2>Folder structure</h2><p>The share has the expected folders and one PFX file in each.</p></section>';
  }
  const rows = report.structure.problems
    .map((p) => `<tr><td><code>${escapeHtml(p.code)}</code></td><td><code>${escapeHtml(p.path)}</code></td><td>${escapeHtml(p.message)}</td></tr>`)
    .join('');
  return (
    `<section><h2>${badge(report.structure.status)} Folder structure</h2>` +
    `<table class="checks"><thead><tr><th>Problem</th><th>Path</th><th>Details</th></tr></thead><tbody>${rows}</tbody></table>` +
    '</section>'
  );
}

const CSS = `
:root { color-scheme: light; font-family: "Segoe UI", system-ui, -apple-system, sans-serif; color: #1b1b1b; }
body { margin: 2rem auto; max-width: 72rem; padding: 0 1.5rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #d0d0d0; padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin: 0 0 .25rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #e5e5e5; }
table.facts th { width: 10rem; font-weight: 600; color: #444; }
table.checks thead th { background: #f3f3f3; }
code { font-family: Consolas, "Cascadia Mono", monospace; font-size: .9em; word-break: break-all; }
.muted { color: #666; font-size: .85em; }
.path { margin: 0 0 .5rem; }
.summary { display: flex; gap: 1rem; margin: 1rem 0; }
.summary div { border: 1px solid #d0d0d0; border-radius: 6px; padding: .5rem 1rem; min-width: 7rem; }
.summary strong { display: block; font-size: 1.5rem; }
.cert { border: 1px solid #d0d0d0; border-left-width: 6px; border-radius: 6px; padding: 1rem; margin: 1rem 0; break-inside: avoid; }
.cert.ok { border-left-color: #107c10; } .cert.warning { border-left-color: #c19c00; } .cert.fail { border-left-color: #c50f1f; }
.badge { display: inline-block; border-radius: 4px; padding: 0 .45rem; font-size: .8rem; font-weight: 600; color: #fff; background: #616161; }
.badge.ok { background: #107c10; } .badge.warning { background: #8a6d00; } .badge.fail { background: #c50f1f; } .badge.skipped { background: #8a8a8a; }
footer { margin-top: 3rem; color: #666; font-size: .85em; }
@media print { body { margin: 0; max-width: none; } .cert { page-break-inside: avoid; } }
`;

/**
 * Builds the complete HTML document for a report.
 *
 * Pure: the same report and meta give the same bytes, so exports can be compared and tested.
 */
export function renderReportHtml(report: ValidationReport, meta: ReportHtmlMeta): string {
  const status = overall(report);
  const title = `Certificate validation — ${report.region}.${report.fqdn}`;
  const header =
    '<table class="facts">' +
    row('Stamp', meta.stampName) +
    row('Share folder', report.root) +
    row('PaaS folder', report.paasRoot) +
    row('Identity', report.identity === null ? null : report.identity.toUpperCase()) +
    row('Region', report.region) +
    row('External domain', report.fqdn) +
    row('Run', meta.runId === undefined || meta.runId === null ? null : `#${meta.runId}${meta.source ? ` (${meta.source})` : ''}`) +
    row('Started', meta.startedAt) +
    row('Finished', meta.finishedAt) +
    row('Report generated', report.generatedAt) +
    '</table>';
  const summary =
    '<div class="summary">' +
    `<div>Result<strong>${badge(status)}</strong></div>` +
    `<div>OK<strong>${escapeHtml(report.summary.ok)}</strong></div>` +
    `<div>Warnings<strong>${escapeHtml(report.summary.warning)}</strong></div>` +
    `<div>Failures<strong>${escapeHtml(report.summary.fail)}</strong></div>` +
    '</div>';
  const certificates =
    report.certificates.length === 0
      ? '<p>No certificate was checked.</p>'
      : report.certificates.map(certificateSection).join('');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Belt and braces: even if a value escaped escaping, the browser may run nothing and fetch nothing.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    header,
    summary,
    structureSection(report),
    `<h2>Certificates (${escapeHtml(report.certificates.length)})</h2>`,
    certificates,
    `<footer>Exported ${escapeHtml(meta.exportedAt)} by Rotation Workbench for Azure Stack Hub ${escapeHtml(meta.appVersion)}. ` +
      'No passwords or private keys are included in this report.</footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
