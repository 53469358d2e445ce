/**
 * The CLI audits what the app audits: `bundle create`, `logs export` and `probe` leave the entries the
 * app's Export bundle, Export and Probe endpoints leave (a dry run none), and a recorded validation run is
 * named `run:<id>` as the app names it, so its audit entry shows in that run's history.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../electron/services/store/index';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { stampInput, tempDir } from '../unit/ipc-fixtures';
import { runCli, runCliAsync } from './run-cli';

let dataDir: string;
let cleanup: () => void;

beforeAll(() => {
  ({ dir: dataDir, cleanup } = tempDir('cli-audit'));
  const store = Store.open({ dataDir });
  store.stamps.create({ ...stampInput('Audit Lab'), resourceProviders: [] }, '2026-01-01T00:00:00.000Z');
  store.close();
});
afterAll(() => cleanup?.());

function auditOf(action: string) {
  const store = Store.open({ dataDir });
  try {
    return store.audit.list({ limit: 1000 }).filter((e) => e.action === action);
  } finally {
    store.close();
  }
}

describe('CLI audit entries', () => {
  it('bundle create records bundle.export with the file, runs and masks; a dry run records nothing', () => {
    expect(runCli(['--data-dir', dataDir, 'bundle', 'create', '--dry-run', '--json']).code).toBe(0);
    expect(auditOf('bundle.export')).toHaveLength(0);
    const out = path.join(dataDir, 'support.zip');
    const run = runCli(['--data-dir', dataDir, 'bundle', 'create', '--out', out, '--mask', 'ips,hosts']);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    const [entry, ...more] = auditOf('bundle.export');
    expect(more).toHaveLength(0);
    expect(entry).toMatchObject({ actor: expect.stringMatching(/^cli(:|$)/), subject: null, detail: { path: out, runs: [], masked: { ips: true, hosts: true, users: false } } });
    expect(entry!.detail!.events).toEqual(expect.any(Number));
  });

  it('logs export records logs.export with the format, file and count', () => {
    const out = path.join(dataDir, 'events.jsonl');
    const run = runCli(['--data-dir', dataDir, 'logs', 'export', '--format', 'jsonl', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { count } = JSON.parse(run.stdout) as { count: number };
    expect(auditOf('logs.export')).toEqual([expect.objectContaining({ subject: null, detail: { format: 'jsonl', path: out, count } })]);
  });

  it('probe records probe.run on the stamp, with the address used and the number of endpoints', async () => {
    // Nothing listens on port 9 here: every endpoint answers "refused", quickly, and the probe is still kept.
    const run = await runCliAsync(['--data-dir', dataDir, 'probe', '--stamp', 'Audit Lab', '--connect', '127.0.0.1:9', '--timeout-ms', '2000', '--json']);
    expect(run.code, run.stderr).toBe(1);
    const endpoints = (JSON.parse(run.stdout) as { endpoints: unknown[] }).endpoints.length;
    const store = Store.open({ dataDir });
    const stampId = store.stamps.findByName('Audit Lab')!.id;
    store.close();
    expect(auditOf('probe.run')).toEqual([expect.objectContaining({ subject: `stamp:${stampId}`, detail: { connect: '127.0.0.1:9', endpoints } })]);
  });

  it("names a recorded validation run as the app does, so the entry is in the run's history", () => {
    const manifest = loadFixtureManifest();
    const run = runCli(['--data-dir', dataDir, 'validate', manifest.shares.aadValid, '--region', manifest.region, '--fqdn', manifest.fqdn, '--identity', 'aad', '--record'], {
      AZS_PFX_PASSWORD: manifest.password,
    });
    expect(run.code, run.stderr).toBe(0);
    const runId = Number(/Recorded as validation run (\d+)/.exec(run.stderr)?.[1]);
    expect(auditOf('validation.recorded')).toEqual([expect.objectContaining({ subject: `run:${runId}` })]);
    const history = JSON.parse(runCli(['--data-dir', dataDir, 'logs', 'search', 'recorded', '--run', `validation:${runId}`, '--json']).stdout) as { events: { category: string }[] };
    expect(history.events.map((e) => e.category)).toContain('validation.recorded');
  });
});
