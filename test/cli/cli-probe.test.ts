import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../electron/services/store/index';
import type { ProbeReport } from '../../shared/probe/probe-result';
import { BENCH_BASE, MISMATCH_NAME, startTlsBench, type TlsBench } from '../support/tls-bench';
import { stampInput, tempDir } from '../unit/ipc-fixtures';
import { runCliAsync } from './run-cli';

let bench: TlsBench;
let dataDir: string;
let cleanup: () => void;

beforeAll(async () => {
  bench = await startTlsBench();
  ({ dir: dataDir, cleanup } = tempDir('cli-probe'));
  const store = Store.open({ dataDir });
  store.stamps.create({ ...stampInput('Bench'), resourceProviders: [] }, '2026-01-01T00:00:00.000Z');
  store.close();
});
afterAll(async () => {
  await bench?.close();
  cleanup?.();
});

describe('azs-rotate probe', () => {
  it('prints the contract JSON for every endpoint name of the stamp and exits 1 on critical/expired/error', async () => {
    const run = await runCliAsync(['--data-dir', dataDir, 'probe', '--stamp', 'Bench', '--connect', `127.0.0.1:${bench.port}`, '--timeout-ms', '5000', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as ProbeReport;
    expect(report.schemaVersion).toBe(1);
    expect(report.endpoints).toHaveLength(11);
    const by = (name: string) => report.endpoints.find((e) => e.name === name);
    expect(by(`portal.${BENCH_BASE}`)).toMatchObject({ endpoint: 'Public Portal', status: 'ok', daysLeft: 120, error: null });
    expect(by(`adminportal.${BENCH_BASE}`)?.status).toBe('warning');
    expect(by(`management.${BENCH_BASE}`)?.status).toBe('critical');
    expect(by(`adminmanagement.${BENCH_BASE}`)?.status).toBe('expired');
    expect(by(MISMATCH_NAME)).toMatchObject({ status: 'error', error: 'name mismatch', message: expect.stringContaining('does not cover') });
    // The bench's test root is not in Node's public store: an enterprise CA, the stamp's "from" kind.
    expect(report.servedCaKind).toBe('enterprise');
    expect(by(`portal.${BENCH_BASE}`)?.caKind).toBe('enterprise');
    expect(Object.keys(report).sort()).toEqual(['connect', 'endpoints', 'probedAt', 'schemaVersion', 'servedCaKind', 'stamp']);
    for (const e of report.endpoints) {
      expect(Object.keys(e).sort()).toEqual(['caKind', 'chain', 'daysLeft', 'endpoint', 'error', 'message', 'name', 'status']);
      for (const c of e.chain) expect(Object.keys(c).sort()).toEqual(['daysLeft', 'issuer', 'notAfter', 'subject']);
    }
    // The app's dashboard shows the CLI's probe too: the report is kept per stamp.
    const store = Store.open({ dataDir });
    const stamp = store.stamps.findByName('Bench');
    expect(stamp && store.procedures.latestProbe(stamp.id)?.endpoints).toHaveLength(11);
    store.close();
  });

  it('prints a table with days left, and reports refused and timeout', async () => {
    const human = await runCliAsync(['--data-dir', dataDir, 'probe', '--stamp', 'Bench', '--connect', `127.0.0.1:${bench.port}`]);
    expect(human.stdout).toMatch(/Public Portal\s+portal\.east\.azurestack\.contoso\.com\s+ok\s+120/);
    expect(human.stdout).toContain('1 ok, 1 warning (< 90 days), 1 critical (< 30 days), 1 expired');
    expect(human.stdout).toMatch(/Public Portal\s+portal\.east\.azurestack\.contoso\.com\s+ok\s+120\s+\S+\s+enterprise/);
    expect(human.stdout).toContain('Served CA kind: enterprise. The endpoints serve enterprise certificates, as the stamp profile records.');
    const refused = await runCliAsync(['--data-dir', dataDir, 'probe', '--stamp', 'Bench', '--connect', `127.0.0.1:${bench.closedPort}`, '--json']);
    expect(refused.code).toBe(1);
    expect((JSON.parse(refused.stdout) as ProbeReport).endpoints.every((e) => e.status === 'error' && e.error === 'refused')).toBe(true);
    const silent = await runCliAsync(['--data-dir', dataDir, 'probe', '--stamp', 'Bench', '--connect', `127.0.0.1:${bench.silentPort}`, '--timeout-ms', '300', '--json']);
    expect((JSON.parse(silent.stdout) as ProbeReport).endpoints.every((e) => e.error === 'timeout')).toBe(true);
  });

  it('refuses usage errors with exit 2 and one line, no stack', async () => {
    for (const args of [
      ['probe'],
      ['probe', '--stamp', 'Nope'],
      ['probe', '--stamp', 'Bench', '--connect', 'host:99999'],
      ['probe', '--stamp', 'Bench', '--timeout-ms', 'soon'],
    ]) {
      const run = await runCliAsync(['--data-dir', dataDir, ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).not.toMatch(/\bat .*\.(ts|mjs):\d+/);
    }
  });

  it('drives a procedure checklist headless', async () => {
    const started = await runCliAsync(['--data-dir', dataDir, 'procedure', 'start', 'value-add-rp', '--stamp', 'Bench', '--param', 'packageId=Microsoft.Eventhub.1.2003.0.0', '--param', 'secretName=eh', '--param', 'pfxFileName=C:\\eh.pfx', '--json']);
    expect(started.stderr).toBe('');
    const id = (JSON.parse(started.stdout) as { run: { id: number } }).run.id;
    const confirmed = await runCliAsync(['--data-dir', dataDir, 'procedure', 'confirm', String(id), 'uninstall', '--note', 'reinstall planned']);
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toContain('confirmed');
    const early = await runCliAsync(['--data-dir', dataDir, 'procedure', 'confirm', String(id), 'reinstall']);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('10 minutes');
    const out = path.join(dataDir, 'runbook.html');
    expect((await runCliAsync(['--data-dir', dataDir, 'procedure', 'runbook', String(id), '--out', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain("Set-AzsProductSecret -PackageId &#39;Microsoft.Eventhub.1.2003.0.0&#39; -SecretName &#39;eh&#39; -PfxFileName");
    const listed = await runCliAsync(['--data-dir', dataDir, 'procedure', 'list', '--stamp', 'Bench', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual({ schemaVersion: 1, runs: [expect.objectContaining({ id, procedure: 'value-add-rp', state: 'open', done: 0, required: 5 })] });
    const shown = await runCliAsync(['--data-dir', dataDir, 'procedure', 'show', String(id)]);
    expect(shown.stdout).toContain('[x] 6. Provider uninstalled (only when reinstalling)');
    expect(shown.stdout).toContain('Wait at least 10 minutes after "Provider uninstalled (only when reinstalling)". Possible from ');
    const bad = await runCliAsync(['--data-dir', dataDir, 'procedure', 'start', 'value-add-rp', '--stamp', 'Bench', '--param', 'packageId=Eventhub']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Microsoft.<RP>.<version>');
  });

  it('refuses a --param key the procedure does not have, naming it but never its value', async () => {
    const ok = ['--param', 'packageId=Microsoft.Eventhub.1.2003.0.0', '--param', 'secretName=eh', '--param', 'pfxFileName=C:\\eh.pfx'];
    for (const [extra, key] of [
      ['password=S3cret-Value!', 'password'],
      ['pakageId=Microsoft.Eventhub.1.2003.0.0', 'pakageId'],
    ] as const) {
      const run = await runCliAsync(['--data-dir', dataDir, 'procedure', 'start', 'value-add-rp', '--stamp', 'Bench', ...ok, '--param', extra]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain(`"${key}" is not a parameter of value-add-rp`);
      expect(run.stderr).toContain('accepted keys: productId, packageId, secretName, pfxFileName');
      expect(run.stderr).not.toContain(extra.slice(extra.indexOf('=') + 1));
    }
    const noKey = await runCliAsync(['--data-dir', dataDir, 'procedure', 'start', 'value-add-rp', '--stamp', 'Bench', ...ok, '--param', 'S3cret-Value!']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('--param #4 is not KEY=VALUE');
    expect(noKey.stderr).not.toContain('S3cret');
    // The package id is judged against the default product id (Microsoft.Eventhub) too.
    const iot = await runCliAsync(['--data-dir', dataDir, 'procedure', 'start', 'value-add-rp', '--stamp', 'Bench', '--param', 'packageId=Microsoft.IotHub.1.2003.0.0', '--param', 'secretName=iot', '--param', 'pfxFileName=C:\\iot.pfx']);
    expect(iot.code).toBe(2);
    expect(iot.stderr).toContain('product id Microsoft.Eventhub (the default when the product id is left empty): set the product id to Microsoft.IotHub');
  });
});
