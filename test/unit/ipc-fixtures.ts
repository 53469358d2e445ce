/**
 * Shared test fixtures for the store, IPC and backend tests: temporary data folders, reports and a
 * scriptable fake certificate engine.
 *
 * Not a test file itself (no `.test.ts`), so Vitest only loads it through the tests that import it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHECK_IDS, summarize, worstStatus, type CertificateReport, type CheckStatus, type ValidationReport } from '../../shared/certificates/report';
import type { StampInput } from '../../shared/stamps/stamp';
import type { ShareValidationOptions } from '../../electron/services/certificates/index';
import type { IpcSender } from '../../electron/main/sender-trust';

/** A fresh temporary folder and its cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `azs-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A sender the registry trusts: the top frame of `<rendererDir>/index.html`, vouched for. */
export function trustedSender(rendererDir: string): IpcSender {
  return { url: `${pathToFileURL(path.join(rendererDir, 'index.html')).href}#/validate`, isMainFrame: true, trusted: true };
}

/** One certificate entry with every check in contract order; `overrides` sets single check statuses. */
export function certificate(endpoint: string, overrides: Partial<Record<(typeof CHECK_IDS)[number], CheckStatus>> = {}, file = 'cert.pfx'): CertificateReport {
  const checks = CHECK_IDS.map((id) => ({
    id,
    status: overrides[id] ?? ('ok' as CheckStatus),
    message: `${id} looks ${overrides[id] ?? 'ok'} for ${endpoint}`,
    remediation: overrides[id] && overrides[id] !== 'ok' ? `Fix ${id} of ${endpoint}.` : '',
  }));
  return {
    endpoint,
    folder: `Certificates/AAD/${endpoint}`,
    file,
    status: worstStatus(checks.map((c) => c.status)),
    checks,
    leaf: {
      subject: `CN=${endpoint}.east.azurestack.contoso.com`,
      issuer: 'CN=Contoso Issuing CA',
      sans: [`${endpoint}.east.azurestack.contoso.com`],
      notBefore: '2025-01-01T00:00:00.000Z',
      notAfter: '2027-01-01T00:00:00.000Z',
      thumbprint: 'AB'.repeat(20),
    },
  };
}

/** A complete report for `root` with the given certificates. */
export function report(root: string, certificates: CertificateReport[] = [certificate('Portal'), certificate('ARM Public', { expiry: 'warning' })]): ValidationReport {
  return {
    schemaVersion: 1,
    root,
    identity: 'aad',
    region: 'east',
    fqdn: 'azurestack.contoso.com',
    generatedAt: '2025-11-25T10:00:00.000Z',
    structure: { status: 'ok', problems: [] },
    certificates,
    summary: summarize(certificates),
  };
}

/** A fake engine whose calls are recorded; `behaviour` decides what each call does. */
export function fakeEngine(behaviour: (options: ShareValidationOptions) => Promise<ValidationReport>) {
  const calls: ShareValidationOptions[] = [];
  const validateShare = (options: ShareValidationOptions) => {
    calls.push(options);
    return behaviour(options);
  };
  return { validateShare, calls };
}

/** Resolves when `signal` aborts, rejecting with an AbortError like a well-behaved engine would. */
export function untilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (!signal) return;
    const abort = () => reject(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }));
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
}

/** A valid `stamps.create` request. */
export function stampInput(name = 'Lab East'): StampInput {
  return {
    name,
    region: 'east',
    externalFqdn: 'azurestack.contoso.com',
    identity: 'aad' as const,
    version: '2408',
    ercsIps: ['10.0.0.224', '10.0.0.225', '10.0.0.226'],
    currentCaKind: 'enterprise' as const,
    resourceProviders: ['appservices'],
    rehearsal: false,
  };
}
