/**
 * The expiry Dashboard: every certificate the app knows for the active stamp — validated share files and
 * the chains its endpoints served at the last probe — with the earliest expiry first, days left, the
 * portal's colours, a timeline on a date axis, a table sorted or grouped by endpoint or certificate role,
 * and the live probe with the kind of CA the endpoints serve. In review mode it shows the bundle's
 * certificates, counted at the day the bundle was made.
 */
import { useEffect, useMemo, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { PlayIcon } from '../../components/icons';
import { formatDate, formatDateTime } from '../../lib/format';
import { useAppStore } from '../../stores/app-store';
import { useDashboardStore } from '../../stores/dashboard-store';
import { useReadOnly, useReferenceTime } from '../../stores/review-store';
import { useStampsStore } from '../../stores/stamps-store';
import { useValidationStore } from '../../stores/validation-store';
import type { DashboardCertificate } from '../../../../shared/procedures/procedure-schema';
import { certificateRole, ExpiryChart, sourceLabel, type CertificateRole } from './expiry-chart';
import { ServedCaKind } from './served-ca-kind';
import '../procedures/procedures.css';

const STATUS_TEXT: Record<DashboardCertificate['status'], { glyph: string; word: string }> = {
  ok: { glyph: '✓', word: 'OK' },
  warning: { glyph: '!', word: 'Warning' },
  critical: { glyph: '!!', word: 'Critical' },
  expired: { glyph: '✗', word: 'Expired' },
};

/** A days-left verdict as a coloured pill with glyph and word (colour never carries it alone). */
export function ExpiryBadge({ status }: { status: DashboardCertificate['status'] }) {
  const s = STATUS_TEXT[status];
  return (
    <span className={`expiry-badge expiry-${status}`} data-status={status}>
      <span aria-hidden="true">{s.glyph}</span>
      {s.word}
    </span>
  );
}

function daysText(days: number): string {
  if (days < 0) return `expired ${-days} day${days === -1 ? '' : 's'} ago`;
  return `${days} day${days === 1 ? '' : 's'}`;
}

type SortBy = 'days' | 'endpoint' | 'role';
type GroupBy = 'none' | 'endpoint' | 'role';

const ROLE_ORDER: Record<CertificateRole, number> = { leaf: 0, intermediate: 1, root: 2, 'internal root CA': 3 };

/** The table's rows in the chosen order, in groups when asked (days left decides within each). */
export function arrangeCertificates(certificates: readonly DashboardCertificate[], sortBy: SortBy, groupBy: GroupBy): { group: string | null; rows: DashboardCertificate[] }[] {
  const byDays = (a: DashboardCertificate, b: DashboardCertificate) => a.daysLeft - b.daysLeft || a.endpoint.localeCompare(b.endpoint) || a.chainIndex - b.chainIndex;
  const compare = (a: DashboardCertificate, b: DashboardCertificate) =>
    sortBy === 'endpoint'
      ? a.endpoint.localeCompare(b.endpoint, undefined, { numeric: true }) || ROLE_ORDER[certificateRole(a)] - ROLE_ORDER[certificateRole(b)] || byDays(a, b)
      : sortBy === 'role'
        ? ROLE_ORDER[certificateRole(a)] - ROLE_ORDER[certificateRole(b)] || byDays(a, b)
        : byDays(a, b);
  const sorted = [...certificates].sort(compare);
  if (groupBy === 'none') return [{ group: null, rows: sorted }];
  const keyOf = (c: DashboardCertificate) => (groupBy === 'endpoint' ? c.endpoint : certificateRole(c));
  const groups = new Map<string, DashboardCertificate[]>();
  for (const c of sorted) groups.set(keyOf(c), [...(groups.get(keyOf(c)) ?? []), c]);
  // Groups in the order of their most urgent certificate: the one to act on first is on top.
  return [...groups]
    .map(([group, rows]) => ({ group, rows }))
    .sort((a, b) => Math.min(...a.rows.map((r) => r.daysLeft)) - Math.min(...b.rows.map((r) => r.daysLeft)) || a.group.localeCompare(b.group));
}

function EarliestExpiry({ certificates, reference }: { certificates: DashboardCertificate[]; reference: number }) {
  const first = certificates.reduce<DashboardCertificate | null>((best, c) => (best === null || c.daysLeft < best.daysLeft ? c : best), null);
  if (!first) return null;
  const within = (days: number) => certificates.filter((c) => c.daysLeft >= 0 && c.daysLeft < days).length;
  const expired = certificates.filter((c) => c.daysLeft < 0).length;
  return (
    <section className={`pane card dash-earliest dash-earliest-${first.status}`} aria-labelledby="earliest-title">
      <h2 id="earliest-title" className="card-title">
        Earliest expiry
      </h2>
      <p className="dash-earliest-main">
        <ExpiryBadge status={first.status} /> <strong>{first.endpoint}</strong> ({sourceLabel(first)}, {certificateRole(first)}){' '}
        {first.daysLeft < 0 ? 'expired on' : 'expires on'} <strong className="mono">{formatDate(first.notAfter)}</strong> —{' '}
        {first.daysLeft < 0 ? `${-first.daysLeft} day${first.daysLeft === -1 ? '' : 's'} ago` : `${first.daysLeft} day${first.daysLeft === 1 ? '' : 's'} left`}
      </p>
      <p className="dash-earliest-counts">
        {expired} expired · {within(30)} within 30 days · {within(90)} within 90 days · {certificates.length} certificates known, counted on{' '}
        {formatDate(new Date(reference).toISOString())}
      </p>
    </section>
  );
}

function openRun(runId: number) {
  useAppStore.getState().setWorkspace('certificates');
  void useValidationStore.getState().openRun(runId);
}

/** The Dashboard workspace. */
export function DashboardWorkspace() {
  const activeStampId = useAppStore((s) => s.activeStampId);
  const theme = useAppStore((s) => s.settings?.theme ?? 'system');
  const stamp = useStampsStore((s) => s.stamps.find((x) => x.id === activeStampId) ?? null);
  const dashboard = useDashboardStore((s) => s.dashboard);
  const loading = useDashboardStore((s) => s.loading);
  const probing = useDashboardStore((s) => s.probing);
  const error = useDashboardStore((s) => s.error);
  const connect = useDashboardStore((s) => s.connect);
  const load = useDashboardStore((s) => s.load);
  const setConnect = useDashboardStore((s) => s.setConnect);
  const probe = useDashboardStore((s) => s.probe);
  const dismissError = useDashboardStore((s) => s.dismissError);
  const stampId = stamp?.id ?? null;
  const readOnly = useReadOnly();
  const reference = useReferenceTime();
  const [sortBy, setSortBy] = useState<SortBy>('days');
  const [groupBy, setGroupBy] = useState<GroupBy>('none');

  useEffect(() => {
    void load(stampId);
    // A validation or a probe from the CLI lands in the same database: reload when the window gets focus.
    const onFocus = () => void load(stampId);
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [stampId, load]);

  const certificates = useMemo(() => dashboard?.certificates ?? [], [dashboard]);
  const arranged = useMemo(() => arrangeCertificates(certificates, sortBy, groupBy), [certificates, sortBy, groupBy]);
  const counts = { ok: 0, warning: 0, critical: 0, expired: 0 };
  for (const c of certificates) counts[c.status] += 1;

  return (
    <div className="workspace">
      <div className="toolbar">
        <h1 className="workspace-title">Dashboard</h1>
        <p className="toolbar-sub">
          Certificate expiry for {stamp ? stamp.name : 'the active stamp'}: warning under 90 days, critical under 30.{readOnly ? ' Days counted on the day the bundle was made.' : ''}
        </p>
      </div>
      {error ? (
        <div className="workspace-messages">
          <ErrorMessage error={error} onDismiss={dismissError} />
        </div>
      ) : null}
      {!stamp ? (
        <div className="workspace-body">
          <div className="empty">
            <p className="empty-title">No active stamp</p>
            <p>Choose the active stamp in the header to see its certificates.</p>
          </div>
        </div>
      ) : (
        <div className="workspace-body">
          <EarliestExpiry certificates={certificates} reference={reference} />
          {readOnly ? (
            <section className="pane card" aria-labelledby="probe-title">
              <h2 id="probe-title" className="card-title">
                Live probe
              </h2>
              <p className="setup-summary-text">Not available in a review: a probe connects to the endpoints from this machine, and the bundle holds no probe result.</p>
            </section>
          ) : (
          <section className="pane card" aria-labelledby="probe-title">
            <h2 id="probe-title" className="card-title">
              Live probe
            </h2>
            <form
              className="dash-probe-form"
              onSubmit={(e) => {
                e.preventDefault();
                void probe();
              }}
            >
              <div className="field">
                <label className="field-label" htmlFor="probe-connect">
                  Connect to (optional)
                </label>
                <input id="probe-connect" className="input mono" placeholder="DNS, or HOST[:PORT] such as 10.0.0.50:443" value={connect} onChange={(e) => setConnect(e.target.value)} />
              </div>
              <button type="submit" className="btn btn-primary" disabled={probing}>
                <PlayIcon />
                {probing ? 'Probing…' : 'Probe endpoints'}
              </button>
            </form>
            <p className="field-hint dash-probe-hint">
              Connects only to {stamp.name}’s own endpoint names ({stamp.region}.{stamp.externalFqdn}), with the name as SNI, and reads the served chain.
              {dashboard?.probe ? ` Last probe ${formatDateTime(dashboard.probe.probedAt)}${dashboard.probe.connect ? ` via ${dashboard.probe.connect}` : ''}.` : ' Not probed yet.'}
              {dashboard && dashboard.probeErrors.length > 0 ? ` ${dashboard.probeErrors.length} name(s) without a usable chain, listed below.` : ''}
            </p>
            {dashboard?.probe ? <ServedCaKind key={stamp.id} stamp={stamp} probe={dashboard.probe} /> : null}
          </section>
          )}

          <section className="pane card" aria-labelledby="timeline-title">
            <h2 id="timeline-title" className="card-title">
              Timeline
            </h2>
            <div className="dash-summary" aria-label="Certificates by status">
              {(['expired', 'critical', 'warning', 'ok'] as const).map((s) => (
                <span key={s} className={`expiry-badge expiry-${s}`}>
                  {STATUS_TEXT[s].word}: {counts[s]}
                </span>
              ))}
            </div>
            {loading && !dashboard ? (
              <p className="empty-inline">Loading…</p>
            ) : certificates.length === 0 ? (
              <p className="empty-inline">No certificate known yet: validate the stamp’s share in Certificates, or probe its endpoints.</p>
            ) : (
              <ExpiryChart certificates={certificates} theme={theme} reference={reference} />
            )}
          </section>

          {certificates.length > 0 ? (
            <section className="pane card" aria-labelledby="certs-title">
              <div className="rotation-card-head">
                <h2 id="certs-title" className="card-title">
                  Certificates
                </h2>
                <span className="toolbar-spacer" />
                <label className="field-label dash-control" htmlFor="dash-sort">
                  Sort by
                </label>
                <select id="dash-sort" className="select dash-select" value={sortBy} onChange={(e) => setSortBy(e.target.value as SortBy)}>
                  <option value="days">Days left</option>
                  <option value="endpoint">Endpoint</option>
                  <option value="role">Certificate role</option>
                </select>
                <label className="field-label dash-control" htmlFor="dash-group">
                  Group by
                </label>
                <select id="dash-group" className="select dash-select" value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)}>
                  <option value="none">Nothing</option>
                  <option value="endpoint">Endpoint</option>
                  <option value="role">Certificate role</option>
                </select>
              </div>
              <div className="table-scroll" tabIndex={0} role="region" aria-label="Certificates table">
                <table className="table dash-table" aria-labelledby="certs-title">
                  <thead>
                    <tr>
                      <th scope="col">Status</th>
                      <th scope="col">Days left</th>
                      <th scope="col">Expires (UTC)</th>
                      <th scope="col">Endpoint</th>
                      <th scope="col">Role</th>
                      <th scope="col">Where</th>
                      <th scope="col">Subject</th>
                    </tr>
                  </thead>
                  {arranged.map(({ group, rows }) => (
                    <tbody key={group ?? 'all'}>
                      {group !== null ? (
                        <tr className="dash-group-row">
                          <th scope="rowgroup" colSpan={7}>
                            {group} <span className="dash-group-count">({rows.length})</span>
                          </th>
                        </tr>
                      ) : null}
                      {rows.map((c) => (
                        <tr key={`${c.source}-${c.location}-${c.chainIndex}`} data-status={c.status}>
                          <td>
                            <ExpiryBadge status={c.status} />
                          </td>
                          <td className="dash-days">{daysText(c.daysLeft)}</td>
                          <td className="mono">{formatDate(c.notAfter)}</td>
                          <td>{c.endpoint}</td>
                          <td>{certificateRole(c)}</td>
                          <td className="mono cell-wrap">
                            <span className="dash-source">{sourceLabel(c)}</span> {c.location}
                            {c.runId !== null ? (
                              <>
                                {' '}
                                <button type="button" className="proc-link" onClick={() => openRun(c.runId as number)}>
                                  run {c.runId}
                                </button>
                              </>
                            ) : null}
                          </td>
                          <td className="mono cell-wrap">{c.subject}</td>
                        </tr>
                      ))}
                    </tbody>
                  ))}
                </table>
              </div>
            </section>
          ) : null}
          {dashboard && dashboard.probeErrors.length > 0 ? (
            <section className="pane card" aria-labelledby="probe-errors-title">
              <h2 id="probe-errors-title" className="card-title">
                Endpoints without a usable chain ({dashboard.probeErrors.length})
              </h2>
              <div className="table-scroll">
                <table className="table dash-table" aria-labelledby="probe-errors-title">
                  <thead>
                    <tr>
                      <th scope="col">Endpoint</th>
                      <th scope="col">Name</th>
                      <th scope="col">Problem</th>
                    </tr>
                  </thead>
                  <tbody>
                    {dashboard.probeErrors.map((e) => (
                      <tr key={e.name}>
                        <td>{e.endpoint}</td>
                        <td className="mono">{e.name}</td>
                        <td className="cell-wrap">
                          <span className="expiry-badge expiry-error">{e.reason}</span> {e.message}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ) : null}
        </div>
      )}
    </div>
  );
}
