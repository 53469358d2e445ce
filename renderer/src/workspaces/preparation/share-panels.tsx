/**
 * The share sections of the Prepare workspace: tree preview and creation, placement, access test.
 */
import type { FormEvent } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { CheckIcon, PlayIcon } from '../../components/icons';
import { StatusBadge, StatusIcon } from '../../components/status-icon';
import { activePrepStamp, sectionProblems, usePreparationStore } from '../../stores/preparation-store';
import { FolderInput, PathText, SecretInput, baseName } from './prep-fields';

function useProblems(section: 'tree' | 'place' | 'access') {
  const form = usePreparationStore((s) => s.form);
  const adhoc = usePreparationStore((s) => s.adhoc);
  const submitted = usePreparationStore((s) => s.submitted[section] ?? false);
  const problems = sectionProblems(section, form, adhoc, activePrepStamp());
  return (key: string) => (submitted ? (problems[key] ?? null) : null);
}

/** Share tree: what exists, what `make-dirs` would create, and entries that do not belong. */
export function TreePanel() {
  const tree = usePreparationStore((s) => s.tree);
  const previewTree = usePreparationStore((s) => s.previewTree);
  const makeDirs = usePreparationStore((s) => s.makeDirs);
  const problem = useProblems('tree');
  const missing = tree.result?.folders.filter((f) => !f.exists).length ?? 0;
  const unexpected = tree.made?.unexpected ?? tree.result?.unexpected ?? [];

  return (
    <section className="card prep-card" aria-labelledby="prep-tree-title">
      <h2 id="prep-tree-title" className="card-title">
        Share tree
      </h2>
      <p className="prep-lead">
        The PEP expects <span className="mono">Certificates\&lt;AAD|ADFS&gt;\&lt;endpoint&gt;\&lt;one&gt;.pfx</span>. Preview first; creating adds
        missing folders only and never touches what is already there.
      </p>
      <div className="form-grid">
        <FolderInput field="shareRoot" label="Share folder" hint="Certificates is created inside it." problem={problem('shareRoot')} disabled={tree.busy} />
        <FolderInput field="paasDir" label="PaaS folder (optional)" hint="Creates the folders of the stamp's PaaS providers there." disabled={tree.busy} />
      </div>
      <div className="form-actions">
        <button type="button" className="btn" disabled={tree.busy} onClick={() => void previewTree()}>
          Preview
        </button>
        <button type="button" className="btn btn-primary" disabled={tree.busy} onClick={() => void makeDirs()}>
          <PlayIcon />
          {tree.busy ? 'Working…' : 'Create missing folders'}
        </button>
      </div>
      {tree.error ? <ErrorMessage error={tree.error} /> : null}
      {tree.made ? (
        <p className="structure-ok" role="status">
          <span aria-hidden="true">✓ </span>
          {tree.made.created.length} folder(s) created, {tree.made.existing.length} already existed.
        </p>
      ) : null}
      {unexpected.length > 0 ? (
        <div className="structure-problems" role="region" aria-labelledby="prep-unexpected-title">
          <h3 id="prep-unexpected-title" className="structure-title">
            <span aria-hidden="true">! </span>
            {unexpected.length === 1 ? '1 entry does not belong in the tree' : `${unexpected.length} entries do not belong in the tree`} (left untouched)
          </h3>
          <ul>
            {unexpected.map((p) => (
              <li key={p}>
                <PathText path={p} /> — remove or move it before the rotation: the PEP refuses extra folders and files.
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {tree.result ? (
        <div className="table-scroll prep-table">
          <table className="table">
            <caption className="sr-only">Folders of the share tree</caption>
            <thead>
              <tr>
                <th scope="col">Folder</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {tree.result.folders.map((f) => (
                <tr key={f.path}>
                  <th scope="row" className="mono">
                    {f.relative}
                  </th>
                  <td>{f.exists ? <StatusBadge status="ok" text="Exists" /> : <StatusBadge status="skipped" text="Would be created" />}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="prep-note">{missing === 0 ? 'The tree is complete.' : `${missing} folder(s) missing.`}</p>
        </div>
      ) : null}
    </section>
  );
}

const PLACE_TONE: Record<string, 'ok' | 'warning' | 'fail' | 'skipped'> = {
  placed: 'ok',
  'already-placed': 'ok',
  skipped: 'skipped',
  'no-match': 'fail',
  'multiple-matches': 'warning',
  duplicate: 'warning',
  occupied: 'warning',
  unreadable: 'fail',
  failed: 'fail',
};

/** Placement: copy each PFX into the endpoint folder its SANs match. */
export function PlacementPanel() {
  const place = usePreparationStore((s) => s.place);
  const placeFiles = usePreparationStore((s) => s.placeFiles);
  const problem = useProblems('place');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void placeFiles();
  };
  return (
    <form className="card prep-card" aria-labelledby="prep-place-title" noValidate onSubmit={onSubmit}>
      <h2 id="prep-place-title" className="card-title">
        Placement
      </h2>
      <p className="prep-lead">Each PFX goes into the folder its SANs match; originals are copied, never moved. Files that match no endpoint, or several, are listed and not copied.</p>
      <div className="form-grid">
        <FolderInput field="pfxFolder" label="Folder with the PFX files" problem={problem('pfxFolder')} disabled={place.busy} />
        <FolderInput field="shareRoot" label="Share folder" hint="The folder holding Certificates." problem={problem('shareRoot')} disabled={place.busy} />
        <SecretInput field="placePassword" label="PFX password" hint="Opens the files to read their SANs; not stored." disabled={place.busy} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={place.busy}>
          <PlayIcon />
          {place.busy ? 'Placing…' : 'Place files'}
        </button>
      </div>
      {place.error ? <ErrorMessage error={place.error} /> : null}
      {place.result ? (
        <div className="table-scroll prep-table">
          <p className="prep-note" role="status">
            {place.result.summary.placed} placed, {place.result.summary.alreadyPlaced} already there, {place.result.summary.notPlaced} not placed.
          </p>
          <table className="table">
            <caption className="sr-only">Placement results</caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Result</th>
                <th scope="col">Endpoint</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {place.result.files.map((f) => (
                <tr key={f.file}>
                  <th scope="row" className="mono" title={f.file}>
                    {baseName(f.file)}
                  </th>
                  <td>
                    <StatusBadge status={PLACE_TONE[f.status] ?? 'skipped'} text={f.status} />
                  </td>
                  <td>{f.endpoint ?? (f.candidates.length > 1 ? f.candidates.join(', ') : '—')}</td>
                  <td className="cell-wrap">{f.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </form>
  );
}

const STEP_LABELS = { connect: 'Connect (net use)', list: 'List the folder', create: 'Create a probe file', read: 'Read it back', delete: 'Delete it' } as const;

/** Share access: list, create, read back and delete a probe file. */
export function AccessPanel() {
  const access = usePreparationStore((s) => s.access);
  const user = usePreparationStore((s) => s.form.accessUser);
  const setField = usePreparationStore((s) => s.setField);
  const testAccess = usePreparationStore((s) => s.testAccess);
  const problem = useProblems('access');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void testAccess();
  };
  return (
    <form className="card prep-card" aria-labelledby="prep-access-title" noValidate onSubmit={onSubmit}>
      <h2 id="prep-access-title" className="card-title">
        Share access
      </h2>
      <p className="prep-lead">Proves this account can list, create, read back and delete a file in the share, as placing, restoring and cleaning need.</p>
      <div className="form-grid">
        <FolderInput field="accessPath" label="Share folder" hint="A mounted path, or \\server\share\folder on Windows." problem={problem('accessPath')} disabled={access.busy} />
        <Field id="prep-accessUser" label="Share account (Windows, optional)" hint="Connects with net use first; the password goes to it on stdin and is not stored.">
          {(a) => <input {...a} className="input mono" value={user} autoComplete="off" spellCheck={false} disabled={access.busy} onChange={(e) => setField('accessUser', e.target.value)} />}
        </Field>
        {user.trim() ? <SecretInput field="accessPassword" label="Share password" problem={problem('accessPassword')} disabled={access.busy} /> : null}
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={access.busy}>
          <CheckIcon />
          {access.busy ? 'Testing…' : 'Test access'}
        </button>
      </div>
      {access.error ? <ErrorMessage error={access.error} /> : null}
      {access.result ? (
        <div className="prep-result" role="status">
          <ol className="prep-steps" aria-label="Steps of the test">
            {access.result.steps.map((s) => (
              <li key={s.step}>
                <StatusIcon status={s.status} label={`${STEP_LABELS[s.step]}: ${s.status === 'fail' ? 'failed' : s.status}`} />
                <span className="prep-step-name">{STEP_LABELS[s.step]}</span>
                <span className="prep-note">{s.status === 'ok' ? `${s.ms} ms` : s.status === 'fail' ? 'failed' : 'not tried'}</span>
              </li>
            ))}
          </ol>
          {access.result.problem ? (
            <ErrorMessage error={{ code: 'io-error', message: `${access.result.problem.code}: ${access.result.problem.message}`, hint: access.result.problem.hint }} />
          ) : (
            <p className="structure-ok">
              <span aria-hidden="true">✓ </span>This account can list, create, read back and delete files here.
            </p>
          )}
          {access.result.leftover ? <p className="prep-note">The probe file {access.result.leftover} could not be deleted; remove it by hand.</p> : null}
        </div>
      ) : null}
    </form>
  );
}
