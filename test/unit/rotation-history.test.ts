/**
 * Run history as pre-flight and `stamp show` read it: the PEP's rerun rule per stamp (region and FQDN, any
 * profile, external and internal together), rehearsals apart from real runs, runs refused by pre-flight not
 * standing in for an outcome, and the workspace links of pre-flight findings (stamp profile, share
 * validation, backup and restore).
 */
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RotationKind } from '../../shared/rotation/rotation-run';
import type { Stamp, StampInput } from '../../shared/stamps/stamp';
import { runPreflight, type PreflightResult, type RotationRequest } from '../../electron/services/rotation/preflight';
import { lastRotationOnStamp, lastRotationRuns, runsOnStamp } from '../../electron/services/rotation/stamp-history';
import { Store } from '../../electron/services/store/store';
import { certificate, report, tempDir } from './ipc-fixtures';

let store: Store;
let cleanup: () => void;
let dir: string;
let clock = Date.parse('2024-05-02T08:00:00.000Z');

beforeEach(() => {
  ({ dir, cleanup } = tempDir('rotation-history'));
  store = Store.open({ dataDir: path.join(dir, 'data') });
});
afterEach(() => {
  store.close();
  cleanup();
});

/** An ISO time a minute after the previous one, so runs have a clear order. */
function tick(): string {
  clock += 60_000;
  return new Date(clock).toISOString();
}

function profile(name: string, over: Partial<StampInput> = {}): Stamp {
  return store.stamps.create(
    {
      name,
      region: 'east',
      externalFqdn: 'azurestack.contoso.com',
      identity: 'adfs',
      version: '2108',
      ercsIps: ['10.0.0.1', '10.0.0.2', '10.0.0.3'],
      currentCaKind: 'enterprise',
      resourceProviders: [],
      rehearsal: false,
      ...over,
    },
    tick(),
  );
}

/** Records a finished run of this process; `reached` says whether an action plan started on the PEP. */
function recordRun(stamp: Stamp, kind: RotationKind, state: 'failed' | 'succeeded' | 'interrupted', options: { reached?: boolean; rehearsal?: boolean; outcome?: string } = {}): number {
  const at = tick();
  const id = store.rotations.create({
    stampId: stamp.id,
    stampName: stamp.name,
    kind,
    rehearsal: options.rehearsal ?? false,
    scenario: null,
    source: 'cli',
    startedAt: at,
    rerunOf: null,
    parameters: {},
    ownerPid: process.pid,
    ownerHost: hostname(),
  });
  store.rotations.transition(id, { to: 'preflight', at });
  if (options.reached ?? true) {
    store.rotations.transition(id, { to: 'running', at });
    store.rotations.setFacts(id, { pepStartedAt: at, actionPlanInstanceId: `0b9e4f52-7a31-4c1d-8e6b-3d2f5a7c9e${String(id).padStart(2, '0')}` });
  }
  store.rotations.transition(id, { to: state, at: tick(), outcome: options.outcome ?? `Run ${id} ${state}.` });
  return id;
}

function request(stamp: Stamp, kind: RotationKind, over: Partial<RotationRequest> = {}): RotationRequest {
  return {
    stamp,
    kind,
    share: null,
    pfxFilesPath: null,
    pepUser: 'AZURESTACK\\CloudAdmin',
    shareUser: kind === 'external' ? 'CONTOSO\\svc-rotate' : null,
    bmcUser: null,
    bypassBmcUpdate: false,
    rerun: false,
    simulate: null,
    source: 'cli',
    ...over,
  };
}

const GREEN = async (options: { root: string }) => report(options.root, [certificate('Portal')]);

function preflight(req: RotationRequest, validate = GREEN): Promise<PreflightResult> {
  return runPreflight(store, req, { pep: 'PepPw9x7Qz', share: 'SharePw4k2Lm', certificate: 'Abcdefgh12' }, { powershell: null, validateShare: validate as never });
}

const check = (pre: PreflightResult, id: string) => pre.checks.find((c) => c.id === id);

