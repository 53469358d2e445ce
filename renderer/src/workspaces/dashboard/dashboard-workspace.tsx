/**
 * The expiry Dashboard: every certificate the app knows for the active stamp — validated share files and
 * the chains its endpoints served at the last probe — with days left, the portal's colours, a timeline
 * and the live probe with the kind of CA the endpoints serve.
 */
import { useEffect } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { PlayIcon } from '../../components/icons';
import { formatDate, formatDateTime } from '../../lib/format';
import { useAppStore } from '../../stores/app-store';
import { useDashboardStore } from '../../stores/dashboard-store';
import { useStampsStore } from '../../stores/stamps-store';
import { useValidationStore } from '../../stores/validation-store';
import type { DashboardCertificate } from '../../../../shared/procedures/procedure-schema';
import { certificateLabel, ExpiryChart } from './expiry-chart';
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

  useEffect(() => {
    void load(stampId);
    // A validation or a probe from the CLI lands in the same database: reload when the window gets focus.
    const onFocus = () => void load(stampId);
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [stampId, load]);

  const certificates = dashboard?.certificates ?? [];
  const counts = { ok: 0, warning: 0, critical: 0, expired: 0 };
  for (const c of certificates) counts[c.status] += 1;

  return (
    <div className="workspace">
      <div className="toolbar">
        <h1 className="workspace-title">Dashboard</h1>
        <p className="toolbar-sub">Certificate expiry for {stamp ? stamp.name : 'the active stamp'}: warning under 90 days, critical under 30.</p>
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
              <ExpiryChart certificates={certificates} theme={theme} />
            )}
          </section>

          {certificates.length > 0 ? (
            <section className="pane card" aria-labelledby="certs-title">
              <h2 id="certs-title" className="card-title">
                Certificates
              </h2>
              <div className="table-scroll">
                <table className="table dash-table" aria-labelledby="certs-title">
                  <thead>
                    <tr>
                      <th scope="col">Status</th>
                      <th scope="col">Days left</th>
                      <th scope="col">Certificate</th>
                      <th scope="col">Where</th>
                      <th scope="col">Subject</th>
                      <th scope="col">Expires</th>
                    </tr>
                  </thead>
                  <tbody>
                    {certificates.map((c) => (
                      <tr key={`${c.source}-${c.location}-${c.chainIndex}`} data-status={c.status}>
                        <td>
                          <ExpiryBadge status={c.status} />
                        </td>
                        <td className="dash-days">{daysText(c.daysLeft)}</td>
                        <td>{certificateLabel(c)}</td>
                        <td className="mono cell-wrap">
                          {c.location}
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
                        <td>{formatDate(c.notAfter)}</td>
                      </tr>
                    ))}
                  </tbody>
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
