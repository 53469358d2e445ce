/**
 * The rotation part of the CLI contract (`cli.md`): stamp profiles, rotate (rehearsals: the generated script in
 * real PowerShell against the stand-in PEP), runs list/show, pep-sim — exit codes, JSON shapes, help, refused
 * secret flags — plus a run killed mid-flight and a search of every file the runs left behind for the passwords
 * used. The rehearsals are skipped, saying why, only where no PowerShell can be had.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { CLI, runCli } from './run-cli';
import { buildPepScript, stepsFor } from '../../electron/services/pep/script-builder';
import { announcePwshSkip, PWSH } from '../support/pwsh';

announcePwshSkip(__filename);
const withPwsh = describe.skipIf(PWSH === null);

const manifest = loadFixtureManifest();
const work = mkdtempSync(path.join(tmpdir(), 'azs-cli-rotate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PEP = 'PepSecret7Qx2';
const SHARE = 'ShareSecret5Wm9';
const BMC = 'BmcSecret3Kp8';
/** A temp folder of its own for the CLI and the simulator, searched for the passwords at the end. */
const TMP = path.join(work, 'tmp');
const env = { AZS_PEP_PASSWORD: PEP, AZS_SHARE_PASSWORD: SHARE, AZS_PFX_PASSWORD: manifest.password, AZS_BMC_PASSWORD: BMC, TMPDIR: TMP, TEMP: TMP, TMP };
const outputs: string[] = [];