describe('the PEP rerun rule, per stamp', () => {
  it('a failure recorded by one profile binds every profile of the same region and FQDN, and only those', async () => {
    const a = profile('Lab A');
    const b = profile('Lab B');
    const other = profile('Other', { region: 'west' });
    const failed = recordRun(a, 'external', 'failed');

    const plain = await preflight(request(b, 'external', { pfxFilesPath: '\\\\10.0.0.5\\rotation\\Certificates' }));
    expect(plain.ok).toBe(false);
    expect(check(plain, 'rerun')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(new RegExp(`^The last secret rotation on Lab B \\(east\\.azurestack\\.contoso\\.com\\), run ${failed} \\(external, recorded for profile Lab A, 2024-05-02 \\d\\d:\\d\\d\\), failed; the PEP accepts only -ReRun now\\.$`)),
      hint: 'Restore the certificates from the backup into the share, then run again with --rerun.',
      fix: { target: 'prepare-backup', label: 'Restore the backup in Prepare' },
    });

    const rerun = await preflight(request(b, 'external', { rerun: true }));
    expect(check(rerun, 'rerun')).toMatchObject({ status: 'ok', message: expect.stringContaining(`Rerun of run ${failed} (failed `) });
    expect(rerun.plan.rerunOf).toBe(failed);

    const elsewhere = await preflight(request(other, 'external', { pfxFilesPath: '\\\\10.0.0.5\\rotation\\Certificates' }));
    expect(check(elsewhere, 'rerun')).toBeUndefined();
    expect(check(elsewhere, 'history')).toMatchObject({ status: 'ok', message: 'No secret rotation of Other (west.azurestack.contoso.com) is recorded here.' });
  });

  it('a failed internal rotation blocks a plain external one; its rerun is -Internal -ReRun, with nothing to restore', async () => {
    const a = profile('Lab A');
    const b = profile('Lab B');
    const failed = recordRun(a, 'internal', 'failed');

    const external = await preflight(request(b, 'external', { pfxFilesPath: '\\\\10.0.0.5\\rotation\\Certificates' }));
    expect(check(external, 'rerun')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(new RegExp(`run ${failed} \\(internal, recorded for profile Lab A, .*\\), failed; the PEP accepts only -Internal -ReRun now\\.$`)),
      hint: 'Rerun the failed internal rotation first (internal with --rerun, -Internal -ReRun); a new external rotation can start once it completed.',
      fix: null,
    });
    const wrongRerun = await preflight(request(b, 'external', { rerun: true }));
    expect(check(wrongRerun, 'rerun')).toMatchObject({ status: 'fail', message: expect.stringContaining('is the internal one') });
    expect(wrongRerun.plan.rerunOf).toBeNull();

    const plainInternal = await preflight(request(a, 'internal'));
    expect(check(plainInternal, 'rerun')?.hint).toBe(`Read why run ${failed} failed, then run again with --rerun (-Internal -ReRun); an internal rotation reads no share, so there is nothing to restore.`);
    expect(check(plainInternal, 'rerun')?.fix).toBeNull();

    const internalRerun = await preflight(request(b, 'internal', { rerun: true }));
    expect(check(internalRerun, 'rerun')).toMatchObject({ status: 'ok', message: expect.stringContaining('Start-SecretRotation -Internal -ReRun resumes its action plan') });
    expect(internalRerun.plan.rerunOf).toBe(failed);
  });

  it('keeps rehearsals and real runs apart', async () => {
    const lab = profile('Lab');
    const failedRehearsal = recordRun(lab, 'internal', 'failed', { rehearsal: true });
    expect(check(await preflight(request(lab, 'internal')), 'history')?.status).toBe('ok');
    const rehearsal = await preflight(request(lab, 'internal', { simulate: { scenario: { kind: 'success' }, seconds: 1 } }));
    expect(check(rehearsal, 'rerun')).toMatchObject({ status: 'fail', message: expect.stringContaining(`run ${failedRehearsal} (internal`) });
  });

  it('a run refused by pre-flight hides neither the failure from pre-flight nor the outcome from stamp show', () => {
    const lab = profile('Lab');
    const failed = recordRun(lab, 'external', 'failed');
    recordRun(lab, 'external', 'failed', { reached: false, outcome: 'Pre-flight refused the run: The last secret rotation … failed; the PEP accepts only -ReRun now.' });
    recordRun(lab, 'internal', 'failed', { reached: false, outcome: 'No PEP session could be opened: 10.0.0.1 (unreachable). Nothing was changed on the stamp.' });
    expect(lastRotationOnStamp(runsOnStamp(store, lab, false))?.id).toBe(failed);
    const last = lastRotationRuns(store, 'Lab');
    expect(last.external?.id).toBe(failed);
    expect(last.internal).toBeNull();
    expect(last.bmc).toBeNull();
    // Outcome unknown counts: it is exactly what the operator must look into.
    const interrupted = recordRun(lab, 'external', 'interrupted');
    expect(lastRotationRuns(store, 'lab').external?.id).toBe(interrupted);
  });
});

