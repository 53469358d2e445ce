/**
 * The run setup: which procedure, its parameters, the credentials (used for this run only), rehearsal
 * options, then pre-flight and Start.
 */
import type { FormEvent } from 'react';
import { rerunCommand } from '../../../../shared/rotation/rotation-run';
import type { Stamp } from '../../../../shared/stamps/stamp';
import { Field } from '../../components/field';
import { FolderIcon, PlayIcon } from '../../components/icons';
import { call } from '../../lib/ipc';
import type { SimScenario } from '../../../../shared/rotation/rotation-run';
import { isRehearsal, rotationFormProblems, useRotationStore, type RotationField, type RotationForm } from '../../stores/rotation-store';

/** The simulator's scenarios in the operator's words; `fail-at-step` takes its step from its own field. */
const SCENARIOS: { value: SimScenario['kind']; label: string }[] = [
  { value: 'success', label: 'Success' },
  { value: 'fail-at-step', label: 'Failure at an action-plan step' },
  { value: 'ercs01-unreachable', label: 'First ERCS VM unreachable' },
  { value: 'wrong-credential', label: 'Wrong PEP credential' },
  { value: 'session-drop', label: 'PEP session dropped mid-run' },
  { value: 'garbage-output', label: 'Unreadable output lines' },
  { value: 'exit-nonzero', label: 'PowerShell exits mid-run' },
];

/** Splits the form's scenario text (`fail-at-step:2`) into the select's value and the step field. */
function scenarioParts(scenario: string): { kind: string; step: string } {
  const step = /^fail-at-step:(.*)$/.exec(scenario);
  return step ? { kind: 'fail-at-step', step: step[1]! } : { kind: scenario, step: '2' };
}

const PROCEDURES: { kind: RotationForm['kind']; label: string; hint: string }[] = [
  { kind: 'external', label: 'External certificates', hint: 'Start-SecretRotation with the new certificates from the share. About one hour.' },
  { kind: 'internal', label: 'Internal secrets', hint: 'Start-SecretRotation -Internal. Only when an internal secret may be compromised or an expiry alert fired.' },
  { kind: 'bmc', label: 'BMC credential', hint: 'Set-BmcCredential. The user name must be the same on every BMC.' },
];

function PasswordField({ id, label, field, secret, hint, problem }: { id: string; label: string; field: RotationField; secret: 'pep' | 'share' | 'certificate' | 'bmc'; hint: string; problem: string | null }) {
  const value = useRotationStore((s) => s.secrets[secret]);
  const setSecret = useRotationStore((s) => s.setSecret);
  const touch = useRotationStore((s) => s.touch);
  const disabled = useRotationStore((s) => s.starting);
  return (
    <Field id={id} label={label} hint={hint} problem={problem}>
      {(a) => <input {...a} type="password" className="input" autoComplete="off" value={value} disabled={disabled} onChange={(e) => setSecret(secret, e.target.value)} onBlur={() => touch(field)} />}
    </Field>
  );
}

function TextField({
  id,
  label,
  field,
  keyName,
  hint,
  placeholder,
  problem = null,
}: {
  id: string;
  label: string;
  field: RotationField | null;
  keyName: 'share' | 'pfxFilesPath' | 'pepUser' | 'shareUser' | 'bmcUser';
  hint?: string;
  placeholder?: string;
  problem?: string | null;
}) {
  const value = useRotationStore((s) => s.form[keyName]);
  const setField = useRotationStore((s) => s.setField);
  const touch = useRotationStore((s) => s.touch);
  const disabled = useRotationStore((s) => s.starting);
  return (
    <Field id={id} label={label} hint={hint} problem={problem}>
      {(a) => (
        <input
          {...a}
          className="input mono"
          spellCheck={false}
          autoComplete="off"
          placeholder={placeholder}
          value={value}
          disabled={disabled}
          onChange={(e) => setField(keyName, e.target.value)}
          onBlur={() => field && touch(field)}
        />
      )}
    </Field>
  );
}

