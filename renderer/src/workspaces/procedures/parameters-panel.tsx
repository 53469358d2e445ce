/**
 * The values a procedure's commands use (names and paths only), and for the container registry the
 * thumbprint computed from the new PFX.
 */
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { formatDate } from '../../lib/format';
import { call } from '../../lib/ipc';
import type { IpcError } from '../../../../shared/ipc/contract';
import type { ProcedureDefinition } from '../../../../shared/procedures/model';

function ThumbprintFromPfx({ initialPath, onThumbprint }: { initialPath: string; onThumbprint: (thumbprint: string) => void }) {
  const [path, setPath] = useState(initialPath);
  const [password, setPassword] = useState('');
  const [result, setResult] = useState<{ thumbprint: string; subject: string; notAfter: string } | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="proc-thumbprint">
      <p className="section-title">New certificate thumbprint</p>
      <div className="proc-form-grid">
        <div className="field">
          <label className="field-label" htmlFor="thumb-path">
            PFX file on this computer
          </label>
          <input id="thumb-path" className="input mono" value={path} onChange={(e) => setPath(e.target.value)} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="thumb-password">
            PFX password
          </label>
          <input id="thumb-password" className="input" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
          <p className="field-hint">Used once to open the file; never stored.</p>
        </div>
      </div>
      <button
        type="button"
        className="btn"
        disabled={busy || !path.trim()}
        onClick={() => {
          setBusy(true);
          setError(null);
          void call((api) => api.procedures.pfxThumbprint({ path: path.trim(), password })).then((r) => {
            setBusy(false);
            setPassword('');
            if (!r.ok) {
              setError(r.error);
              setResult(null);
              return;
            }
            setResult(r.value);
            onThumbprint(r.value.thumbprint);
          });
        }}
      >
        Compute thumbprint
      </button>
      {error ? <ErrorMessage error={error} /> : null}
      {result ? (
        <dl className="facts" aria-label="Certificate for the redeployment">
          <dt>PFXThumbprint</dt>
          <dd className="mono">{result.thumbprint}</dd>
          <dt>Subject</dt>
          <dd className="mono">{result.subject}</dd>
          <dt>Expires</dt>
          <dd>{formatDate(result.notAfter)}</dd>
        </dl>
      ) : null}
    </div>
  );
}

/** The parameter fields of a procedure; `onThumbprint` adds the PFX thumbprint tool (container registry). */
export function ParametersPanel({
  definition,
  values,
  problems,
  onChange,
  onThumbprint,
}: {
  definition: ProcedureDefinition;
  values: Record<string, string>;
  problems: Record<string, string>;
  onChange: (key: string, value: string) => void;
  onThumbprint?: (thumbprint: string) => void;
}) {
  return (
    <>
      {definition.parameters.length > 0 ? (
        <div className="proc-form-grid">
          {definition.parameters.map((p) => (
            <Field key={p.key} id={`param-${p.key}`} label={p.required ? p.label : `${p.label} (optional)`} hint={p.help} problem={problems[p.key] ?? null}>
              {(control) =>
                p.rule === 'yes-no' ? (
                  <select {...control} className="select" value={values[p.key] ?? p.defaultValue ?? 'no'} onChange={(e) => onChange(p.key, e.target.value)}>
                    <option value="no">No</option>
                    <option value="yes">Yes</option>
                  </select>
                ) : (
                  <input {...control} className="input mono" value={values[p.key] ?? ''} placeholder={p.defaultValue ?? p.example} onChange={(e) => onChange(p.key, e.target.value)} />
                )
              }
            </Field>
          ))}
        </div>
      ) : null}
      {definition.id === 'container-registry' && (values.newUser ?? '').toLowerCase() === 'yes' ? (
        <ErrorMessage
          tone="info"
          error={{
            code: 'conflict',
            message: 'A new registry user: delete the old user’s Key Vault secret afterwards.',
            hint: 'Otherwise both logins stay valid. The checklist adds the step.',
          }}
        />
      ) : null}
      {definition.id === 'container-registry' && onThumbprint ? (
        <ThumbprintFromPfx initialPath={values.certificateFilePath ?? ''} onThumbprint={onThumbprint} />
      ) : null}
    </>
  );
}
