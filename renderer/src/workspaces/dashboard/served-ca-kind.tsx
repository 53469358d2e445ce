/**
 * The kind of CA the stamp's endpoints served at the last probe, against the current CA kind its profile
 * records, with a one-click fix when the probe settles an unknown or stale kind.
 *
 * The profile's kind is the "from" side of the CA transition check in validation, so it matters that it
 * is what the stamp really serves rather than what someone remembered when creating the profile.
 */
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { useStampsStore } from '../../stores/stamps-store';
import type { IpcError } from '../../../../shared/ipc/contract';
import { caKindFinding } from '../../../../shared/probe/probe-result';
import type { Dashboard } from '../../../../shared/procedures/procedure-schema';
import type { CaKind, Stamp } from '../../../../shared/stamps/stamp';

/**
 * The served CA kind of the last probe, per endpoint and for the stamp.
 *
 * Offers to record the served kind as the profile's current CA kind when the profile says unknown or
 * something else; when the probe went to a `--connect` address it says so, since that may not be the stamp.
 */
export function ServedCaKind({ stamp, probe }: { stamp: Stamp; probe: NonNullable<Dashboard['probe']> }) {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const finding = caKindFinding(probe.servedCaKind, stamp.currentCaKind);
  const judged = probe.endpoints.filter((e) => e.caKind !== null);

  async function record(kind: CaKind) {
    setSaving(true);
    setError(null);
    setNotice(null);
    const failure = await useStampsStore.getState().setCurrentCaKind(stamp.id, kind);
    setSaving(false);
    if (failure) {
      setError(failure);
      return;
    }
    setNotice(`Recorded ${kind} as the current CA kind of ${stamp.name}.`);
  }

  return (
    <div className="dash-ca-kind">
      <p className="dash-subtitle">
        Served CA kind: <span data-testid="served-ca-kind">{probe.servedCaKind ?? 'not known'}</span>
        <span className="dash-ca-recorded"> · stamp profile: {stamp.currentCaKind}</span>
      </p>
      {finding.state === 'match' ? (
        <p className="field-hint">{finding.message}</p>
      ) : (
        <ErrorMessage
          tone="info"
          error={{
            code: 'conflict',
            message: finding.message,
            hint:
              finding.suggested && probe.connect
                ? `This probe went to ${probe.connect} instead of DNS: record the kind only if that address is ${stamp.name}.`
                : finding.suggested
                  ? 'Validation judges the move to the new certificates’ CA from this kind (see the CA transition rules).'
                  : '',
          }}
        />
      )}
      {finding.suggested ? (
        <button type="button" className="btn" disabled={saving} onClick={() => void record(finding.suggested as CaKind)}>
          {saving ? 'Saving…' : `Record ${finding.suggested} as the current CA kind`}
        </button>
      ) : null}
      {error ? <ErrorMessage error={error} onDismiss={() => setError(null)} /> : null}
      {notice ? (
        <p className="field-hint" role="status">
          {notice}
        </p>
      ) : null}
      {judged.length > 0 ? (
        <details className="dash-ca-details" open={finding.state === 'mixed' || undefined}>
          <summary>CA kind per endpoint</summary>
          <div className="table-scroll">
            <table className="table dash-table">
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Name</th>
                  <th scope="col">CA kind</th>
                  <th scope="col">Issuer of the top of the chain</th>
                </tr>
              </thead>
              <tbody>
                {judged.map((e) => (
                  <tr key={e.name}>
                    <td>{e.endpoint}</td>
                    <td className="mono">{e.name}</td>
                    <td>
                      {e.caKind}
                      {e.error ? ` (${e.error}: not counted)` : ''}
                    </td>
                    <td className="mono cell-wrap">{e.chain.at(-1)?.issuer ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
    </div>
  );
}
