/**
 * The Prepare workspace: everything between "new certificates are due" and "the share is ready" —
 * requests (new or renewed), key export, assembly, repackaging, the share tree, placement, the access test
 * and backups — one section at a time.
 */
import type { ComponentType } from 'react';
import type { Stamp } from '../../../../shared/stamps/stamp';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { useAppStore } from '../../stores/app-store';
import { PREP_SECTIONS, contextProblems, usePreparationStore } from '../../stores/preparation-store';
import type { PrepSection } from '../../stores/preparation-store';
import { useStampsStore } from '../../stores/stamps-store';
import { identityLabel } from '../stamps/labels';
import { BackupPanel } from './backup-panel';
import { AssemblyPanel, CsrPanel } from './certificate-panels';
import { KeyExportPanel } from './key-export-panel';
import { RepackagePanel } from './repackage-panel';
import { AccessPanel, PlacementPanel, TreePanel } from './share-panels';
import './preparation.css';

function StampContextStrip({ stamp }: { stamp: Stamp }) {
  return (
    <div className="context-strip" aria-label="Prepared for">
      <span className="context-label">Prepared for</span>
      <span className="context-value">{stamp.name}</span>
      <span className="chip">{identityLabel(stamp.identity)}</span>
      <span className="chip mono">
        {stamp.region}.{stamp.externalFqdn}
      </span>
      {stamp.resourceProviders.length > 0 ? <span className="chip">PaaS: {stamp.resourceProviders.join(', ')}</span> : null}
    </div>
  );
}

function AdhocContext() {
  const adhoc = usePreparationStore((s) => s.adhoc);
  const setAdhoc = usePreparationStore((s) => s.setAdhoc);
  // Only the sections that need the stamp's facts nag about them; repackaging can read them from the SANs.
  const submitted = usePreparationStore((s) => Boolean(s.submitted.csr || s.submitted.place));
  const problems = contextProblems(adhoc, null);
  return (
    <div className="form-grid form-grid-4 prep-context" role="group" aria-label="Stamp (no active stamp: enter its facts)">
      <Field id="prep-region" label="Region" problem={submitted ? (problems.region ?? null) : null}>
        {(a) => <input {...a} className="input mono" value={adhoc.region} spellCheck={false} autoComplete="off" onChange={(e) => setAdhoc('region', e.target.value)} />}
      </Field>
      <Field id="prep-fqdn" label="External domain (FQDN)" problem={submitted ? (problems.fqdn ?? null) : null}>
        {(a) => <input {...a} className="input mono" value={adhoc.fqdn} spellCheck={false} autoComplete="off" onChange={(e) => setAdhoc('fqdn', e.target.value)} />}
      </Field>
      <Field id="prep-identity" label="Identity system">
        {(a) => (
          <select {...a} className="select" value={adhoc.identity} onChange={(e) => setAdhoc('identity', e.target.value as 'aad' | 'adfs')}>
            <option value="aad">Azure AD</option>
            <option value="adfs">AD FS</option>
          </select>
        )}
      </Field>
    </div>
  );
}

function SectionTabs() {
  const section = usePreparationStore((s) => s.section);
  const setSection = usePreparationStore((s) => s.setSection);
  return (
    <nav className="prep-tabs" aria-label="Preparation steps">
      <ol>
        {PREP_SECTIONS.map((s, i) => (
          <li key={s.id}>
            <button type="button" className="prep-tab" aria-current={section === s.id ? 'step' : undefined} onClick={() => setSection(s.id)}>
              <span className="prep-tab-number" aria-hidden="true">
                {i + 1}
              </span>
              {s.label}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}

const PANELS: Record<PrepSection, ComponentType> = {
  csr: CsrPanel,
  keyExport: KeyExportPanel,
  assemble: AssemblyPanel,
  repackage: RepackagePanel,
  tree: TreePanel,
  place: PlacementPanel,
  access: AccessPanel,
  backup: BackupPanel,
};

/** The Prepare workspace. */
export function PreparationWorkspace() {
  const activeStampId = useAppStore((s) => s.activeStampId);
  const stamp = useStampsStore((s) => s.stamps.find((x) => x.id === activeStampId) ?? null);
  const section = usePreparationStore((s) => s.section);
  const browseError = usePreparationStore((s) => s.browseError);
  const Panel = PANELS[section];
  return (
    <div className="workspace">
      <div className="toolbar">
        <h1 className="workspace-title">Prepare</h1>
        <p className="toolbar-sub">Requests, PFX files and the rotation share, ready before the PEP run.</p>
      </div>
      <div className="workspace-body prep-body">
        {stamp ? <StampContextStrip stamp={stamp} /> : <AdhocContext />}
        <SectionTabs />
        {browseError ? <ErrorMessage error={browseError} /> : null}
        <Panel />
      </div>
    </div>
  );
}
