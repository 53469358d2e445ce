/**
 * The certificate sections of the Prepare workspace: CSR generation — new, or renewed from a certificate
 * file or a live endpoint — with the key store's contents, and PFX assembly with the validation of every
 * file written.
 */
import { useEffect } from 'react';
import type { FormEvent } from 'react';
import { PAAS_PROVIDERS } from '../../../../shared/endpoints/catalog';
import type { PaasProvider } from '../../../../shared/endpoints/catalog';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { PlayIcon } from '../../components/icons';
import { StatusBadge } from '../../components/status-icon';
import { formatDateTime } from '../../lib/format';
import { activePrepStamp, sectionProblems, usePreparationStore } from '../../stores/preparation-store';
import type { CsrSource } from '../../stores/preparation-store';
import { FolderInput, PathText, SecretInput, TextInput, baseName } from './prep-fields';

const CSR_SOURCES: { value: CsrSource; label: string }[] = [
  { value: 'subject', label: 'Enter them' },
  { value: 'file', label: 'Renew: certificate file' },
  { value: 'endpoint', label: 'Renew: live endpoint' },
];

const PAAS_LABELS: Record<PaasProvider, string> = {
  appservices: 'App Service',
  dbadapter: 'SQL / MySQL adapter',
  eventhubs: 'Event Hubs',
  iothub: 'IoT Hub',
  acr: 'Container registry',
};

function useProblems(section: 'csr' | 'assemble') {
  const form = usePreparationStore((s) => s.form);
  const adhoc = usePreparationStore((s) => s.adhoc);
  const submitted = usePreparationStore((s) => s.submitted[section] ?? false);
  const problems = sectionProblems(section, form, adhoc, activePrepStamp());
  return (key: string) => (submitted ? (problems[key] ?? null) : null);
}