function cli(args: string[], dataDir: string, extraEnv: Record<string, string> = {}) {
  const run = runCli([...args, '--data-dir', dataDir], { ...env, ...extraEnv });
  outputs.push(run.stdout, run.stderr);
  return run;
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
const RUN_KEYS = ['schemaVersion', 'id', 'stamp', 'kind', 'state', 'startedAt', 'endedAt', 'ercs', 'actionPlanInstanceId', 'rerunOf', 'phase'];
const EVENT_KEYS = ['seq', 'at', 'level', 'type', 'text'];
const stampArgs = ['--region', manifest.region, '--fqdn', manifest.fqdn, '--identity', 'adfs', '--version', '2108', '--ercs', '10.0.0.1,10.0.0.2,10.0.0.3', '--current-ca', 'enterprise'];
const external = ['--share', manifest.shares.adfsValid, '--pfx-files-path', '\\\\10.0.0.5\\rotation\\Certificates', '--pep-user', 'AZURESTACK\\CloudAdmin', '--share-user', 'CONTOSO\\svc-rotate'];

function dataDir(name: string): string {
  return path.join(work, name);
}

describe('stamp profiles', () => {
  const data = dataDir('stamps');

  it('adds, lists, shows and removes a stamp', () => {
    const add = cli(['stamp', 'add', 'Lab', ...stampArgs, '--paas', 'eventhubs', '--json'], data);
    expect(add.code, add.stderr).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({ schemaVersion: 1, stamp: { name: 'Lab', version: '2108', ercsIps: ['10.0.0.1', '10.0.0.2', '10.0.0.3'], currentCaKind: 'enterprise', resourceProviders: ['eventhubs'], rehearsal: false } });
    expect(cli(['stamp', 'add', 'Rehearse', ...stampArgs, '--rehearsal'], data).stdout).toMatch(/^Added stamp Rehearse: east\.azurestack\.contoso\.com, ADFS, version 2108, ERCS 10\.0\.0\.1, 10\.0\.0\.2, 10\.0\.0\.3 \(rehearsal: runs go to the PEP simulator\)\.\n$/);

    const list = cli(['stamp', 'list'], data);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^Name\s+Region\s+External FQDN\s+Identity\s+Version\s+ERCS\s+Current CA\s+Rehearsal\n/);
    expect(list.stdout).toMatch(/Lab\s+east\s+azurestack\.contoso\.com\s+ADFS\s+2108\s+10\.0\.0\.1,10\.0\.0\.2,10\.0\.0\.3\s+enterprise\s+-/);
    expect(JSON.parse(cli(['stamp', 'list', '--json'], data).stdout).stamps.map((s: { name: string }) => s.name)).toEqual(['Lab', 'Rehearse']);

    const show = cli(['stamp', 'show', 'lab'], data);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/external\s+never run here/);
    expect(JSON.parse(cli(['stamp', 'show', 'Lab', '--json'], data).stdout)).toMatchObject({ schemaVersion: 1, stamp: { name: 'Lab' }, lastRuns: { external: null, internal: null, bmc: null } });

    const remove = cli(['stamp', 'remove', 'Rehearse'], data);
    expect(remove).toMatchObject({ code: 0, stdout: 'Removed stamp Rehearse; its runs stay in history.\n' });
    expect(cli(['stamp', 'show', 'Rehearse'], data)).toMatchObject({ code: 2, stderr: expect.stringMatching(/No stamp profile named "Rehearse"/) });
  });

  it('takes ERCS VMs as host names too, and names a bad one', () => {
    const named = cli(['stamp', 'add', 'Named', ...stampArgs.map((a) => (a.startsWith('10.0.0.1,') ? 'AZS-ERCS01,azs-ercs02.azurestack.local,10.0.0.3' : a)), '--json'], data);
    expect(named.code, named.stderr).toBe(0);
    expect(JSON.parse(named.stdout).stamp.ercsIps).toEqual(['AZS-ERCS01', 'azs-ercs02.azurestack.local', '10.0.0.3']);
    const bad = cli(['stamp', 'add', 'Bad', ...stampArgs.map((a) => (a.startsWith('10.0.0.1,') ? 'AZS_ERCS01' : a))], data);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--ercs: "AZS_ERCS01" is not an IPv4 or IPv6 address or a host name/);
    expect(cli(['stamp', 'remove', 'Named'], data).code).toBe(0);
  });

  it.each([
    ['a duplicate name', ['stamp', 'add', 'LAB', ...stampArgs], /already exists/],
    ['a bad version', ['stamp', 'add', 'X', ...stampArgs.map((a) => (a === '2108' ? '2113' : a))], /--version: "2113" has month 13/],
    ['a bad ERCS address', ['stamp', 'add', 'X', ...stampArgs.map((a) => (a.startsWith('10.0.0.1,') ? '10.0.0.1,10.0.0.999' : a))], /--ercs: "10\.0\.0\.999" is not an IPv4 or IPv6 address/],
    ['four ERCS addresses', ['stamp', 'add', 'X', ...stampArgs.map((a) => (a.startsWith('10.0.0.1,') ? '10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4' : a))], /three ERCS VMs at most/],
    ['a missing field', ['stamp', 'add', 'X', '--region', 'east'], /Missing --fqdn/],
    ['an unknown identity', ['stamp', 'add', 'X', ...stampArgs.map((a) => (a === 'adfs' ? 'ldap' : a))], /--identity: "ldap" is not aad or adfs/],
    ['an unknown PaaS provider', ['stamp', 'add', 'X', ...stampArgs, '--paas', 'sql'], /--paas: unknown provider\(s\) sql/],
    ['an unknown flag', ['stamp', 'add', 'X', ...stampArgs, '--colour'], /unknown option '--colour'/],
  ])('refuses %s with exit 2 and a one-line message', (_name, args, message) => {
    const run = cli(args, dataDir('stamps'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    noStack(run.stderr);
  });
});