/** The setup form of a rotation run for `stamp`. */
export function SetupForm({ stamp }: { stamp: Stamp }) {
  const form = useRotationStore((s) => s.form);
  const secrets = useRotationStore((s) => s.secrets);
  const touched = useRotationStore((s) => s.touched);
  const submitted = useRotationStore((s) => s.submitted);
  const setField = useRotationStore((s) => s.setField);
  const touch = useRotationStore((s) => s.touch);
  const preflightBusy = useRotationStore((s) => s.preflightBusy);
  const starting = useRotationStore((s) => s.starting);
  const runPreflight = useRotationStore((s) => s.runPreflight);
  const problems = rotationFormProblems(form, secrets, stamp);
  const shown = (field: RotationField) => (submitted || touched[field] ? (problems[field] ?? null) : null);
  const rehearsal = isRehearsal(form, stamp);
  const procedure = PROCEDURES.find((p) => p.kind === form.kind)!;
  const scenario = scenarioParts(form.scenario);

  async function browse() {
    const result = await call((api) => api.dialogs.openFolder({ title: 'Choose the Certificates folder of the share' }));
    if (result.ok && result.value.path) setField('share', result.value.path);
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    void runPreflight(stamp).then(() => {
      if (!useRotationStore.getState().preflight) formEl.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    });
  }

  return (
    <form className="card rotation-setup" aria-labelledby="rotation-setup-title" noValidate onSubmit={onSubmit}>
      <h2 id="rotation-setup-title" className="card-title">
        Set up the run
      </h2>
      <fieldset className="rotation-fieldset">
        <legend className="field-label">Procedure</legend>
        <div className="segmented" role="radiogroup" aria-label="Procedure">
          {PROCEDURES.map((p) => (
            <label key={p.kind} className="segmented-option">
              <input type="radio" name="rotation-kind" value={p.kind} checked={form.kind === p.kind} disabled={starting} onChange={() => setField('kind', p.kind)} />
              <span>{p.label}</span>
            </label>
          ))}
        </div>
        <p className="field-hint">{procedure.hint}</p>
      </fieldset>

      {form.kind === 'external' ? (
        <div className="form-grid">
          <div className="span-2 field-with-action">
            <TextField id="rotation-share" label="Certificates folder (as this machine sees it)" field="share" keyName="share" problem={shown('share')} hint="Validated with the engine before the run; it must validate green." />
            <button type="button" className="btn rotation-inline-button" disabled={starting} onClick={() => void browse()}>
              <FolderIcon />
              Browse…
            </button>
          </div>
          {form.rerun ? null : (
            <>
              <TextField id="rotation-pfx-path" label="Share path for the ERCS VMs (-PfxFilesPath)" field="pfxFilesPath" keyName="pfxFilesPath" problem={shown('pfxFilesPath')} placeholder="\\10.0.0.5\rotation\Certificates" hint={rehearsal ? 'Optional in a rehearsal.' : 'A UNC path ending in \\Certificates.'} />
              <TextField id="rotation-share-user" label="Share account (-PathAccessCredential)" field="shareUser" keyName="shareUser" problem={shown('shareUser')} placeholder="CONTOSO\svc-rotate" hint={rehearsal ? 'Optional in a rehearsal.' : 'Must read and write the share from the ERCS VMs.'} />
            </>
          )}
        </div>
      ) : null}

      {form.kind === 'bmc' ? (
        <div className="form-grid">
          <TextField id="rotation-bmc-user" label="BMC user (optional)" field="bmcUser" keyName="bmcUser" problem={shown('bmcUser')} hint="At most 16 characters, the same on every BMC." />
          <label className="check rotation-check">
            <input type="checkbox" checked={form.bypassBmcUpdate} disabled={starting} onChange={(e) => setField('bypassBmcUpdate', e.target.checked)} />
            <span>Update only Azure Stack Hub's record (-BypassBMCUpdate)</span>
          </label>
        </div>
      ) : (
        <label className="check rotation-check">
          <input type="checkbox" checked={form.rerun} disabled={starting} onChange={(e) => setField('rerun', e.target.checked)} />
          <span>
            {/* Only external certificates are read from the share again: internal secrets rerun without a restore. */}
            {form.kind === 'external' ? 'Rerun after a failed rotation (-ReRun): restore the certificates from the backup first' : `Rerun after a failed rotation (${rerunCommand('internal', stamp.version).replace('Start-SecretRotation ', '')}): nothing to restore`}
          </span>
        </label>
      )}

      <fieldset className="rotation-fieldset rotation-credentials">
        <legend className="field-label">Credentials — used for this run only, never stored</legend>
        <div className="form-grid">
          <TextField id="rotation-pep-user" label="PEP user" field={null} keyName="pepUser" placeholder="AZURESTACK\CloudAdmin" hint="DOMAIN\CloudAdmin of this stamp." />
          <PasswordField id="rotation-pep-password" label="PEP password" field="pep" secret="pep" problem={shown('pep')} hint="Wrong passwords count towards the account lock-out." />
          {form.kind === 'external' ? <PasswordField id="rotation-pfx-password" label="PFX password (-CertificatePassword)" field="certificate" secret="certificate" problem={shown('certificate')} hint="One password opens every certificate of the share." /> : null}
          {form.kind === 'external' && !form.rerun ? <PasswordField id="rotation-share-password" label="Share account password" field="sharePassword" secret="share" problem={shown('sharePassword')} hint="For -PathAccessCredential." /> : null}
          {form.kind === 'bmc' ? <PasswordField id="rotation-bmc-password" label="New BMC password" field="bmc" secret="bmc" problem={shown('bmc')} hint="For Set-BmcCredential -BmcPassword." /> : null}
        </div>
      </fieldset>

      <fieldset className={`rotation-fieldset${rehearsal ? ' rotation-rehearsal' : ''}`}>
        <legend className="field-label">Rehearsal</legend>
        {stamp.rehearsal ? (
          <p className="field-hint">{stamp.name} is a rehearsal stamp: every run goes to the PEP simulator.</p>
        ) : (
          <label className="check">
            <input type="checkbox" checked={form.rehearse} disabled={starting} onChange={(e) => setField('rehearse', e.target.checked)} />
            <span>Rehearse against the PEP simulator instead of the stamp</span>
          </label>
        )}
        {rehearsal ? (
          <div className="form-grid">
            <Field id="rotation-scenario" label="Rehearsal scenario" problem={scenario.kind === 'fail-at-step' ? null : shown('scenario')} hint="The fault the simulated stamp injects, to practise what follows.">
              {(a) => (
                <select
                  {...a}
                  className="select"
                  value={scenario.kind}
                  disabled={starting}
                  onChange={(e) => setField('scenario', e.target.value === 'fail-at-step' ? `fail-at-step:${scenario.step || '2'}` : e.target.value)}
                >
                  {SCENARIOS.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {scenario.kind === 'fail-at-step' ? (
              <Field id="rotation-fail-step" label="Step that fails" problem={shown('scenario')} hint="Counted from 1 in the simulated action plan.">
                {(a) => (
                  <input {...a} className="input input-short" inputMode="numeric" value={scenario.step} disabled={starting} onChange={(e) => setField('scenario', `fail-at-step:${e.target.value.trim()}`)} onBlur={() => touch('scenario')} />
                )}
              </Field>
            ) : null}
            <Field id="rotation-sim-seconds" label="Length of the simulated hour (seconds)" problem={shown('simSeconds')}>
              {(a) => <input {...a} className="input input-short" inputMode="numeric" value={form.simSeconds} disabled={starting} onChange={(e) => setField('simSeconds', e.target.value)} onBlur={() => touch('simSeconds')} />}
            </Field>
          </div>
        ) : null}
      </fieldset>

      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={preflightBusy || starting}>
          <PlayIcon />
          {preflightBusy ? 'Checking…' : 'Run pre-flight'}
        </button>
      </div>
    </form>
  );
}