function KeyList() {
  const keys = usePreparationStore((s) => s.keys);
  const loadKeys = usePreparationStore((s) => s.loadKeys);
  useEffect(() => {
    void loadKeys();
  }, [loadKeys]);
  if (keys.error) return <ErrorMessage error={keys.error} />;
  const list = keys.result ?? [];
  return (
    <div className="prep-keys">
      <h3 className="section-title">Key store ({list.length})</h3>
      {list.length === 0 ? (
        <p className="empty-inline">No requests yet. Their private keys are kept here, encrypted with your passphrase.</p>
      ) : (
        <div className="table-scroll prep-table">
          <table className="table">
            <caption className="sr-only">Stored requests and keys</caption>
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Key id</th>
                <th scope="col">Created</th>
                <th scope="col">Certificate</th>
              </tr>
            </thead>
            <tbody>
              {list.map((k) => (
                <tr key={k.keyId}>
                  <th scope="row">{k.endpoint}</th>
                  <td className="mono">{k.keyId}</td>
                  <td>{formatDateTime(k.createdAt)}</td>
                  <td>{k.assembledAt ? <StatusBadge status="ok" text={`Assembled ${formatDateTime(k.assembledAt)}`} /> : <StatusBadge status="skipped" text="Awaiting the CA" />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** CSR generation. */
export function CsrPanel() {
  const form = usePreparationStore((s) => s.form);
  const csr = usePreparationStore((s) => s.csr);
  const setField = usePreparationStore((s) => s.setField);
  const generateCsrs = usePreparationStore((s) => s.generateCsrs);
  const problem = useProblems('csr');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void generateCsrs();
  };
  const togglePaas = (p: PaasProvider, on: boolean) => setField('csrPaas', on ? [...form.csrPaas, p] : form.csrPaas.filter((x) => x !== p));

  return (
    <form className="card prep-card" aria-labelledby="prep-csr-title" noValidate onSubmit={onSubmit}>
      <h2 id="prep-csr-title" className="card-title">
        Certificate requests
      </h2>
      <p className="prep-lead">
        One request per endpoint (or one with every name), CN = the first DNS name, SANs as documented, key usage Digital Signature + Key Encipherment, Server + Client
        Authentication, RSA with SHA-256. The private keys stay in this app's data folder, encrypted with your passphrase.
      </p>
      <fieldset className="field prep-fieldset">
        <legend className="field-label">Subject, key size and signature algorithm</legend>
        <div className="segmented">
          {CSR_SOURCES.map((o) => (
            <label key={o.value} className="segmented-option">
              <input type="radio" name="prep-csr-source" value={o.value} checked={form.csrSource === o.value} disabled={csr.busy} onChange={() => setField('csrSource', o.value)} />
              <span>{o.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-grid">
        {form.csrSource === 'subject' ? (
          <Field id="prep-subject" label="Subject" hint='For example "C=US,ST=Washington,L=Redmond,O=Contoso,OU=Azure Stack Hub"; the CN is added per request.' problem={problem('subject')} className="span-2">
            {(a) => <input {...a} className="input mono" value={form.subject} spellCheck={false} autoComplete="off" disabled={csr.busy} onChange={(e) => setField('subject', e.target.value)} />}
          </Field>
        ) : form.csrSource === 'file' ? (
          <div className="span-2">
            <TextInput
              field="renewFile"
              label="Current certificate"
              hint="Full path of a .cer, .crt, .pem or .p7b; its subject (without the CN), RSA key size and signature algorithm are reused."
              problem={problem('renewFile')}
              disabled={csr.busy}
            />
          </div>
        ) : (
          <>
            <TextInput
              field="renewEndpoint"
              label="Endpoint"
              hint="HOST or HOST:PORT, e.g. portal.east.azurestack.contoso.com; the certificate it serves for that name is read, not trusted."
              problem={problem('renewEndpoint')}
              disabled={csr.busy}
            />
            <TextInput
              field="renewConnect"
              label="Connect to (optional)"
              hint="An address to use instead of DNS, e.g. 10.0.0.20:443 (a test bench, DNS not set up yet)."
              problem={problem('renewConnect')}
              disabled={csr.busy}
            />
          </>
        )}
        <FolderInput field="csrOutDir" label="Output folder" problem={problem('csrOutDir')} disabled={csr.busy} />
        {form.csrSource === 'subject' ? (
          <Field id="prep-keysize" label="Key size">
            {(a) => (
              <select {...a} className="select" value={form.keySize} disabled={csr.busy} onChange={(e) => setField('keySize', Number(e.target.value) as 2048 | 3072 | 4096)}>
                <option value={2048}>RSA 2048</option>
                <option value={3072}>RSA 3072</option>
                <option value={4096}>RSA 4096</option>
              </select>
            )}
          </Field>
        ) : (
          <div className="field">
            <span className="field-label">Key size and signature</span>
            <p className="prep-note prep-inline-note">From the current certificate (SHA-1 becomes SHA-256; an unusual RSA size becomes the next offered one).</p>
          </div>
        )}
        <SecretInput field="csrPassphrase" label="Key passphrase" hint="8+ characters. Keep it: assembling the PFX files needs it." problem={problem('csrPassphrase')} disabled={csr.busy} />
        <fieldset className="field prep-fieldset">
          <legend className="field-label">Also request PaaS certificates</legend>
          <div className="check-grid">
            {PAAS_PROVIDERS.map((p) => (
              <label key={p} className="check">
                <input type="checkbox" checked={form.csrPaas.includes(p)} disabled={csr.busy} onChange={(e) => togglePaas(p, e.target.checked)} />
                <span>{PAAS_LABELS[p]}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={form.single} disabled={csr.busy} onChange={(e) => setField('single', e.target.checked)} />
          <span>One request with every name (multi-SAN)</span>
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={csr.busy}>
          <PlayIcon />
          {csr.busy ? 'Generating keys…' : 'Generate requests'}
        </button>
      </div>
      {csr.error ? <ErrorMessage error={csr.error} /> : null}
      {csr.result ? (
        <div className="prep-result" role="status">
          <p className="structure-ok">
            <span aria-hidden="true">✓ </span>
            {csr.result.requests.length} request(s) written to <PathText path={csr.result.outDir} /> (RSA {csr.result.keyBits}, {csr.result.signatureHash.toUpperCase().replace('SHA', 'SHA-')}). Send them to your CA.
          </p>
          {csr.result.requests[0] ? (
            <p className="prep-note">
              Subject <span className="mono">{csr.result.requests[0].subject.replace(/,? ?CN=[^,]*$/, '') || '(CN only)'}</span>, with CN = the first DNS name of each request.
            </p>
          ) : null}
          {csr.result.notes.map((n) => (
            <p key={n} className="prep-note">
              {n}
            </p>
          ))}
          <ul className="prep-list">
            {csr.result.requests.map((r) => (
              <li key={r.keyId}>
                <span className="mono">{baseName(r.file)}</span> — {r.dnsNames.join(', ')}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <KeyList />
    </form>
  );
}

/** PFX assembly. */
export function AssemblyPanel() {
  const form = usePreparationStore((s) => s.form);
  const assemble = usePreparationStore((s) => s.assemble);
  const setField = usePreparationStore((s) => s.setField);
  const assemblePfx = usePreparationStore((s) => s.assemblePfx);
  const problem = useProblems('assemble');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void assemblePfx();
  };
  const result = assemble.result;

  return (
    <form className="card prep-card" aria-labelledby="prep-assemble-title" noValidate onSubmit={onSubmit}>
      <h2 id="prep-assemble-title" className="card-title">
        PFX assembly
      </h2>
      <p className="prep-lead">Pairs each issued certificate with its stored key, adds the chain leaf → root and writes a PFX per certificate, validated right away.</p>
      <div className="form-grid">
        <FolderInput field="issued" label="Issued certificates" hint=".cer, .crt, .pem or .p7b as the CA returned them." problem={problem('issued')} disabled={assemble.busy} />
        <FolderInput field="chain" label="CA certificates (optional)" hint="Not needed when the responses are .p7b chains." disabled={assemble.busy} />
        <FolderInput field="assembleOutDir" label="Output folder" problem={problem('assembleOutDir')} disabled={assemble.busy} />
        <Field id="prep-profile" label="Protection">
          {(a) => (
            <select {...a} className="select" value={form.profile} disabled={assemble.busy} onChange={(e) => setField('profile', e.target.value as 'azure-stack' | 'modern')}>
              <option value="azure-stack">TripleDES-SHA1 (Azure Stack Hub rotation)</option>
              <option value="modern">AES-256 / SHA-256</option>
            </select>
          )}
        </Field>
        <SecretInput field="assemblePassword" label="PFX password" hint="The share password: one password for every file." problem={problem('assemblePassword')} disabled={assemble.busy} />
        <SecretInput field="assemblePassphrase" label="Key passphrase" problem={problem('assemblePassphrase')} disabled={assemble.busy} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={assemble.busy}>
          <PlayIcon />
          {assemble.busy ? 'Assembling…' : 'Assemble PFX files'}
        </button>
      </div>
      {assemble.error ? <ErrorMessage error={assemble.error} /> : null}
      {result ? (
        <div className="prep-result">
          <p className="prep-note" role="status">
            {result.summary.assembled} PFX file(s) written: {result.summary.ok} passed, {result.summary.warning} with warnings, {result.summary.fail} failed validation;{' '}
            {result.summary.problems} certificate(s) not assembled.
          </p>
          {result.outputs.length > 0 ? (
            <div className="table-scroll prep-table">
              <table className="table">
                <caption className="sr-only">Assembled PFX files and their validation</caption>
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">Endpoint</th>
                    <th scope="col">Validation</th>
                    <th scope="col">Findings</th>
                  </tr>
                </thead>
                <tbody>
                  {result.outputs.map((o) => (
                    <tr key={o.file}>
                      <th scope="row" className="mono" title={o.file}>
                        {baseName(o.file)}
                      </th>
                      <td>{o.endpoint}</td>
                      <td>
                        <StatusBadge status={o.status} />
                      </td>
                      <td className="cell-wrap">
                        {o.validations.flatMap((v) => v.issues.map((i) => `${v.endpoint}: ${i.id} — ${i.message}`)).join(' · ') || 'All checks passed.'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {result.problems.length > 0 ? (
            <div className="structure-problems" role="region" aria-labelledby="prep-assembly-problems">
              <h3 id="prep-assembly-problems" className="structure-title">
                <span aria-hidden="true">✗ </span>Not assembled
              </h3>
              <ul>
                {result.problems.map((p) => (
                  <li key={`${p.file}-${p.code}-${p.subject ?? ''}`}>
                    <span className="chip chip-small chip-fail">{p.code}</span> <span className="mono">{baseName(p.file)}</span> — {p.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