describe('pre-flight findings link to the workspace that fixes them', () => {
  const share = () => path.join(dir, 'share', 'Certificates');

  it('the stamp profile, the share validation and a missing backup', async () => {
    const lab = profile('Lab', { ercsIps: ['10.0.0.1'] });
    const failing = async (options: { root: string }) => report(options.root, [certificate('Portal', { expiry: 'fail' })]);
    const pre = await preflight(request(lab, 'external', { share: share(), pfxFilesPath: '\\\\10.0.0.5\\rotation\\Certificates' }), failing);
    expect(check(pre, 'ercs-addresses')).toMatchObject({ status: 'warning', fix: { target: 'stamps', label: 'Edit Lab in Stamps' } });
    expect(check(pre, 'share-tree')).toMatchObject({ status: 'fail', fix: { target: 'certificates', label: 'Validate the share in Certificates' } });
    expect(check(pre, 'backup')).toMatchObject({ status: 'warning', message: `No backup of ${share()} is recorded here.`, fix: { target: 'prepare-backup', label: 'Back up the share in Prepare' } });
    // What is green carries no link.
    expect(pre.checks.filter((c) => c.status === 'ok').every((c) => !c.fix)).toBe(true);
  });

  it('a recorded backup turns the backup check green; a failed verification of it does not', async () => {
    const lab = profile('Lab');
    const backupDir = path.join(dir, 'backup');
    store.audit.append({ actor: 'cli:test', action: 'backup.create', subject: `backup:${backupDir}`, detail: { source: share(), backupDir, files: 12, verified: true }, at: tick() });
    const req = request(lab, 'external', { share: share(), pfxFilesPath: '\\\\10.0.0.5\\rotation\\Certificates' });
    expect(check(await preflight(req), 'backup')).toMatchObject({ status: 'ok', message: expect.stringContaining(`Backup in ${backupDir} verified`) });
    store.audit.append({ actor: 'cli:test', action: 'backup.verify', subject: `backup:${backupDir}`, detail: { backupDir, ok: false }, at: tick() });
    expect(check(await preflight(req), 'backup')).toMatchObject({ status: 'warning', fix: { target: 'prepare-backup' } });
  });

  it('an external rerun asks for the restore of the backup until one is recorded after the failure', async () => {
    const lab = profile('Lab');
    const backupDir = path.join(dir, 'backup');
    store.audit.append({ actor: 'cli:test', action: 'backup.restore', subject: `backup:${backupDir}`, detail: { backupDir, target: share(), restored: 1, verified: true }, at: tick() });
    const failed = recordRun(lab, 'external', 'failed');
    const req = request(lab, 'external', { share: share(), rerun: true });
    const before = await preflight(req);
    // A restore from before the failure does not count.
    expect(check(before, 'restore')).toMatchObject({ status: 'warning', message: `No restore of ${share()} from its backup is recorded since run ${failed} failed.`, fix: { target: 'prepare-backup', label: 'Restore the backup in Prepare' } });
    expect(check(before, 'backup')).toBeUndefined();
    store.audit.append({ actor: 'app:test', action: 'backup.restore', subject: `backup:${backupDir}`, detail: { backupDir, target: share(), restored: 1, verified: true }, at: tick() });
    expect(check(await preflight(req), 'restore')).toMatchObject({ status: 'ok', message: expect.stringContaining(`restored from the backup in ${backupDir}`), fix: null });
  });
});

