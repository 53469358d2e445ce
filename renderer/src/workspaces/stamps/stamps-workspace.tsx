/**
 * The Stamps workspace: the list of stamp profiles with an editor / details pane beside it.
 */
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import { CheckIcon, EditIcon, PlusIcon, TrashIcon } from '../../components/icons';
import { useEffect, useRef } from 'react';
import { formatDateTime } from '../../lib/format';
import { goValidateShare } from '../../lib/next-step';
import { useAppStore } from '../../stores/app-store';
import { useReadOnly } from '../../stores/review-store';
import { useStampsStore } from '../../stores/stamps-store';
import type { Stamp } from '../../../../shared/stamps/stamp';
import { CA_KIND_LABELS, CA_KIND_SHORT, PROVIDER_LABELS, identityLabel } from './labels';
import { StampForm } from './stamp-form';

function StampDetails({ stamp }: { stamp: Stamp }) {
  const activeStampId = useAppStore((s) => s.activeStampId);
  const setActiveStamp = useAppStore((s) => s.setActiveStamp);
  const startEdit = useStampsStore((s) => s.startEdit);
  const askRemove = useStampsStore((s) => s.askRemove);
  const created = useStampsStore((s) => s.createdId === stamp.id);
  const savedTick = useStampsStore((s) => s.savedTick);
  const readOnly = useReadOnly();
  const isActive = activeStampId === stamp.id;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const nextRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The form that had focus is gone after a save: focus lands on the result (the next step after a create).
    if (savedTick === 0) return;
    (nextRef.current ?? headingRef.current)?.focus();
  }, [savedTick]);
  return (
    <section className="details" aria-labelledby="stamp-details-title">
      <div className="pane-header">
        <h2 id="stamp-details-title" className="pane-title" ref={headingRef} tabIndex={-1}>
          {stamp.name}
        </h2>
        {isActive ? <span className="badge badge-ok">Active</span> : null}
        {readOnly ? <span className="badge badge-warning">From the bundle</span> : null}
      </div>
      {created && !readOnly ? (
        <div className="next-step" ref={nextRef} tabIndex={-1} role="group" aria-labelledby="stamp-next-title">
          <p className="next-step-text" id="stamp-next-title">
            <strong>Created.</strong> Next step: validate the certificate share of {stamp.name} before the rotation.
          </p>
          <button type="button" className="btn btn-primary btn-small" onClick={() => goValidateShare(stamp.id)}>
            Validate a share
          </button>
        </div>
      ) : null}
      <dl className="facts">
        <dt>Identity system</dt>
        <dd>{identityLabel(stamp.identity)}</dd>
        <dt>Region</dt>
        <dd className="mono">{stamp.region}</dd>
        <dt>External domain</dt>
        <dd className="mono">{stamp.externalFqdn}</dd>
        <dt>Version</dt>
        <dd>{stamp.version}</dd>
        <dt>ERCS VMs</dt>
        <dd className="mono">{stamp.ercsIps.join(', ')}</dd>
        <dt>Current CA</dt>
        <dd>{CA_KIND_LABELS[stamp.currentCaKind]}</dd>
        <dt>Resource providers</dt>
        <dd>
          {stamp.resourceProviders.length
            ? stamp.resourceProviders.map((p) => PROVIDER_LABELS[p] ?? p).join(', ')
            : 'None'}
        </dd>
        <dt>Mode</dt>
        <dd>{stamp.rehearsal ? 'Rehearsal (PEP simulator)' : 'Production'}</dd>
        <dt>Updated</dt>
        <dd>{formatDateTime(stamp.updatedAt)}</dd>
      </dl>
      <div className="form-actions details-actions">
        {readOnly ? (
          <p className="field-hint">Profiles in a bundle are read-only: close the review to edit your own stamps.</p>
        ) : null}
        {isActive ? null : (
          <button type="button" className="btn btn-primary" onClick={() => setActiveStamp(stamp.id)}>
            <CheckIcon />
            Make active
          </button>
        )}
        {readOnly ? null : (
          <>
            <button type="button" className="btn" onClick={() => startEdit(stamp.id)}>
              <EditIcon />
              Edit
            </button>
            <button type="button" className="btn btn-danger-quiet" onClick={() => askRemove(stamp.id)}>
              <TrashIcon />
              Delete
            </button>
          </>
        )}
      </div>
    </section>
  );
}

