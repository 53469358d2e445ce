/**
 * Renders a procedure checklist as one printable, self-contained HTML runbook with its current state.
 *
 * Like the validation report: inline CSS only, no script, no external reference, a CSP that forbids them,
 * and every value escaped (notes and parameters are typed by operators).
 */
import { escapeHtml } from '../certificates/report-html';
import type { Checklist, ChecklistStep } from './checklist';
import { VERIFIER_LABELS } from './verifiers';

/** Facts shown in the runbook's header besides the checklist. */
export interface RunbookMeta {
  appVersion: string;
  exportedAt: string;
  stampName: string;
  base: string;
}

const CSS = `
body{font:14px/1.45 "Segoe UI",system-ui,sans-serif;color:#1b1b20;margin:24px auto;max-width:60rem;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0}
.meta{color:#5a5a64;margin:0 0 16px}
.progress{font-weight:600;margin:8px 0 16px}
ol{padding:0;list-style:none}
li.step{border:1px solid #dcdce1;border-radius:6px;padding:12px 14px;margin:0 0 10px;break-inside:avoid}
.head{display:flex;gap:10px;align-items:baseline}
.box{font:600 13px monospace;min-width:2.6em}
.done .box{color:#0e6e0e}.failed .box{color:#b3261e}.waiting .box,.blocked .box{color:#7d4a00}
.why{color:#3a3a44;margin:6px 0}
pre{background:#f6f6f8;border:1px solid #ececf0;border-radius:4px;padding:8px;white-space:pre-wrap;word-break:break-word;font:12px/1.4 Consolas,monospace}
.verifier{margin:2px 0;font-size:13px}
.note{font-size:13px;color:#5a5a64;white-space:pre-wrap}
.state{font-size:13px;margin-top:6px}
.omitted{color:#5a5a64;font-size:13px}
@media print{body{margin:0}li.step{border-color:#999}}
`;

/** An ISO time as `YYYY-MM-DD HH:MM UTC`: a printed page is read in any time zone. */
function when(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const STATUS_TEXT: Record<ChecklistStep['status'], string> = {
  done: '[x]',
  failed: '[!]',
  waiting: '[…]',
  blocked: '[–]',
  open: '[ ]',
};

function stepHtml(step: ChecklistStep, index: number): string {
  const parts: string[] = [];
  parts.push(
    `<div class="head"><span class="box" aria-hidden="true">${STATUS_TEXT[step.status]}</span><h2>${index + 1}. ${escapeHtml(step.title)}${step.optional ? ' <small>(optional)</small>' : ''}</h2></div>`,
  );
  parts.push(`<p class="why">${escapeHtml(step.why)}</p>`);
  for (const note of step.notes) parts.push(`<p class="note">${escapeHtml(note)}</p>`);
  for (const v of step.verifiers) {
    parts.push(`<p class="verifier">Automatic — ${escapeHtml(VERIFIER_LABELS[v.id])}: <strong>${escapeHtml(v.state)}</strong>. ${escapeHtml(v.message)}</p>`);
  }
  if (step.checks.length > 0) parts.push(`<ul>${step.checks.map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ul>`);
  if (step.command) parts.push(`<pre>${escapeHtml(step.command)}</pre>`);
  const state =
    step.confirmation !== null
      ? `Confirmed ${escapeHtml(when(step.confirmation.confirmedAt))} by ${escapeHtml(step.confirmation.actor)}${step.confirmation.note ? ` — ${escapeHtml(step.confirmation.note)}` : ''}`
      : step.doneBy === 'auto'
        ? 'Verified automatically'
        : step.blockedReason
          ? escapeHtml(step.blockedReason)
          : 'Not confirmed yet';
  parts.push(`<p class="state">Status: ${state}</p>`);
  if (step.window) {
    parts.push(`<p class="state">Expected end between ${escapeHtml(when(step.window.earliest))} and ${escapeHtml(when(step.window.latest))} (${escapeHtml(step.window.state)}).</p>`);
  }
  return `<li class="step ${step.status}">${parts.join('\n')}</li>`;
}

/** The runbook as one HTML document. */
export function renderRunbookHtml(checklist: Checklist, meta: RunbookMeta): string {
  const run = checklist.run;
  const title = `${checklist.title} — ${meta.stampName}`;
  const params = Object.entries(run.parameters);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head><body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">Stamp ${escapeHtml(meta.stampName)} (${escapeHtml(meta.base)}), version ${escapeHtml(run.stampVersion)} · ${escapeHtml(checklist.shell)} · procedure run ${run.id} started ${escapeHtml(when(run.startedAt))} · state ${escapeHtml(run.state)} · exported ${escapeHtml(when(meta.exportedAt))} by Rotation Workbench ${escapeHtml(meta.appVersion)}</p>`,
    params.length > 0
      ? `<p class="meta">${params.map(([k, v]) => `${escapeHtml(k)} = <code>${escapeHtml(v)}</code>`).join(' · ')}</p>`
      : '',
    `<p class="progress">${checklist.done} of ${checklist.required} required steps done${checklist.complete ? ' — complete' : ''}</p>`,
    `<ol>${checklist.steps.map(stepHtml).join('\n')}</ol>`,
    checklist.omitted.length > 0
      ? `<p class="omitted">Not for version ${escapeHtml(run.stampVersion)}: ${checklist.omitted.map((o) => `${escapeHtml(o.title)} (${escapeHtml(o.gate)})`).join('; ')}</p>`
      : '',
    '</body></html>',
    '',
  ].join('\n');
}