describe('before 1811 a stamp rotates once', () => {
  it('refuses a second external or internal rotation after a recorded success, with the update as the fix', async () => {
    const old = profile('Old', { version: '1809' });
    const first = recordRun(old, 'external', 'succeeded');
    for (const kind of ['external', 'internal'] as const) {
      const pre = await preflight(request(old, kind, kind === 'external' ? { pfxFilesPath: '\\\\10.0.0.5\\rotation\\Certificates' } : {}));
      expect(pre.ok, kind).toBe(false);
      expect(check(pre, 'rotate-once'), kind).toMatchObject({
        status: 'fail',
        message: expect.stringMatching(new RegExp(`^Old \\(east\\.azurestack\\.contoso\\.com\\) is on 1809 and already rotated its secrets: run ${first} \\(external, .*\\) succeeded\\. Before 1811 a stamp rotates only once; another rotation needs the update to 1811 or later first\\.$`)),
        hint: 'Update Old to 1811 or later, correct the version in its stamp profile, then rotate (from 1811 external and internal secrets are separate runs).',
        fix: { target: 'stamps', label: 'Edit Old in Stamps' },
      });
    }
    // A later attempt that failed is a second rotation too: its rerun is refused as well.
    recordRun(old, 'internal', 'failed');
    const rerun = await preflight(request(old, 'internal', { rerun: true }));
    expect(check(rerun, 'rotate-once')?.status).toBe('fail');
    expect(rerun.ok).toBe(false);
    // Another profile of the same stamp is bound too; a BMC credential change is no secret rotation.
    const twin = profile('Old twin', { version: '1809' });
    expect(check(await preflight(request(twin, 'internal')), 'rotate-once')?.status).toBe('fail');
    expect(check(await runPreflight(store, request(old, 'bmc'), { pep: 'PepPw9x7Qz', bmc: 'BmcPw1' }, { powershell: null }), 'rotate-once')).toBeUndefined();
  });

  it('lets the first rotation run, says what the history cannot know, and warns of an outcome unknown', async () => {
    const old = profile('Old', { version: '1809' });
    const fresh = await preflight(request(old, 'internal'));
    expect(check(fresh, 'rotate-once')).toMatchObject({ status: 'ok', message: 'No earlier rotation of Old (east.azurestack.contoso.com) is recorded here. Before 1811 a stamp rotates only once: if it was rotated outside this app, update to 1811 or later first.' });
    // A failed first rotation is resumed, not repeated: its rerun is allowed.
    const failed = recordRun(old, 'internal', 'failed');
    const rerun = await preflight(request(old, 'internal', { rerun: true }));
    expect(check(rerun, 'rotate-once')?.status).toBe('ok');
    expect(rerun.plan.rerunOf).toBe(failed);
    const unknown = recordRun(profile('Older', { version: '1808', region: 'west' }), 'external', 'interrupted');
    const after = await preflight(request(store.stamps.list().find((s) => s.name === 'Older')!, 'internal'));
    expect(check(after, 'rotate-once')).toMatchObject({ status: 'warning', message: expect.stringContaining(`run ${unknown} (external, `), fix: { target: 'stamps' } });
  });

  it('does not apply from 1811 on', async () => {
    const lab = profile('Lab', { version: '1811' });
    recordRun(lab, 'external', 'succeeded');
    const pre = await preflight(request(lab, 'internal'));
    expect(check(pre, 'rotate-once')).toBeUndefined();
    expect(pre.ok).toBe(true);
  });
});

