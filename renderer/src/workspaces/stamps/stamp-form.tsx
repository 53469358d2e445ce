/**
 * The create / edit form of a stamp profile.
 *
 * Problems show once a field was left (or on the first save) and then follow every keystroke, so the
 * operator is not scolded while still typing the first character.
 */
import { useEffect, useRef } from 'react';
import type { FormEvent } from 'react';
import { PAAS_PROVIDERS } from '../../../../shared/endpoints/catalog';
import { CA_KINDS } from '../../../../shared/stamps/stamp';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { draftProblems, useStampsStore } from '../../stores/stamps-store';
import type { DraftField, StampEditor } from '../../stores/stamps-store';
import { CA_KIND_LABELS, PROVIDER_LABELS } from './labels';

/** The stamp editor form. */
export function StampForm({ editor }: { editor: StampEditor }) {
  const setField = useStampsStore((s) => s.setField);
  const touch = useStampsStore((s) => s.touch);
  const save = useStampsStore((s) => s.save);
  const cancelEdit = useStampsStore((s) => s.cancelEdit);
  const formRef = useRef<HTMLFormElement>(null);
  const { draft } = editor;
  const problems = draftProblems(draft);
  const shown = (key: DraftField) => (editor.submitted || editor.touched[key] ? (problems[key] ?? null) : null);

  useEffect(() => {
    const wanted = editor.focusField ? formRef.current?.querySelector<HTMLElement>(`#${editor.focusField}`) : null;
    (wanted ?? formRef.current?.querySelector<HTMLInputElement>('input'))?.focus();
  }, [editor.mode, editor.id, editor.focusField]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const saved = await save();
    if (!saved) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  const title = editor.mode === 'create' ? 'New stamp' : `Edit ${draft.name || 'stamp'}`;
  return (
    <form ref={formRef} className="form" aria-labelledby="stamp-form-title" noValidate onSubmit={(e) => void onSubmit(e)}>
      <h2 id="stamp-form-title" className="pane-title">
        {title}
      </h2>
      <div className="form-grid">
        <Field id="stamp-name" label="Name" problem={shown('name')} className="span-2" hint="How you refer to this deployment, e.g. Contoso East.">
          {(a) => (
            <input
              {...a}
              className="input"
              value={draft.name}
              autoComplete="off"
              onChange={(e) => setField('name', e.target.value)}
              onBlur={() => touch('name')}
            />
          )}
        </Field>
        <Field id="stamp-region" label="Region" problem={shown('region')} hint="The DNS label, e.g. east.">
          {(a) => (
            <input
              {...a}
              className="input mono"
              value={draft.region}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setField('region', e.target.value)}
              onBlur={() => touch('region')}
            />
          )}
        </Field>
        <Field id="stamp-fqdn" label="External domain (FQDN)" problem={shown('externalFqdn')} hint="e.g. azurestack.contoso.com">
          {(a) => (
            <input
              {...a}
              className="input mono"
              value={draft.externalFqdn}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setField('externalFqdn', e.target.value)}
              onBlur={() => touch('externalFqdn')}
            />
          )}
        </Field>
        <fieldset className="field fieldset-inline">
          <legend className="field-label">Identity system</legend>
          <div className="segmented">
            {(['aad', 'adfs'] as const).map((value) => (
              <label key={value} className="segmented-option">
                <input
                  type="radio"
                  name="stamp-identity"
                  value={value}
                  checked={draft.identity === value}
                  onChange={() => setField('identity', value)}
                />
                <span>{value === 'aad' ? 'Azure AD' : 'AD FS'}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <Field id="stamp-version" label="Version" problem={shown('version')} hint="YYMM, e.g. 2108.">
          {(a) => (
            <input
              {...a}
              className="input mono input-short"
              value={draft.version}
              inputMode="numeric"
              autoComplete="off"
              maxLength={8}
              onChange={(e) => setField('version', e.target.value)}
              onBlur={() => touch('version')}
            />
          )}
        </Field>
        <Field
          id="stamp-ercs"
          label="ERCS VM addresses"
          problem={shown('ercsText')}
          className="span-2"
          hint="One to three IPv4 or IPv6 addresses or host names (e.g. AZS-ERCS01), separated by commas, spaces or lines."
        >
          {(a) => (
            <input
              {...a}
              className="input mono"
              value={draft.ercsText}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setField('ercsText', e.target.value)}
              onBlur={() => touch('ercsText')}
            />
          )}
        </Field>
        <Field id="stamp-ca" label="Current CA kind" hint="Who issued the certificates in use now.">
          {(a) => (
            <select
              {...a}
              className="select"
              value={draft.currentCaKind}
              onChange={(e) => setField('currentCaKind', e.target.value as typeof draft.currentCaKind)}
            >
              {[...CA_KINDS, 'unknown' as const].map((k) => (
                <option key={k} value={k}>
                  {CA_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field">
          <span className="field-label">
            Mode
          </span>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.rehearsal}
              aria-describedby="stamp-rehearsal-hint"
              onChange={(e) => setField('rehearsal', e.target.checked)}
            />
            <span>Rehearsal stamp</span>
          </label>
          <p className="field-hint" id="stamp-rehearsal-hint">
            Runs go to the built-in PEP simulator.
          </p>
        </div>
        <fieldset className="field span-2">
          <legend className="field-label">Installed resource providers</legend>
          <div className="check-grid">
            {PAAS_PROVIDERS.map((p) => (
              <label key={p} className="check">
                <input
                  type="checkbox"
                  checked={draft.resourceProviders.includes(p)}
                  onChange={(e) =>
                    setField(
                      'resourceProviders',
                      e.target.checked
                        ? PAAS_PROVIDERS.filter((x) => x === p || draft.resourceProviders.includes(x))
                        : draft.resourceProviders.filter((x) => x !== p),
                    )
                  }
                />
                <span>{PROVIDER_LABELS[p]}</span>
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      {editor.serverError ? <ErrorMessage error={editor.serverError} /> : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={editor.saving}>
          {editor.saving ? 'Saving…' : editor.mode === 'create' ? 'Create stamp' : 'Save changes'}
        </button>
        <button type="button" className="btn" onClick={cancelEdit}>
          Cancel
        </button>
      </div>
    </form>
  );
}
