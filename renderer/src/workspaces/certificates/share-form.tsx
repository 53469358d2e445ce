/**
 * The run setup: which share, which password, against which stamp (or ad-hoc values), and Start.
 */
import { useState } from 'react';
import type { DragEvent, FormEvent } from 'react';
import { CA_KINDS } from '../../../../shared/stamps/stamp';
import type { Stamp } from '../../../../shared/stamps/stamp';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { FolderIcon, PlayIcon } from '../../components/icons';
import { droppedPath } from '../../lib/drop-path';
import { effectiveCurrentCa, shareFormProblems, useValidationStore } from '../../stores/validation-store';
import type { CurrentCa, ShareField } from '../../stores/validation-store';
import { CA_KIND_LABELS, identityLabel } from '../stamps/labels';

function StampContext({ stamp }: { stamp: Stamp }) {
  return (
    <div className="context-strip" aria-label="Checked against">
      <span className="context-label">Checked against</span>
      <span className="context-value">{stamp.name}</span>
      <span className="chip">{identityLabel(stamp.identity)}</span>
      <span className="chip mono">
        {stamp.region}.{stamp.externalFqdn}
      </span>
      <span className="chip">Version {stamp.version}</span>
    </div>
  );
}

/** The share validation form. */
export function ShareForm({ stamp }: { stamp: Stamp | null }) {
  const form = useValidationStore((s) => s.form);
  const touched = useValidationStore((s) => s.touched);
  const submitted = useValidationStore((s) => s.submitted);
  const running = useValidationStore((s) => s.job !== null);
  const startError = useValidationStore((s) => s.startError);
  const browseError = useValidationStore((s) => s.browseError);
  const setField = useValidationStore((s) => s.setField);
  const touch = useValidationStore((s) => s.touch);
  const browse = useValidationStore((s) => s.browse);
  const start = useValidationStore((s) => s.start);
  const [dragging, setDragging] = useState(false);
  const [dropNote, setDropNote] = useState<string | null>(null);

  const problems = shareFormProblems(form, stamp);
  const shown = (key: ShareField) => (submitted || touched[key] ? (problems[key] ?? null) : null);

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    const path = droppedPath(e.dataTransfer);
    if (path) {
      setField('root', path);
      setDropNote(null);
    } else {
      setDropNote('This window cannot read where the dropped folder is. Paste or type its path, or use Browse.');
    }
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    await start();
    if (!useValidationStore.getState().job) formEl.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  return (
    <form className="card share-form" aria-labelledby="share-form-title" noValidate onSubmit={(e) => void onSubmit(e)}>
      <h2 id="share-form-title" className="card-title">
        Validate a share
      </h2>
      {stamp ? (
        <StampContext stamp={stamp} />
      ) : (
        <div className="form-grid form-grid-4">
          <Field id="adhoc-region" label="Region" problem={shown('region')}>
            {(a) => (
              <input
                {...a}
                className="input mono"
                value={form.region}
                spellCheck={false}
                autoComplete="off"
                disabled={running}
                onChange={(e) => setField('region', e.target.value)}
                onBlur={() => touch('region')}
              />
            )}
          </Field>
          <Field id="adhoc-fqdn" label="External domain (FQDN)" problem={shown('fqdn')}>
            {(a) => (
              <input
                {...a}
                className="input mono"
                value={form.fqdn}
                spellCheck={false}
                autoComplete="off"
                disabled={running}
                onChange={(e) => setField('fqdn', e.target.value)}
                onBlur={() => touch('fqdn')}
              />
            )}
          </Field>
          <Field id="adhoc-identity" label="Identity system">
            {(a) => (
              <select
                {...a}
                className="select"
                value={form.identity}
                disabled={running}
                onChange={(e) => setField('identity', e.target.value as 'aad' | 'adfs')}
              >
                <option value="aad">Azure AD</option>
                <option value="adfs">AD FS</option>
              </select>
            )}
          </Field>
          <Field id="adhoc-version" label="Version (optional)" problem={shown('stampVersion')}>
            {(a) => (
              <input
                {...a}
                className="input mono"
                value={form.stampVersion}
                inputMode="numeric"
                placeholder="YYMM"
                autoComplete="off"
                disabled={running}
                onChange={(e) => setField('stampVersion', e.target.value)}
                onBlur={() => touch('stampVersion')}
              />
            )}
          </Field>
        </div>
      )}

      <div
        className={`drop-zone${dragging ? ' drop-zone-active' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          if (!dragging) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <Field
          id="share-root"
          label="Share folder"
          problem={shown('root') ?? dropNote}
          hint="The Certificates folder or its AAD/ADFS child: drop it here, browse, or paste its path."
        >
          {(a) => (
            <div className="input-group">
              <input
                {...a}
                className="input mono"
                value={form.root}
                placeholder="\\server\share\Certificates"
                spellCheck={false}
                autoComplete="off"
                disabled={running}
                onChange={(e) => {
                  setDropNote(null);
                  setField('root', e.target.value);
                }}
                onBlur={() => touch('root')}
              />
              <button
                type="button"
                className="btn"
                aria-label="Browse for the share folder"
                disabled={running}
                onClick={() => void browse('root')}
              >
                <FolderIcon />
                Browse…
              </button>
            </div>
          )}
        </Field>
      </div>

      <div className="form-grid form-grid-run">
        <Field id="share-paas" label="PaaS folder (optional)">
          {(a) => (
            <div className="input-group">
              <input
                {...a}
                className="input mono"
                value={form.paasDir}
                spellCheck={false}
                autoComplete="off"
                disabled={running}
                onChange={(e) => setField('paasDir', e.target.value)}
              />
              <button
                type="button"
                className="btn"
                aria-label="Browse for the PaaS folder"
                disabled={running}
                onClick={() => void browse('paasDir')}
              >
                <FolderIcon />
                Browse…
              </button>
            </div>
          )}
        </Field>
        <Field id="share-password" label="PFX password" problem={shown('password')} hint="Used for this run only, never saved.">
          {(a) => (
            <>
              <input
                {...a}
                type="password"
                className="input"
                value={form.noPassword ? '' : form.password}
                autoComplete="off"
                disabled={running || form.noPassword}
                onChange={(e) => setField('password', e.target.value)}
                onBlur={() => touch('password')}
              />
              <label className="check">
                <input
                  type="checkbox"
                  checked={form.noPassword}
                  disabled={running}
                  onChange={(e) => {
                    setField('noPassword', e.target.checked);
                    if (e.target.checked) setField('password', '');
                  }}
                />
                <span>The files have no password</span>
              </label>
            </>
          )}
        </Field>
        <Field id="share-ca" label="Current CA kind">
          {(a) => (
            <select
              {...a}
              className="select"
              value={effectiveCurrentCa(form, stamp)}
              disabled={running}
              onChange={(e) => setField('currentCa', e.target.value as CurrentCa)}
            >
              {[...CA_KINDS, 'unknown' as const].map((k) => (
                <option key={k} value={k}>
                  {CA_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field field-action">
          <button type="submit" className="btn btn-primary btn-large" disabled={running}>
            <PlayIcon />
            Start validation
          </button>
        </div>
      </div>
      {startError ? <ErrorMessage error={startError} /> : null}
      {browseError ? <ErrorMessage error={browseError} /> : null}
    </form>
  );
}