describe('BMC credential rules by version', () => {
  const bmc = (stamp: Stamp, password: string, over: Partial<RotationRequest> = {}) =>
    runPreflight(store, request(stamp, 'bmc', { bmcUser: 'azsbmc', ...over }), { pep: 'PepPw9x7Qz', bmc: password }, { powershell: null });

  it('from 1910 limits the new BMC password to 16 characters, never echoing it', async () => {
    const lab = profile('Lab', { version: '1910' });
    const long = await bmc(lab, 'Bmc-Password-0017');
    expect(long.ok).toBe(false);
    expect(check(long, 'bmc-password')).toMatchObject({ status: 'fail', message: 'The new BMC password has 17 characters; from 1910 BMC passwords have at most 16.' });
    expect(JSON.stringify(long.checks)).not.toContain('Bmc-Password-0017');
    expect(check(await bmc(lab, 'Bmc-Password-016'), 'bmc-password')?.status).toBe('ok');
    expect(check(long, 'bmc-version')).toBeUndefined();
  });

  it('before 1910 asks for the OEM update first and does not push -BypassBMCUpdate', async () => {
    const old = profile('Old', { version: '1908' });
    const pre = await bmc(old, 'A-longer-OEM-set-password');
    expect(check(pre, 'bmc-password')?.status).toBe('ok');
    const version = check(pre, 'bmc-version');
    expect(version).toMatchObject({ status: 'warning', message: expect.stringContaining('update every BMC with the OEM tool first') });
    expect(`${version?.message} ${version?.hint}`).not.toMatch(/bypass/i);
    expect(pre.plan.steps.at(-1)).toEqual({ op: 'set-bmc-credential', bmcUser: 'azsbmc', bypassBmcUpdate: false });
    // Asked for explicitly, it is passed.
    const bypass = await bmc(old, 'pw', { bypassBmcUpdate: true });
    expect(bypass.plan.steps.at(-1)).toMatchObject({ bypassBmcUpdate: true });
    expect(check(bypass, 'bmc-bypass')?.status).toBe('ok');
  });
});

describe('WinRM TrustedHosts in pre-flight', () => {
  const powershell = { command: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', args: [], env: {}, label: 'powershell.exe', simulator: false, standIn: null };
  const secrets = { pep: 'PepPw9x7Qz' };

  it('reads the list with the run’s PowerShell and refuses a run no ERCS VM can be reached from', async () => {
    const lab = profile('Lab');
    const asked: string[] = [];
    const readTrustedHosts = async (command: string) => (asked.push(command), { kind: 'value' as const, value: 'fileserver01' });
    const pre = await runPreflight(store, request(lab, 'internal'), secrets, { powershell, readTrustedHosts });
    expect(asked).toEqual([powershell.command]);
    expect(check(pre, 'trusted-hosts')).toMatchObject({ status: 'fail', message: expect.stringContaining('does not cover 10.0.0.1, 10.0.0.2, 10.0.0.3 (it lists fileserver01)') });
    expect(check(pre, 'trusted-hosts')?.hint).toContain("Set-Item WSMan:\\localhost\\Client\\TrustedHosts -Value '10.0.0.1,10.0.0.2,10.0.0.3' -Concatenate -Force");
    const covered = await runPreflight(store, request(lab, 'internal'), secrets, { powershell, readTrustedHosts: async () => ({ kind: 'value', value: '10.0.0.*' }) });
    expect(check(covered, 'trusted-hosts')?.status).toBe('ok');
  });

  it('accepts host names for the ERCS VMs and matches them by name', async () => {
    const named = profile('Named', { ercsIps: ['AZS-ERCS01', 'AZS-ERCS02', 'AZS-ERCS03'] });
    const pre = await runPreflight(store, request(named, 'internal'), secrets, { powershell, readTrustedHosts: async () => ({ kind: 'value', value: 'AZS-ERCS*' }) });
    expect(check(pre, 'ercs-addresses')).toMatchObject({ status: 'ok', message: 'ERCS VMs AZS-ERCS01, AZS-ERCS02, AZS-ERCS03, tried in this order.' });
    expect(check(pre, 'trusted-hosts')?.status).toBe('ok');
    expect(pre.plan.steps[0]).toEqual({ op: 'stamp-information' });
  });

  it('is not asked in a rehearsal, and is not applicable off Windows', async () => {
    const lab = profile('Lab');
    let asked = 0;
    const rehearsal = await runPreflight(store, request(lab, 'internal', { simulate: { scenario: { kind: 'success' }, seconds: 1 } }), secrets, {
      powershell,
      readTrustedHosts: async () => (asked++, { kind: 'value', value: '' }),
    });
    expect(asked).toBe(0);
    expect(check(rehearsal, 'trusted-hosts')).toBeUndefined();
    if (process.platform !== 'win32') {
      const real = await runPreflight(store, request(lab, 'internal'), secrets, { powershell: null });
      expect(check(real, 'trusted-hosts')).toEqual({
        id: 'trusted-hosts',
        status: 'ok',
        message: `WinRM TrustedHosts check not applicable: TrustedHosts is a setting of the Windows WinRM client, and this machine runs ${process.platform}, not Windows.`,
        hint: null,
        fix: null,
      });
    }
  });
});