withPwsh('rotate → runs (the contract flow)', () => {
  const data = dataDir('flow');
  let failedId = 0;

  it('fails at step 2 with exit 1, recording every event', () => {
    expect(cli(['stamp', 'add', 'Lab', ...stampArgs], data).code).toBe(0);
    const run = cli(['rotate', 'external', '--stamp', 'Lab', ...external, '--simulate', 'fail-at-step:2', '--sim-seconds', '2'], data);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^Rotation of Lab: external certificates — REHEARSAL against the PEP simulator \(fail-at-step:2\), run 1\n/);
    expect(run.stdout).toMatch(/share-tree\s+ok\s+The share .* validates green: 13 certificate\(s\), folder tree ok\./);
    expect(run.stdout).toMatch(/\nFAILED: external certificates of Lab \(run 1, rehearsal\) in \d+s via 10\.0\.0\.1, action plan [0-9a-f-]{36}\. Action plan [0-9a-f-]{36} finished with status 'Failed' at step 'Import the certificates into the infrastructure secret store'\.\n {2}→ Follow the error above, restore the certificates from the backup into the share, and run again with --rerun/);
    expect(run.stdout).toContain('Recorded as run 1: azs-rotate runs show 1');
    failedId = 1;
  });

  it('refuses a plain run after the failure with exit 2 (the PEP accepts only -ReRun)', () => {
    const run = cli(['rotate', 'external', '--stamp', 'Lab', ...external, '--simulate', 'success', '--sim-seconds', '1', '--json'], data);
    expect(run.code).toBe(2);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ state: 'failed', rerunOf: null, ercs: null });
    expect(json.events.find((e: { type: string; text: string }) => e.type === 'preflight.check' && /accepts only -ReRun/.test(e.text))).toBeTruthy();
    // The refused run is newer, but it did nothing on the stamp: the last outcome stays the failure of run 1.
    const show = JSON.parse(cli(['stamp', 'show', 'Lab', '--json'], data).stdout);
    expect(show.lastRuns.external).toMatchObject({ id: failedId, state: 'failed' });
    expect(cli(['stamp', 'show', 'Lab'], data).stdout).toMatch(/external\s+run 1, .*, failed \(rehearsal\) — Action plan [0-9a-f-]{36} finished with status 'Failed'/);
  });

  it('reruns with exit 0 and prints the run in the contract shape', () => {
    const run = cli(['rotate', 'external', '--stamp', 'Lab', '--share', manifest.shares.adfsValid, '--rerun', '--simulate', 'success', '--sim-seconds', '2', '--json'], data, { AZS_SHARE_PASSWORD: '' });
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(Object.keys(json)).toEqual([...RUN_KEYS, 'events']);
    expect(json).toMatchObject({ schemaVersion: 1, id: 3, stamp: 'Lab', kind: 'external', state: 'succeeded', ercs: '10.0.0.1', rerunOf: failedId });
    expect(json.endedAt > json.startedAt).toBe(true);
    expect(json.events.length).toBeGreaterThan(20);
    for (const e of json.events) expect(Object.keys(e)).toEqual(EVENT_KEYS);
    expect(json.events.map((e: { seq: number }) => e.seq)).toEqual(json.events.map((_: unknown, i: number) => i + 1));
    expect(json.events.some((e: { text: string }) => e.text === "Action plan finished with status: 'Completed'")).toBe(true);
  });

  it('lists and shows the runs', () => {
    const list = cli(['runs', 'list', '--json'], data);
    expect(list.code).toBe(0);
    const json = JSON.parse(list.stdout);
    expect(Object.keys(json)).toEqual(['schemaVersion', 'runs']);
    expect(json.runs.map((r: { id: number; state: string }) => [r.id, r.state])).toEqual([
      [3, 'succeeded'],
      [2, 'failed'],
      [1, 'failed'],
    ]);
    for (const r of json.runs) expect(Object.keys(r)).toEqual(RUN_KEYS);
    expect(json.runs[0].actionPlanInstanceId).toBe(json.runs[2].actionPlanInstanceId);

    const human = cli(['runs', 'list', '--stamp', 'Lab'], data);
    expect(human.stdout).toMatch(/^ID\s+Stamp\s+Kind\s+State\s+Started\s+Took\s+ERCS\s+Action plan\s+Rerun of\n/);
    expect(human.stdout).toMatch(/\n2\s+Lab\s+external \(rehearsal\)\s+failed \(pre-flight refused\)/);
    expect(human.stdout).toMatch(/\n3\s+Lab\s+external \(rehearsal\)\s+succeeded\s+.*\s+1\n/);
    expect(cli(['runs', 'list', '--stamp', 'Nope'], data).stdout).toBe('No rotation runs of Nope are recorded.\n');

    const show = cli(['runs', 'show', '1'], data);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^Run 1: external rotation of Lab — REHEARSAL \(fail-at-step:2\)\n {2}State {10}failed\n/);
    expect(show.stdout).toMatch(/\nSeq\s+Time\s+Level\s+Type\s+Text\n1\s+\d\d:\d\d:\d\d\s+info\s+run\.note\s+REHEARSAL/);
    const showJson = JSON.parse(cli(['runs', 'show', '3', '--json'], data).stdout);
    expect(showJson).toEqual(JSON.parse(cli(['runs', 'show', '3', '--json'], data).stdout));
    expect(showJson.id).toBe(3);

    expect(cli(['stamp', 'show', 'Lab'], data).stdout).toMatch(/external\s+run 3, .*, succeeded \(rehearsal\) — Action plan/);
    expect(cli(['runs', 'show', '99'], data)).toMatchObject({ code: 2, stderr: expect.stringMatching(/No rotation run 99/) });
    expect(cli(['runs', 'show', 'abc'], data)).toMatchObject({ code: 2, stderr: expect.stringMatching(/"abc" is not a run id/) });
  });

  it('sends a rehearsal stamp to the simulator without --simulate, and runs internal and bmc', () => {
    expect(cli(['stamp', 'add', 'Rehearse', ...stampArgs.map((a) => (a === '2108' ? '2002' : a)), '--rehearsal'], data).code).toBe(0);
    const internal = cli(['rotate', 'internal', '--stamp', 'Rehearse', '--sim-seconds', '1', '--json'], data);
    expect(internal.code, internal.stderr).toBe(0);
    const json = JSON.parse(internal.stdout);
    // 2002 prints the 2020-era monitor end: CurrentStatus: Completed, then DONE.
    expect(json.events.map((e: { text: string }) => e.text)).toEqual(expect.arrayContaining([expect.stringMatching(/^ActionPlanInstanceID: [0-9a-f-]{36} CurrentStatus: Completed$/), 'DONE']));
    const bmc = cli(['rotate', 'bmc', '--stamp', 'Rehearse', '--bmc-user', 'root', '--sim-seconds', '1'], data);
    expect(bmc.code, bmc.stderr).toBe(0);
    expect(bmc.stdout).toMatch(/\nSUCCEEDED: BMC credential of Rehearse \(run \d+, rehearsal\)/);
  });

  it('refuses bad input in pre-flight with exit 2', () => {
    const longUser = cli(['rotate', 'bmc', '--stamp', 'Rehearse', '--bmc-user', 'a-very-long-bmc-user', '--sim-seconds', '1'], data);
    expect(longUser.code).toBe(2);
    expect(longUser.stdout).toMatch(/bmc-user\s+FAIL\s+"a-very-long-bmc-user" has 20 characters; BMC user names have at most 16\./);
    expect(longUser.stdout).toMatch(/\nREFUSED: BMC credential of Rehearse \(run \d+, rehearsal\) was not started\./);
    const badPath = cli(['rotate', 'external', '--stamp', 'Lab', ...external.map((a) => (a.startsWith('\\\\') ? 'D:\\Certificates' : a)), '--simulate', 'success'], data);
    expect(badPath.code).toBe(2);
    expect(badPath.stdout).toMatch(/pfx-files-path\s+FAIL\s+"D:\\Certificates" is not a UNC path/);
    const badStep = cli(['rotate', 'internal', '--stamp', 'Rehearse', '--simulate', 'fail-at-step:42'], data);
    expect(badStep.code).toBe(2);
    expect(badStep.stdout).toMatch(/scenario\s+FAIL\s+fail-at-step:42: the simulated internal plan has \d+ steps\./);
  });

  it.each([
    ['an unknown procedure', ['rotate', 'keys', '--stamp', 'Lab'], /"keys" is not a procedure: use external, internal, bmc/],
    ['an unknown stamp', ['rotate', 'internal', '--stamp', 'Nope', '--simulate', 'success'], /No stamp profile named "Nope"/],
    ['a bad scenario', ['rotate', 'internal', '--stamp', 'Lab', '--simulate', 'meteor'], /--simulate: "meteor" is not a scenario/],
    ['--sim-seconds without a simulation', ['rotate', 'internal', '--stamp', 'Lab', '--sim-seconds', '5'], /--sim-seconds is used with --simulate/],
    ['a password as a flag', ['rotate', 'internal', '--stamp', 'Lab', '--pep-password', 'x'], /--pep-password is refused: secrets are never accepted as flag values/],
    ['a share flag on internal', ['rotate', 'internal', '--stamp', 'Lab', '--share', '/x'], /belong to the external procedure/],
    ['an unknown flag', ['rotate', 'internal', '--stamp', 'Lab', '--force'], /unknown option '--force'/],
  ])('refuses %s with exit 2', (_name, args, message) => {
    const run = cli(args, data);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    noStack(run.stderr);
  });

  it('asks for a missing secret by its file option and variable', () => {
    const run = runCli(['rotate', 'internal', '--stamp', 'Lab', '--simulate', 'success', '--data-dir', data], { TMPDIR: TMP });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('azs-rotate: No PEP password: pass --pep-password-file FILE or set AZS_PEP_PASSWORD.\n');
  });
});

