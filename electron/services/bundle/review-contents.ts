/**
 * What an opened support bundle holds beyond its events: stamp profiles, validation runs with their
 * reports, rotation runs with their events, and checklist states — read from the verified entries, each
 * checked against its schema, so every workspace can show the bundle instead of the operator's own data.
 *
 * An entry that does not parse is left out rather than failing the review: a bundle from an older or newer
 * version still opens, and the workspaces say what it does not hold.
 */
import type { ValidationReport } from '../../../shared/certificates/report';
import { validationReportSchema } from '../../../shared/certificates/report-schema';
import type { ValidationRunSummary } from '../../../shared/ipc/contract';
import { reviewChecklistSchema, reviewStampSchema, type ReviewChecklist, type ReviewContents } from '../../../shared/ipc/review-contract';
import { validationRunSummarySchema } from '../../../shared/ipc/validation-run-schema';
import type { LogEvent } from '../../../shared/logs/events';
import type { Dashboard, DashboardCertificate } from '../../../shared/procedures/procedure-schema';
import { daysLeft, expiryStatus } from '../../../shared/probe/probe-result';
import type { RunEvent } from '../../../shared/rotation/rotation-run';
import { rotationRunSchema, runEventSchema, type RotationRunDto } from '../../../shared/rotation/rotation-schema';
import { shareFileCertificates, sortDashboardCertificates } from '../probe/dashboard';
import { interruptedGuidance } from '../rotation/liveness';
import { ENTRY } from './bundle-format';

/** A stamp profile from a bundle. */
export type ReviewStamp = ReviewContents['stamps'][number];

/** One validation run of a bundle with its report. */
export interface ReviewValidationRun {
  run: ValidationRunSummary;
  report: ValidationReport | null;
}

/** One rotation run of a bundle with its events, oldest first. */
export interface ReviewRotationRun {
  run: RotationRunDto;
  events: RunEvent[];
}

/** Everything a bundle holds besides its event log, parsed. */
export interface ParsedReview {
  createdAt: string;
  stamps: ReviewStamp[];
  validationRuns: ReviewValidationRun[];
  rotationRuns: ReviewRotationRun[];
  checklists: ReviewChecklist[];
}

/** Entries whose content review mode reads (the rest is only verified). */
export function isReviewedEntry(name: string): boolean {
  return name === ENTRY.events || name === ENTRY.stamps || name === ENTRY.checklists || /^runs\/(rotation|validation)-\d+\.json$/.test(name);
}

