/**
 * PFX repackage: rewrite an existing PFX the way the rotation wants it (TripleDES-SHA1, chain leaf → root,
 * nothing unrelated, the local-machine keyset attribute, optionally a new password), then show the engine's
 * validation of the file just written.
 */
import type { FormEvent } from 'react';
import type { CheckId } from '../../../../shared/certificates/report';
import { CHECK_TITLES } from '../../../../shared/certificates/report';
import { ENDPOINTS } from '../../../../shared/endpoints/catalog';
import type { RepackageResultView } from '../../../../shared/ipc/preparation-contract';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { PlayIcon } from '../../components/icons';
import { StatusBadge } from '../../components/status-icon';
import { activePrepStamp, effectiveContext, sectionProblems, usePreparationStore } from '../../stores/preparation-store';
import { PathText, SecretInput, TextInput } from './prep-fields';

function checkTitle(id: string): string {
  return CHECK_TITLES[id as CheckId] ?? id;
}

function RepackageResult({ result }: { result: RepackageResultView }) {
  const v = result.validation;
  const issues = v.results.flatMap((r) => r.issues.map((i) => ({ ...i, endpoint: r.endpoint })));
  return (
    <div className="prep-result">
      <p className="structure-ok" role="status">
        <span aria-hidden="true">✓ </span>
        Written to <PathText path={result.output} /> ({result.profile === 'azure-stack' ? 'TripleDES-SHA1' : 'AES-256 / SHA-256'}
        {result.passwordChanged ? ', new password' : ', same password'}).
      </p>
      <dl className="prep-facts">
        <dt>Chain</dt>
        <dd>
          {result.chain.map((c) => c.subject).join(' → ')}
          {result.chainComplete ? null : <span className="prep-fact-problem"> — stops short: “{result.missingIssuer}” is missing</span>}
        </dd>
        <dt>Changes</dt>
        <dd>
          {[
            result.reordered ? 'chain reordered leaf → root' : null,
            result.dropped.length > 0 ? `dropped ${result.dropped.map((d) => d.subject).join('; ')}` : null,
            result.machineKeySetAdded ? 'local-machine keyset attribute added' : null,
          ]
            .filter(Boolean)
            .join(' · ') || 're-encrypted only'}
        </dd>
        <dt>Protection</dt>
        <dd className="mono">
          key {result.written.keyEncryption ?? 'none'}, certificates {result.written.certificateEncryption ?? 'none'}, MAC {result.written.mac ?? 'none'}
        </dd>
      </dl>
      <section className={`prep-validation prep-validation-${v.status}`} aria-labelledby="prep-repack-validation-title">
        <h3 id="prep-repack-validation-title" className="prep-validation-title">
          <StatusBadge status={v.status} /> Validation of the new file
        </h3>
        <p className="prep-note">{v.note}</p>
        {issues.length === 0 ? (
          <p className="prep-note">All checks passed.</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <caption className="sr-only">Checks of the new file that are not ok</caption>
              <thead>
                <tr>
                  <th scope="col">Check</th>
                  <th scope="col">Result</th>
                  {v.results.length > 1 || v.results[0]?.endpoint ? <th scope="col">Endpoint</th> : null}
                  <th scope="col">Finding</th>
                </tr>
              </thead>
              <tbody>
                {issues.map((i) => (
                  <tr key={`${i.endpoint ?? ''}-${i.id}`}>
                    <th scope="row">{checkTitle(i.id)}</th>
                    <td>
                      <StatusBadge status={i.status} />
                    </td>
                    {v.results.length > 1 || v.results[0]?.endpoint ? <td>{i.endpoint}</td> : null}
                    <td className="cell-wrap">{i.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

/** PFX repackage. */
export function RepackagePanel() {
  const form = usePreparationStore((s) => s.form);
  const adhoc = usePreparationStore((s) => s.adhoc);
  const repackage = usePreparationStore((s) => s.repackage);
  const submitted = usePreparationStore((s) => s.submitted.repackage ?? false);
  const setField = usePreparationStore((s) => s.setField);
  const repackagePfx = usePreparationStore((s) => s.repackagePfx);
  const stamp = activePrepStamp();
  const problems = sectionProblems('repackage', form, adhoc, stamp);
  const problem = (key: string) => (submitted ? (problems[key] ?? null) : null);
  const identity = effectiveContext(adhoc, stamp).identity;
  // The endpoints a file of this stamp can be for: its identity system's mandatory ones, then every PaaS one.
  const endpoints = ENDPOINTS.filter((e) => e.kind === 'paas' || e.identities.includes(identity));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void repackagePfx();
  };

  return (
    <form className="card prep-card" aria-labelledby="prep-repack-title" noValidate onSubmit={onSubmit}>
      <h2 id="prep-repack-title" className="card-title">
        PFX repackage
      </h2>
      <p className="prep-lead">
        Rewrites an existing PFX for the rotation: TripleDES-SHA1, the chain ordered leaf → root, unrelated certificates dropped, the local-machine keyset attribute added, optionally
        under a new password. The original is only read; the new file is validated right after it is written.
      </p>
      <div className="form-grid">
        <TextInput field="repackInput" label="PFX to repackage" hint="Full path of the .pfx (or .p12) file." problem={problem('repackInput')} disabled={repackage.busy} />
        <SecretInput field="repackPassword" label="Current password" hint="Leave empty for a file without a password." disabled={repackage.busy} />
        <TextInput field="repackOutput" label="New PFX" hint="Full path of the file to write; never the original." problem={problem('repackOutput')} disabled={repackage.busy} />
        <SecretInput field="repackNewPassword" label="New password (optional)" hint="The share password; leave empty to keep the current one." disabled={repackage.busy} />
        <Field id="prep-repackProfile" label="Protection">
          {(a) => (
            <select {...a} className="select" value={form.repackProfile} disabled={repackage.busy} onChange={(e) => setField('repackProfile', e.target.value as 'azure-stack' | 'modern')}>
              <option value="azure-stack">TripleDES-SHA1 (Azure Stack Hub rotation)</option>
              <option value="modern">AES-256 / SHA-256 (other uses)</option>
            </select>
          )}
        </Field>
        <Field
          id="prep-repackEndpoint"
          label="Validate against"
          hint={stamp ? `Names of ${stamp.region}.${stamp.externalFqdn} (${stamp.name}).` : 'Region and domain: those entered above when valid, else read from the SANs.'}
        >
          {(a) => (
            <select {...a} className="select" value={form.repackEndpoint} disabled={repackage.busy} onChange={(e) => setField('repackEndpoint', e.target.value)}>
              <option value="">The endpoints its SANs serve</option>
              {endpoints.map((e) => (
                <option key={e.name} value={e.name}>
                  {e.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={repackage.busy}>
          <PlayIcon />
          {repackage.busy ? 'Repackaging…' : 'Repackage'}
        </button>
      </div>
      {repackage.error ? <ErrorMessage error={repackage.error} /> : null}
      {repackage.result ? <RepackageResult result={repackage.result} /> : null}
    </form>
  );
}