withPwsh('before 1811 a stamp rotates once', () => {
  const data = dataDir('pre-1811');

  it('refuses a second rotation after a success with exit 2, naming the update to 1811', () => {
    expect(cli(['stamp', 'add', 'Old', ...stampArgs.map((a) => (a === '2108' ? '1809' : a)), '--rehearsal'], data).code).toBe(0);
    const first = cli(['rotate', 'internal', '--stamp', 'Old', '--sim-seconds', '1'], data);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/rotate-once\s+ok\s+No earlier rotation of Old \(east\.azurestack\.contoso\.com\) is recorded here\./);
    const second = cli(['rotate', 'external', '--stamp', 'Old', ...external, '--sim-seconds', '1'], data);
    expect(second.code).toBe(2);
    expect(second.stdout).toMatch(/rotate-once\s+FAIL\s+Old \(east\.azurestack\.contoso\.com\) is on 1809 and already rotated its secrets: run 1 \(internal, .*\) succeeded\./);
    expect(second.stdout).toContain('Update Old to 1811 or later, correct the version in its stamp profile, then rotate');
  });
});

withPwsh('a run killed mid-flight', () => {
  it('keeps every event written before the kill and shows the run as interrupted', async () => {
    const data = dataDir('kill');
    expect(cli(['stamp', 'add', 'Lab', ...stampArgs, '--rehearsal'], data).code).toBe(0);
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AZS_') || k === 'AZS_PWSH'));
    const child = spawn(process.execPath, [CLI, 'rotate', 'internal', '--stamp', 'Lab', '--simulate', 'success', '--sim-seconds', '20', '--data-dir', data], { env: { ...base, ...env } });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    // Kill once the action plan is under way (a step is being polled).
    for (let i = 0; i < 300 && !/Step '.+' status: 'InProgress'/.test(stdout); i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(stdout).toMatch(/Step '.+' status: 'InProgress'/);
    child.kill('SIGKILL');
    await exited;

    const shown = stdout
      .split('\n')
      .map((l) => /^\d\d:\d\d:\d\d (?:INFO|WARN|ERROR|VERBOSE) +(.*)$/.exec(l)?.[1])
      .filter((t): t is string => t !== undefined && t !== '');
    expect(shown.length).toBeGreaterThan(10);
    const run = cli(['runs', 'show', '1', '--json'], data);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.state).toBe('interrupted');
    expect(json.endedAt).not.toBeNull();
    const stored = json.events.map((e: { text: string }) => e.text).join('\n');
    // The CLI prints an event only after it is in the database, so everything it printed must be there.
    for (const text of shown) expect(stored).toContain(text);
    expect(json.events.at(-1)).toMatchObject({ type: 'run.state', level: 'warning', text: expect.stringMatching(/^Interrupted — outcome unknown: the process \d+ on .+ that ran this internal rotation ended/) });
    expect(cli(['runs', 'list'], data).stdout).toMatch(/\n1\s+Lab\s+internal \(rehearsal\)\s+interrupted — outcome unknown/);
    expect(cli(['runs', 'show', '1'], data).stdout).toMatch(/→ Open a PEP session and run Get-ActionStatus Start-SecretRotation/);
  });
});