function parseJson(buffer: Buffer | undefined): unknown {
  if (!buffer) return null;
  try {
    return JSON.parse(buffer.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

function record(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** A stored rotation run (the store's row, as `create-bundle` writes it) as the window shows it. */
function toRotationDto(raw: Record<string, unknown>): RotationRunDto | null {
  const parameters = record(raw.parameters) ?? {};
  const estimate = Number(parameters.estimateSeconds);
  // Every field the window's run shape names, taken from the record (missing ones as null), so a field added
  // to that shape later is carried from bundles that have it and reads as unknown from older ones.
  const picked: Record<string, unknown> = Object.fromEntries(Object.keys(rotationRunSchema.shape).map((key) => [key, raw[key] ?? null]));
  const parsed = rotationRunSchema.safeParse({
    ...picked,
    reachedPep: raw.reachedPep ?? false,
    estimateSeconds: Number.isFinite(estimate) && estimate > 0 ? estimate : null,
  });
  return parsed.success ? parsed.data : null;
}

/**
 * A run's events: those its record carries (bundles from this version, with the parser's facts), else its
 * lines from `events.jsonl`, whose category is the event type but which carry no facts.
 */
function rotationEvents(raw: Record<string, unknown>, id: number, logEvents: readonly LogEvent[]): RunEvent[] {
  if (Array.isArray(raw.events)) {
    const parsed = raw.events.map((e) => runEventSchema.safeParse(e)).filter((r) => r.success).map((r) => r.data);
    if (parsed.length > 0) return parsed;
  }
  return logEvents
    .filter((e) => e.run?.kind === 'rotation' && e.run.id === id)
    .map((e, index) => ({ seq: index + 1, at: e.at, level: e.level, type: e.category ?? 'log', text: e.text, data: null }));
}

/** Reads the kept entries of a verified bundle; `logEvents` are its parsed `events.jsonl` lines. */
export function parseReviewContents(kept: ReadonlyMap<string, Buffer>, createdAt: string, logEvents: readonly LogEvent[]): ParsedReview {
  const stampsRaw = parseJson(kept.get(ENTRY.stamps));
  const stamps = (Array.isArray(stampsRaw) ? stampsRaw : [])
    .map((s) => reviewStampSchema.safeParse({ rehearsal: false, resourceProviders: [], ...(record(s) ?? {}) }))
    .filter((r) => r.success)
    .map((r) => r.data);
  const checklistsRaw = parseJson(kept.get(ENTRY.checklists));
  const checklists = (Array.isArray(checklistsRaw) ? checklistsRaw : [])
    .map((c) => reviewChecklistSchema.safeParse(c))
    .filter((r) => r.success)
    .map((r) => r.data);
  const validationRuns: ReviewValidationRun[] = [];
  const rotationRuns: ReviewRotationRun[] = [];
  for (const [name, buffer] of kept) {
    const match = /^runs\/(rotation|validation)-(\d+)\.json$/.exec(name);
    if (!match) continue;
    const raw = record(parseJson(buffer));
    if (!raw) continue;
    if (match[1] === 'validation') {
      const run = validationRunSummarySchema.safeParse(raw.run);
      if (!run.success) continue;
      const report = validationReportSchema.safeParse(raw.report);
      validationRuns.push({ run: run.data, report: report.success ? (report.data as ValidationReport) : null });
    } else {
      const run = toRotationDto(raw);
      if (run) rotationRuns.push({ run, events: rotationEvents(raw, run.id, logEvents) });
    }
  }
  // Newest first, as the live history lists them.
  validationRuns.sort((a, b) => b.run.startedAt.localeCompare(a.run.startedAt) || b.run.id - a.run.id);
  rotationRuns.sort((a, b) => b.run.startedAt.localeCompare(a.run.startedAt) || b.run.id - a.run.id);
  return { createdAt, stamps, validationRuns, rotationRuns, checklists };
}

/** The stamps a bundle is about: its profiles, else the stamps its runs name, else those its events name. */
export function sourceStampsOf(parsed: ParsedReview, eventStamps: Iterable<string>): string[] {
  if (parsed.stamps.length > 0) return parsed.stamps.map((s) => s.name);
  const names = new Set<string>();
  for (const r of parsed.rotationRuns) names.add(r.run.stamp);
  for (const r of parsed.validationRuns) if (r.run.stampName) names.add(r.run.stampName);
  if (names.size === 0) for (const name of eventStamps) names.add(name);
  return [...names];
}

/** The summary lists of a parsed bundle, as `review.contents` answers. */
export function contentsOf(parsed: ParsedReview): ReviewContents {
  return {
    stamps: parsed.stamps,
    validationRuns: parsed.validationRuns.map((r) => r.run),
    rotationRuns: parsed.rotationRuns.map((r) => r.run),
    checklists: parsed.checklists,
    createdAt: parsed.createdAt,
  };
}

/** A rotation run of the bundle as `review.getRotationRun` answers, or null. */
export function reviewRotationRun(parsed: ParsedReview, runId: number): { run: RotationRunDto; events: RunEvent[]; guidance: string | null } | null {
  const found = parsed.rotationRuns.find((r) => r.run.id === runId);
  if (!found) return null;
  return { run: found.run, events: found.events, guidance: found.run.state === 'interrupted' ? interruptedGuidance(found.run) : null };
}

/**
 * The expiry dashboard of one of the bundle's stamps, counted at the bundle's creation time: the support
 * engineer sees the days the customer had left when the bundle was made, whatever day it is read.
 *
 * Share files come from the newest report per validated folder, the internal root CA from the newest stamp
 * information of the stamp's rotation runs (rehearsals only for rehearsal stamps). Bundles hold no probe.
 */
export function reviewDashboard(parsed: ParsedReview, stampId: number): Dashboard {
  const now = new Date(parsed.createdAt);
  const stamp = parsed.stamps.find((s) => s.id === stampId) ?? null;
  const certificates: DashboardCertificate[] = [];
  const seenRoots = new Set<string>();
  for (const { run, report } of parsed.validationRuns) {
    if (run.stampId !== stampId || !report || report.certificates.length === 0 || seenRoots.has(run.root)) continue;
    seenRoots.add(run.root);
    certificates.push(...shareFileCertificates(report, run.id, now));
  }
  for (const { run, events } of parsed.rotationRuns) {
    if (run.stampId !== stampId || (stamp !== null && run.rehearsal !== stamp.rehearsal)) continue;
    const roots = events.filter((e) => e.type === 'stamp.info').at(-1)?.data?.rootCaCertificates;
    if (!Array.isArray(roots)) continue;
    for (const r of roots as { subject?: unknown; notAfter?: unknown }[]) {
      if (typeof r?.notAfter !== 'string' || Number.isNaN(Date.parse(r.notAfter))) continue;
      const days = daysLeft(r.notAfter, now);
      const subject = typeof r.subject === 'string' && r.subject ? r.subject : '(unnamed)';
      certificates.push({
        source: 'root-ca',
        endpoint: 'Internal root CA',
        location: `Get-AzureStackStampInformation, rotation run ${run.id}`,
        chainIndex: 0,
        subject,
        issuer: subject,
        notAfter: new Date(r.notAfter).toISOString(),
        daysLeft: days,
        status: expiryStatus(days),
        runId: null,
      });
    }
    break;
  }
  return { stampId, generatedAt: parsed.createdAt, certificates: sortDashboardCertificates(certificates), probe: null, probeErrors: [] };
}
