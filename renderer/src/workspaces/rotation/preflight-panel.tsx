/**
 * The pre-flight summary: every check with its finding, what to do and a link to the workspace that fixes
 * it, what the PEP session will run, the estimate, and Start (only when nothing failed and the form has not
 * changed since).
 */
import { useEffect, useRef } from 'react';
import type { Stamp } from '../../../../shared/stamps/stamp';
import { PlayIcon } from '../../components/icons';
import { StatusIcon } from '../../components/status-icon';
import { useRotationStore } from '../../stores/rotation-store';
import { openPreflightFix } from './preflight-fix';

function minutes(seconds: number): string {
  return seconds >= 120 ? `about ${Math.round(seconds / 60)} minutes` : `about ${Math.round(seconds)} seconds`;
}

/** The pre-flight result for `stamp`, or nothing before pre-flight ran. */
export function PreflightPanel({ stamp, current }: { stamp: Stamp; current: boolean }) {
  const preflight = useRotationStore((s) => s.preflight);
  const starting = useRotationStore((s) => s.starting);
  const start = useRotationStore((s) => s.start);
  const share = useRotationStore((s) => s.form.share);
  const ref = useRef<HTMLElement>(null);
  // A new verdict appears below the form the operator just submitted: bring it into view.
  useEffect(() => {
    if (preflight) ref.current?.scrollIntoView({ block: 'start' });
  }, [preflight]);
  if (!preflight) return null;
  const failed = preflight.checks.filter((c) => c.status === 'fail').length;
  const warned = preflight.checks.filter((c) => c.status === 'warning').length;
  return (
    <section ref={ref} className="card rotation-preflight" aria-labelledby="rotation-preflight-title">
      <div className="rotation-card-head">
        <h2 id="rotation-preflight-title" className="card-title">
          Pre-flight
        </h2>
        {preflight.rehearsal ? <span className="chip rotation-rehearsal-chip">Rehearsal — PEP simulator ({preflight.scenario})</span> : <span className="chip">Against stamp {stamp.name}</span>}
      </div>
      <p className={failed ? 'rotation-verdict rotation-verdict-fail' : 'rotation-verdict rotation-verdict-ok'} role="status">
        {failed
          ? `${failed} check(s) failed: the run cannot start until they are fixed.`
          : `Ready${warned ? ` with ${warned} warning(s)` : ''}. The run takes ${minutes(preflight.estimateSeconds)}${preflight.rerunOf ? ` and reruns run ${preflight.rerunOf}` : ''}.`}
      </p>
      <ul className="rotation-checks" aria-label="Pre-flight checks">
        {preflight.checks.map((c) => (
          <li key={c.id} className="rotation-check-item">
            <StatusIcon status={c.status} />
            <div>
              <span className="mono rotation-check-id">{c.id}</span> {c.message}
              {c.hint && c.status !== 'ok' ? <p className="field-hint">→ {c.hint}</p> : null}
              {c.fix && c.status !== 'ok' ? (
                <button type="button" className="rotation-fix-link" onClick={() => openPreflightFix(c.fix!, { stampId: stamp.id, share })}>
                  {c.fix.label}
                  <span aria-hidden="true"> →</span>
                </button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      <h3 className="section-title">The PEP session will run</h3>
      <ol className="rotation-plan">
        <li className="mono">New-PSSession -ConfigurationName PrivilegedEndpoint (first reachable ERCS: {stamp.ercsIps.join(', ')})</li>
        {preflight.steps.map((s) => (
          <li key={s} className="mono">
            {s}
          </li>
        ))}
        <li className="mono">Remove-PSSession</li>
      </ol>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" disabled={!preflight.ok || !current || starting} onClick={() => void start(stamp)}>
          <PlayIcon />
          {starting ? 'Starting…' : preflight.rehearsal ? 'Start rehearsal' : 'Start rotation'}
        </button>
        {!current ? <span className="field-hint">The setup changed since this pre-flight: run pre-flight again.</span> : null}
      </div>
    </section>
  );
}