describe('pep-sim and help', () => {
  it('has --help with an example on every rotation command and subcommand', () => {
    for (const args of [['stamp'], ['stamp', 'add'], ['stamp', 'list'], ['stamp', 'show'], ['stamp', 'remove'], ['rotate'], ['runs'], ['runs', 'list'], ['runs', 'show'], ['pep-sim']]) {
      const run = runCli([...args, '--help']);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout, args.join(' ')).toMatch(/Examples?:\n {2}azs-rotate /);
    }
    const rotate = runCli(['rotate', '--help']).stdout;
    expect(rotate).toContain('--simulate <scenario>');
    expect(rotate.replace(/\s+/g, ' ')).toContain('success, ercs01-unreachable, wrong-credential, fail-at-step:N, session-drop, garbage-output, exit-nonzero');
    expect(rotate).not.toMatch(/--pep-password </);
    expect(runCli(['stamp', 'add', '--help']).stdout).toContain('--version <YYMM>');
    expect(runCli(['--version']).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.skipIf(PWSH === null)('runs a generated script given on stdin in PowerShell against the stand-in PEP', () => {
    const script = buildPepScript({
      kind: 'internal',
      stamp: { name: 'Sim', region: 'pepsim', fqdn: 'azurestack.contoso.com', version: '2108', identity: 'aad' },
      ercs: ['10.0.0.9'],
      pepUser: 'AZURESTACK\\CloudAdmin',
      steps: stepsFor('internal', { version: '2108', rerun: false }),
    });
    const input = `${script.text}\n# azs-rotate-secrets-follow\n${PEP}\n`;
    const run = runCli(['pep-sim', '--sim-seconds', '1', '--state-dir', path.join(work, 'sim'), '--region', 'pepsim', '--fqdn', 'azurestack.contoso.com'], { TMPDIR: TMP }, input);
    outputs.push(run.stdout, run.stderr);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; status?: string; text?: string });
    expect(lines.at(-1)).toMatchObject({ type: 'result', status: 'completed' });
    expect(lines.map((l) => l.text).join('\n')).toContain("Action plan finished with status: 'Completed'");
    // A script that does not parse: nothing runs, the secret is never read.
    const broken = runCli(['pep-sim', '--sim-seconds', '0', '--state-dir', path.join(work, 'sim')], { TMPDIR: TMP }, `& {\n# azs-rotate-secrets-follow\n${PEP}\n`);
    expect(broken.code).toBe(4);
    expect(JSON.parse(broken.stdout.trim())).toMatchObject({ type: 'result', status: 'input-error', text: expect.stringMatching(/^The generated script does not parse/) });
    expect(broken.stdout + broken.stderr).not.toContain(PEP);
  });

  it('refuses a bad scenario or version', () => {
    expect(runCli(['pep-sim', '--scenario', 'nope'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/scenario "nope" is not a scenario/) });
    expect(runCli(['pep-sim', '--stamp-version', '21.08'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--stamp-version must be YYMM/) });
  });
});

withPwsh('secrets', () => {
  function filesUnder(dir: string): string[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? filesUnder(full) : [full];
    });
  }

  it('leaves no password in the database (+ WAL), the simulator state, the temp folder or the output', () => {
    const files = [...filesUnder(work)];
    expect(files.some((f) => f.endsWith('workbench.db'))).toBe(true);
    expect(files.some((f) => f.endsWith('pep-sim-state.json'))).toBe(true);
    const contents = [...files.map((f) => readFileSync(f).toString('latin1')), ...files.map((f) => readFileSync(f).toString('utf16le')), ...outputs];
    for (const secret of [PEP, SHARE, BMC, manifest.password]) {
      const hits = contents.filter((c) => c.includes(secret));
      expect(hits, `"${secret}" found`).toEqual([]);
    }
  });
});
