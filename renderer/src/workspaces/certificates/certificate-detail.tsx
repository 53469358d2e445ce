/**
 * The detail panel of one certificate: every check with its message, remediation and Readiness
 * Checker name, then the leaf certificate's identity and validity.
 */
import { CHECK_TITLES, READINESS_CHECKER_NAMES } from '../../../../shared/certificates/report';
import type { CertificateReport } from '../../../../shared/certificates/report';
import { StatusBadge, StatusIcon } from '../../components/status-icon';
import { checksForDetail, isStampLevel } from '../../lib/report-view';
import { daysUntil, describeDaysLeft, expiryTone, formatDateTime, humanizeDates, STATUS_DISPLAY } from '../../lib/format';
import { useReferenceTime } from '../../stores/review-store';

function DaysLeft({ notAfter }: { notAfter: string }) {
  const days = daysUntil(notAfter, useReferenceTime());
  return <span className={`badge badge-${expiryTone(days)}`}>{describeDaysLeft(days)}</span>;
}

/** Details of the selected certificate. */
export function CertificateDetail({ cert }: { cert: CertificateReport }) {
  const leaf = cert.leaf;
  return (
    <section className="detail" aria-labelledby="detail-title">
      <div className="detail-head">
        <h2 id="detail-title" className="pane-title">
          {cert.endpoint}
        </h2>
        <StatusBadge status={cert.status} />
      </div>
      <p className="detail-file mono" title={cert.file}>
        {cert.file}
      </p>

      <h3 className="section-title">{cert.status === 'ok' ? 'Checks' : 'Checks, problems first'}</h3>
      <ol className="check-list">
        {checksForDetail(cert).map((check) => {
          const rc = READINESS_CHECKER_NAMES[check.id];
          return (
            <li key={check.id} className={`check-item check-${check.status}`}>
              <StatusIcon status={check.status} label={STATUS_DISPLAY[check.status].label} />
              <div className="check-body">
                <p className="check-title">
                  {CHECK_TITLES[check.id]}
                  <span className="check-rc">{rc ? `Readiness Checker: ${rc}` : 'Not a Readiness Checker test'}</span>
                </p>
                {check.message ? <p className="check-message">{humanizeDates(check.message)}</p> : null}
                {isStampLevel(check) ? (
                  // The rule's generic fix does not fit a fact missing from the profile: the warning above the table says what to do, once.
                  <p className="check-remediation">
                    <span className="check-remediation-label">Stamp-level: </span>
                    see the warning above the table; it is about the stamp profile, not this certificate.
                  </p>
                ) : check.status !== 'ok' && check.remediation ? (
                  <p className="check-remediation">
                    <span className="check-remediation-label">Fix: </span>
                    {check.remediation}
                  </p>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>

      <h3 className="section-title">Leaf certificate</h3>
      {leaf ? (
        <dl className="facts facts-wide">
          <dt>Subject</dt>
          <dd className="mono">{leaf.subject}</dd>
          <dt>Issuer</dt>
          <dd className="mono">{leaf.issuer}</dd>
          <dt>DNS names</dt>
          <dd>
            {leaf.sans.length ? (
              <ul className="san-list">
                {leaf.sans.map((san) => (
                  <li key={san} className="mono">
                    {san}
                  </li>
                ))}
              </ul>
            ) : (
              'None'
            )}
          </dd>
          <dt>Valid from</dt>
          <dd>{formatDateTime(leaf.notBefore)}</dd>
          <dt>Valid until</dt>
          <dd>
            {formatDateTime(leaf.notAfter)} <DaysLeft notAfter={leaf.notAfter} />
          </dd>
          <dt>Thumbprint</dt>
          <dd className="mono thumbprint">{leaf.thumbprint}</dd>
        </dl>
      ) : (
        <p className="empty-inline">The PFX could not be opened, so there is no certificate to show.</p>
      )}
    </section>
  );
}