/** The Stamps workspace. */
export function StampsWorkspace() {
  const stamps = useStampsStore((s) => s.stamps);
  const loaded = useStampsStore((s) => s.loaded);
  const listError = useStampsStore((s) => s.listError);
  const selectedId = useStampsStore((s) => s.selectedId);
  const editor = useStampsStore((s) => s.editor);
  const notice = useStampsStore((s) => s.notice);
  const pendingRemoval = useStampsStore((s) => s.pendingRemoval);
  const removeError = useStampsStore((s) => s.removeError);
  const select = useStampsStore((s) => s.select);
  const startCreate = useStampsStore((s) => s.startCreate);
  const cancelRemove = useStampsStore((s) => s.cancelRemove);
  const confirmRemove = useStampsStore((s) => s.confirmRemove);
  const load = useStampsStore((s) => s.load);
  const activeStampId = useAppStore((s) => s.activeStampId);
  const readOnly = useReadOnly();
  const selected = stamps.find((s) => s.id === selectedId) ?? null;

  return (
    <div className="workspace">
      <div className="toolbar">
        <h1 className="workspace-title">Stamps</h1>
        <p className="toolbar-sub">{readOnly ? 'The stamp profiles in the support bundle (read-only).' : 'Profiles of the Azure Stack Hub deployments you rotate.'}</p>
        <span className="toolbar-spacer" />
        {readOnly ? null : (
          <button type="button" className="btn btn-primary" onClick={startCreate}>
            <PlusIcon />
            New stamp
          </button>
        )}
      </div>
      <div className="live-notice" role="status" aria-live="polite">
        {notice}
      </div>
      {listError ? (
        <div className="workspace-messages">
          <ErrorMessage error={listError} onDismiss={() => void load()} />
        </div>
      ) : null}
      <div className={stamps.length === 0 && !editor ? 'split split-single' : editor ? 'split split-editing' : 'split'}>
        <section className="pane pane-main" aria-label="Stamp profiles">
          {!loaded ? (
            <p className="empty">Loading stamp profiles…</p>
          ) : stamps.length === 0 && readOnly ? (
            <div className="empty">
              <p className="empty-title">The bundle holds no stamp profile</p>
              <p>It was made from runs whose stamp profile was not exported, or from the whole log. Its events are in Logs.</p>
            </div>
          ) : stamps.length === 0 ? (
            <div className="empty">
              <p className="empty-title">No stamp profiles yet</p>
              <p>A profile holds the region, domain, identity system and version the checks need.</p>
              <button type="button" className="btn btn-primary" onClick={startCreate}>
                <PlusIcon />
                Create the first stamp
              </button>
            </div>
          ) : (
            <div className="table-scroll">
              <table className="table table-select">
                <caption className="sr-only">Stamp profiles</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Identity</th>
                    <th scope="col">Domain</th>
                    <th scope="col">Version</th>
                    <th scope="col">ERCS VMs</th>
                    <th scope="col">Current CA</th>
                  </tr>
                </thead>
                <tbody>
                  {stamps.map((s) => (
                    <tr
                      key={s.id}
                      className={s.id === selectedId ? 'row-selected' : undefined}
                      aria-current={s.id === selectedId ? 'true' : undefined}
                      onClick={() => select(s.id)}
                    >
                      <th scope="row">
                        <button type="button" className="row-button" onClick={() => select(s.id)}>
                          {s.name}
                        </button>
                        {s.id === activeStampId ? <span className="badge badge-ok badge-inline">Active</span> : null}
                      </th>
                      <td>{identityLabel(s.identity)}</td>
                      <td className="mono">
                        {s.region}.{s.externalFqdn}
                      </td>
                      <td>{s.version}</td>
                      <td className="mono cell-wrap">{s.ercsIps.join(', ')}</td>
                      <td>{CA_KIND_SHORT[s.currentCaKind]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        {stamps.length === 0 && !editor ? null : (
          <section className="pane pane-side" aria-label={editor ? 'Stamp editor' : 'Stamp details'}>
            {editor ? (
              <StampForm editor={editor} />
            ) : selected ? (
              <StampDetails stamp={selected} />
            ) : (
              <p className="empty">Select a stamp to see its details.</p>
            )}
          </section>
        )}
      </div>
      {pendingRemoval ? (
        <ConfirmDialog
          title={`Delete stamp "${pendingRemoval.name}"?`}
          confirmLabel="Delete stamp"
          destructive
          onCancel={cancelRemove}
          onConfirm={() => void confirmRemove()}
        >
          <p>The profile is removed from this computer. Certificates, shares and the stamp itself are not touched.</p>
          {removeError ? <ErrorMessage error={removeError} /> : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
