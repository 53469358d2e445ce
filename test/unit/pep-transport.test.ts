/**
 * Rehearsals in real PowerShell: the rotation runner and the transport run the generated scripts in pwsh against
 * the stand-in PEP module. Every procedure and fault scenario ends in a truthful state with a clear message, the
 * stand-in's restricted runspaces enforce the PEP's rules and parameter sets, the stdin framing holds (cancel,
 * a dropped session, a script that does not parse), and no secret reaches the child's argv or environment, the
 * output, or the database. Skipped, saying why, only where no PowerShell can be had.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RotationKind, SimScenario } from '../../shared/rotation/rotation-run';
import type { Stamp } from '../../shared/stamps/stamp';
import { PepOutputParser, type TransportItem } from '../../electron/services/pep/parser';
import { buildPepScript, stepsFor } from '../../electron/services/pep/script-builder';
import type { PepScriptRequest } from '../../electron/services/pep/script-builder';
import { sha256Hex } from '../../electron/services/pep/simulator/sim-config';
import { standInLauncher, type StandInRunConfig } from '../../electron/services/pep/simulator/stand-in';
import { resolvePowerShell, runPepScript, type PowerShellCommand } from '../../electron/services/pep/transport';
import { executeRotation, type RotationOutcome } from '../../electron/services/rotation/rotation-runner';
import { reconcileInterrupted, STALE_AFTER_MS } from '../../electron/services/rotation/liveness';
import type { RotationRequest, RotationSecrets } from '../../electron/services/rotation/preflight';
import { Store } from '../../electron/services/store/store';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { tempDir } from './ipc-fixtures';
import { announcePwshSkip, PWSH } from '../support/pwsh';

const manifest = loadFixtureManifest();
announcePwshSkip(__filename);
const simulator = standInLauncher({ command: PWSH ?? 'pwsh' });
const withPwsh = describe.skipIf(PWSH === null);

/** A Node process standing in for PowerShell, for the transport's own mechanics (framing, scrubbing, kill). */
function nodeProcess(script: string, args: string[] = []): PowerShellCommand {
  return { command: process.execPath, args: [script, ...args], env: {}, label: path.basename(script), simulator: false, standIn: null };
}

/** A rehearsal command for a bare script (no rotation runner). */
function standIn(config: Omit<StandInRunConfig, 'stamp'> & { version?: string; region?: string }, env?: Record<string, string | undefined>): PowerShellCommand {
  const stamp = { name: 'Rules', region: config.region ?? 'rules', fqdn: 'azurestack.contoso.com', version: config.version ?? '2108', ercs: ['10.0.0.1'] };
  return standInLauncher({ command: PWSH ?? 'pwsh' }, { env: env ?? {} })({ scenario: config.scenario, simSeconds: config.simSeconds, stateDir: config.stateDir, stamp });
}
const SECRETS: RotationSecrets = { pep: 'PepPw9x7Qz', share: 'SharePw4k2Lm', certificate: manifest.password, bmc: 'BmcPw8j3Rt' };

let dir: string;
let cleanup: () => void;
let store: Store;
let stampSeq = 0;

beforeAll(() => {
  ({ dir, cleanup } = tempDir('pep-transport'));
  store = Store.open({ dataDir: path.join(dir, 'data') });
});
afterAll(() => {
  store.close();
  cleanup();
});

/**
 * A fresh stamp per test. The PEP's history — the simulator's and pre-flight's — is kept per region and
 * FQDN, so each stamp gets a region of its own; external runs validate the fixture share and need its names
 * (`external: true`), so they share one key and each test leaves it without a failed rotation.
 */
function newStamp(over: Partial<Stamp> = {}, options: { external?: boolean } = {}): Stamp {
  stampSeq += 1;
  return store.stamps.create(
    {
      name: `Sim${stampSeq}`,
      region: options.external ? manifest.region : `sim${stampSeq}`,
      externalFqdn: manifest.fqdn,
      identity: 'adfs',
      version: '2108',
      ercsIps: ['10.0.0.1', '10.0.0.2', '10.0.0.3'],
      currentCaKind: 'enterprise',
      resourceProviders: [],
      rehearsal: true,
      ...over,
    },
    new Date().toISOString(),
  );
}

function request(stamp: Stamp, kind: RotationKind, scenario: SimScenario, over: Partial<RotationRequest> = {}): RotationRequest {
  return {
    stamp,
    kind,
    share: kind === 'external' ? manifest.shares.adfsValid : null,
    pfxFilesPath: kind === 'external' ? '\\\\10.0.0.5\\rotation\\Certificates' : null,
    pepUser: 'AZURESTACK\\CloudAdmin',
    shareUser: 'CONTOSO\\svc-rotate',
    bmcUser: kind === 'bmc' ? 'root' : null,
    bypassBmcUpdate: false,
    rerun: false,
    simulate: { scenario, seconds: 1 },
    source: 'cli',
    ...over,
  };
}

/** Each simulated stamp gets its own simulator state folder (the region/FQDN key is shared by all test stamps). */
async function rotate(stamp: Stamp, kind: RotationKind, scenario: SimScenario, over: Partial<RotationRequest> = {}, extra: { env?: Record<string, string | undefined>; signal?: AbortSignal } = {}): Promise<RotationOutcome> {
  return executeRotation({
    store,
    request: request(stamp, kind, scenario, over),
    secrets: SECRETS,
    powershell: resolvePowerShell({ env: {} }),
    simulator,
    simStateDir: path.join(dir, 'sim', stamp.name),
    env: extra.env ?? { ...process.env, AZS_PEP_PASSWORD: SECRETS.pep },
    signal: extra.signal,
  });
}

const eventTypes = (runId: number) => store.rotations.events(runId).map((e) => e.type);

/** Waits until the stamp's newest run knows its action plan (the rotation is running on the PEP). */
async function waitForPlan(stampName: string): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    const [run] = store.rotations.list({ stampName });
    if (run?.actionPlanInstanceId) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no action plan started for ${stampName}`);
}
const eventTexts = (runId: number) => store.rotations.events(runId).map((e) => e.text).join('\n');

withPwsh('rehearsals of every procedure in real PowerShell against the stand-in PEP', () => {
  it('success: preflight, session, readiness, the plan, the post-check, in order and recorded', async () => {
    const out = await rotate(newStamp({}, { external: true }), 'external', { kind: 'success' });
    const run = out.run;
    expect(run).toMatchObject({ state: 'succeeded', ercs: '10.0.0.1', rehearsal: true, scenario: 'success', reachedPep: true });
    expect(run.actionPlanInstanceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(run.outcome).toBe(`Action plan ${run.actionPlanInstanceId} finished with status 'Completed'.`);
    const types = eventTypes(run.id);
    const order = ['run.note', 'run.state', 'preflight.check', 'session.connecting', 'session.opened', 'stamp.info', 'test.summary', 'action-plan.instance', 'action-plan.finished', 'session.closed', 'transport.exit'];
    const positions = order.map((t) => types.indexOf(t));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(store.rotations.events(run.id).filter((e) => e.type === 'run.state').map((e) => e.data?.state)).toEqual(['preflight', 'running', 'succeeded']);
    expect(store.rotations.events(run.id).map((e) => e.seq)).toEqual(types.map((_, i) => i + 1));
    expect(eventTexts(run.id)).toContain('Test-AzureStack -Include AzsExternalCertificates -DetailedResults');
    // The stamp's facts crossed the session at remoting's default depth (1) and still carry the root CA's expiry.
    const info = store.rotations.events(run.id).find((e) => e.type === 'stamp.info')!;
    const roots = (info.data as { rootCaCertificates: { subject: string; notAfter: string | null }[] }).rootCaCertificates;
    expect(roots).toEqual([{ subject: expect.stringMatching(/^CN=AzureStackCertificationAuthority/), notAfter: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) }]);
    expect(Date.parse(roots[0]!.notAfter!) - Date.now()).toBeGreaterThan(2 * 365 * 86_400_000);
  });

  it('ercs01-unreachable: falls back to the next ERCS and records why', async () => {
    const out = await rotate(newStamp(), 'internal', { kind: 'ercs01-unreachable' });
    expect(out.run).toMatchObject({ state: 'succeeded', ercs: '10.0.0.2' });
    const failed = store.rotations.events(out.run.id).find((e) => e.type === 'session.failed');
    expect(failed).toMatchObject({ level: 'warning', data: expect.objectContaining({ ercs: '10.0.0.1', cause: 'unreachable' }) });
    expect(failed?.text).toMatch(/^ERCS 10\.0\.0\.1: .*WinRM cannot complete the operation/);
  });

  it('ercs01-unreachable with a single ERCS: fails saying no session opened', async () => {
    const out = await rotate(newStamp({ ercsIps: ['10.0.0.1'] }), 'internal', { kind: 'ercs01-unreachable' });
    expect(out.run).toMatchObject({ state: 'failed', ercs: null, reachedPep: false });
    expect(out.run.outcome).toBe('No PEP session could be opened: 10.0.0.1 (unreachable). Nothing was changed on the stamp.');
  });

  it('wrong-credential: fails after one attempt, without trying the other ERCS VMs', async () => {
    const out = await rotate(newStamp(), 'internal', { kind: 'wrong-credential' });
    expect(out.run.state).toBe('failed');
    expect(out.run.outcome).toMatch(/^The PEP on 10\.0\.0\.1 refused AZURESTACK\\CloudAdmin: Access is denied\./);
    expect(store.rotations.events(out.run.id).filter((e) => e.type === 'session.connecting')).toHaveLength(1);
    expect(out.refused).toBe(false);
  });

  it('a configured PEP password is checked (hash only in the configuration)', async () => {
    const env = { ...process.env, AZS_PEP_SIM: JSON.stringify({ pepPasswordSha256: sha256Hex('SomethingElse1') }) };
    const refused = await rotate(newStamp(), 'internal', { kind: 'success' }, {}, { env });
    expect(refused.run.outcome).toMatch(/Access is denied/);
    const accepted = await rotate(newStamp(), 'internal', { kind: 'success' }, {}, { env: { ...process.env, AZS_PEP_SIM: JSON.stringify({ pepPasswordSha256: sha256Hex(SECRETS.pep) }) } });
    expect(accepted.run.state).toBe('succeeded');
  });

  it('fail-at-step: fails at that step; a plain run is refused; a rerun resumes the same plan and succeeds', async () => {
    const stamp = newStamp({}, { external: true });
    const failed = await rotate(stamp, 'external', { kind: 'fail-at-step', step: 2 });
    expect(failed.run.state).toBe('failed');
    expect(failed.run.outcome).toMatch(/finished with status 'Failed' at step 'Import the certificates into the infrastructure secret store'\.$/);
    expect(failed.nextSteps.join(' ')).toMatch(/restore the certificates from the backup.*--rerun/);
    expect(store.rotations.events(failed.run.id).find((e) => e.type === 'ps.error')?.data).toMatchObject({ hint: expect.stringContaining('-ReRun') });

    const plain = await rotate(stamp, 'external', { kind: 'success' });
    expect(plain).toMatchObject({ refused: true, run: { state: 'failed', reachedPep: false } });
    expect(plain.run.outcome).toMatch(/^Pre-flight refused the run: The last secret rotation on Sim\d+ \(east\.azurestack\.contoso\.com\), run \d+ \(external, .*\), failed; the PEP accepts only -ReRun now\./);

    const rerun = await rotate(stamp, 'external', { kind: 'success' }, { rerun: true });
    expect(rerun.run).toMatchObject({ state: 'succeeded', rerunOf: failed.run.id, actionPlanInstanceId: failed.run.actionPlanInstanceId });
    expect(eventTexts(rerun.run.id)).toContain('Start-SecretRotation -ReRun');
    // Resumed at the failed step: the first step is not run again.
    expect(eventTexts(rerun.run.id)).not.toContain("Step 'Validate the new certificates on the share'");
  });

  it('session-drop: interrupted, outcome unknown; the plan keeps running on the simulated stamp', async () => {
    const stamp = newStamp();
    // Long enough a simulated hour that the dropped plan is still running when the next run reaches the PEP.
    const out = await rotate(stamp, 'internal', { kind: 'session-drop' }, { simulate: { scenario: { kind: 'session-drop' }, seconds: 10 } });
    expect(out.run.state).toBe('interrupted');
    expect(out.run.outcome).toBe('The PEP session to 10.0.0.1 broke while the PEP was working: the action plan continues on the stamp — outcome unknown.');
    expect(out.nextSteps[0]).toMatch(/Get-ActionStatus Start-SecretRotation/);
    expect(eventTypes(out.run.id)).toContain('session.reconnecting');
    // Straight away the PEP refuses a second plan while the first still runs server-side.
    const again = await rotate(stamp, 'internal', { kind: 'success' });
    expect(again.run.state).toBe('failed');
    expect(again.run.outcome).toMatch(/^The PEP refused to start: another action plan \([0-9a-f-]{36}\) is in progress on the stamp\.$/);
    expect(store.rotations.events(again.run.id).find((e) => e.type === 'preflight.check' && e.data?.id === 'rerun')).toMatchObject({ level: 'warning' });
  });

  it('garbage-output: keeps every unparseable line verbatim and still reads the outcome', async () => {
    const out = await rotate(newStamp(), 'internal', { kind: 'garbage-output' });
    expect(out.run.state).toBe('succeeded');
    const garbage = store.rotations.events(out.run.id).filter((e) => e.type === 'transport.garbage').map((e) => e.text);
    expect(garbage).toEqual(expect.arrayContaining([expect.stringMatching(/^PowerShell \d+\.\d+/), '{"type":"output","text":"Overall action sta', '{"kind":"telemetry","session":42}', '}']));
    expect(eventTexts(out.run.id)).toMatch(/\d+ output line\(s\) were not JSON messages/);
  });

  it('exit-nonzero: PowerShell dying mid-plan is interrupted, with its stderr kept', async () => {
    const out = await rotate(newStamp(), 'bmc', { kind: 'exit-nonzero' });
    expect(out.run.state).toBe('interrupted');
    expect(out.run.outcome).toBe('pwsh (PEP simulator) ended with exit code 1 before the action plan reported its outcome — outcome unknown.');
    expect(store.rotations.events(out.run.id).find((e) => e.type === 'transport.stderr')?.text).toMatch(/PSRemotingDataStructureException/);
  });

  it('bmc: Set-BmcCredential with the user, through the simulated plan', async () => {
    const out = await rotate(newStamp(), 'bmc', { kind: 'success' }, { bypassBmcUpdate: true });
    expect(out.run.state).toBe('succeeded');
    expect(eventTexts(out.run.id)).toContain('Set-BmcCredential -BmcPassword <secure> -BmcUser root -BypassBMCUpdate');
  });

  it('cancel mid-plan: PowerShell is asked to stop, the script removes the PEP session, the run is interrupted', async () => {
    const controller = new AbortController();
    const stamp = newStamp();
    const pending = rotate(stamp, 'internal', { kind: 'success' }, { simulate: { scenario: { kind: 'success' }, seconds: 30 } }, { signal: controller.signal });
    await waitForPlan(stamp.name);
    const cancelledAt = Date.now();
    controller.abort();
    const out = await pending;
    expect(out.run.state).toBe('interrupted');
    expect(out.run.outcome).toBe('Cancelled while the PEP was working: the action plan continues on the stamp — outcome unknown.');
    // The cancel line, not a kill: the script's finally ran Remove-PSSession and said so, well inside the grace period.
    expect(Date.now() - cancelledAt).toBeLessThan(5000);
    const events = store.rotations.events(out.run.id);
    const closed = events.findIndex((e) => e.type === 'session.closed');
    expect(events[closed]?.text).toBe('PEP session on 10.0.0.1 closed');
    expect(closed).toBeGreaterThan(events.findIndex((e) => e.type === 'action-plan.instance'));
    expect(events.find((e) => e.type === 'transport.exit')?.text).toBe('pwsh (PEP simulator) exited with code 5 after the operator cancelled.');
  });

  it('a storage failure while PowerShell runs stops it and ends the run interrupted, keeping what was recorded', async () => {
    const stamp = newStamp();
    const original = store.rotations.appendEvents;
    let refused = 0;
    // The disk fills up once the action plan reports its first step.
    store.rotations.appendEvents = (runId, events) => {
      if (refused > 0 || events.some((e) => e.type === 'action-plan.step')) {
        refused += 1;
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      }
      return original(runId, events);
    };
    const started = Date.now();
    let out: RotationOutcome;
    try {
      out = await rotate(stamp, 'internal', { kind: 'success' }, { simulate: { scenario: { kind: 'success' }, seconds: 30 } });
    } finally {
      store.rotations.appendEvents = original;
    }
    expect(refused).toBeGreaterThan(0);
    // Stopped, not left to run the simulated half hour unrecorded.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(out.run.state).toBe('interrupted');
    expect(out.run.outcome).toMatch(/^Could not record events: disk full — free space, then re-open a session and read the status; do not rerun blindly\. /);
    expect(out.nextSteps.join(' ')).toMatch(/Get-ActionStatus Start-SecretRotation.*Do not rerun blindly/);
    expect(store.rotations.get(out.run.id)).toMatchObject({ state: 'interrupted', outcome: out.run.outcome });
    const types = eventTypes(out.run.id);
    // Everything before the failure is kept; the batch that failed is not half-written.
    for (const t of ['run.note', 'preflight.check', 'session.opened', 'step.started', 'action-plan.instance']) expect(types).toContain(t);
    expect(types).not.toContain('action-plan.step');
    expect(types.at(-1)).toBe('run.state');
  });

  it('when nothing can be written any more, the run still ends interrupted for the caller', async () => {
    const stamp = newStamp();
    const rotations = store.rotations;
    const saved = { appendEvents: rotations.appendEvents, transition: rotations.transition, setFacts: rotations.setFacts, heartbeat: rotations.heartbeat };
    let full = false;
    const guard = <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A): R => {
      if (full) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });
      return fn(...args);
    };
    rotations.appendEvents = (runId, events) => {
      if (events.some((e) => e.type === 'session.opened')) full = true;
      return guard(saved.appendEvents)(runId, events);
    };
    rotations.transition = guard(saved.transition);
    rotations.setFacts = guard(saved.setFacts);
    rotations.heartbeat = guard(saved.heartbeat);
    let out: RotationOutcome;
    try {
      out = await rotate(stamp, 'internal', { kind: 'success' }, { simulate: { scenario: { kind: 'success' }, seconds: 30 } });
    } finally {
      Object.assign(rotations, saved);
    }
    expect(out.run).toMatchObject({ state: 'interrupted', outcome: expect.stringMatching(/^Could not record events: I\/O error \(disk I\/O error\) — check the disk of the data folder, then re-open a session/) });
    // The row could not be moved; its owner's heartbeat goes stale, and then history shows it interrupted too.
    expect(store.rotations.get(out.run.id)?.state).toBe('preflight');
    expect(reconcileInterrupted(store, { owner: { pid: -1, host: 'elsewhere' }, now: () => new Date(Date.now() + STALE_AFTER_MS + 1000) }).map((r) => r.id)).toContain(out.run.id);
  });

  it('a PowerShell that does not exist fails the run without touching anything', async () => {
    const stamp = newStamp({ rehearsal: false });
    const out = await executeRotation({
      store,
      request: request(stamp, 'internal', { kind: 'success' }, { simulate: null }),
      secrets: SECRETS,
      powershell: resolvePowerShell({ env: { AZS_PWSH: path.join(dir, 'no-such-pwsh') } }),
      simulator,
      simStateDir: path.join(dir, 'sim', stamp.name),
    });
    expect(out).toMatchObject({ refused: true, run: { state: 'failed' } });
    expect(out.run.outcome).toMatch(/PowerShell \(.*no-such-pwsh\) was not found/);
  });

  it('stores none of the secrets anywhere in the database', async () => {
    store.close();
    const raw = ['', '-wal'].map((suffix) => {
      try {
        return readFileSync(path.join(dir, 'data', `workbench.db${suffix}`)).toString('latin1');
      } catch {
        return '';
      }
    });
    store = Store.open({ dataDir: path.join(dir, 'data') });
    for (const secret of [SECRETS.pep, SECRETS.share!, SECRETS.bmc!]) {
      for (const text of raw) expect(text.includes(secret)).toBe(false);
    }
  });
});

withPwsh('the stand-in PEP enforces the PEP rules and its restrictions on the script itself', () => {
  function script(kind: RotationKind, steps: PepScriptRequest['steps'], version = '2108') {
    return buildPepScript({ kind, stamp: { name: 'Rules', region: 'rules', fqdn: 'azurestack.contoso.com', version, identity: 'aad' }, ercs: ['10.0.0.1'], pepUser: 'AZURESTACK\\CloudAdmin', steps });
  }
  async function run(text: string, secrets: string[], stateDir: string, scenario = 'success', version = '2108', signal?: AbortSignal, onBatch?: (parser: PepOutputParser) => void) {
    const parser = new PepOutputParser();
    const items: TransportItem[] = [];
    const outcome = await runPepScript({
      command: standIn({ scenario, simSeconds: 0.5, stateDir, version }),
      script: text,
      secrets,
      signal,
      stopGraceMs: 20_000,
      onItems: (batch) => {
        items.push(...batch);
        for (const i of batch) parser.feed(i);
        onBatch?.(parser);
      },
    });
    return { outcome, facts: parser.facts, items, text: JSON.stringify(items) };
  }
  const internal = (version = '2108') => script('internal', stepsFor('internal', { version, rerun: false }), version).text;

  it('refuses a plain rotation after a failure, and a rerun of the other kind', async () => {
    const stateDir = path.join(dir, 'rules-rerun');
    const first = await run(internal(), ['pep'], stateDir, 'fail-at-step:1');
    expect(first.facts.finalStatus).toBe('Failed');
    const second = await run(internal(), ['pep'], stateDir);
    // An internal rotation reads no share: the PEP's advice is the rerun alone, without a restore.
    expect(second.facts.lastError).toMatch(/\) failed\. Run Start-SecretRotation -Internal -ReRun\.$/);
    expect(second.outcome.exitCode).toBe(1);
    const wrongKind = await run(script('external', stepsFor('external', { version: '2108', rerun: true })).text, ['pep'], stateDir);
    expect(wrongKind.facts.lastError).toMatch(/The failed secret rotation was the internal rotation/);
  });

  it('binds Start-SecretRotation with its documented parameter sets: an external call without its parameters or with -Internal is refused by PowerShell', async () => {
    const stateDir = path.join(dir, 'rules-params');
    const base = internal();
    // The call inside the script block (not the comment or the progress text, which name it too).
    const call = /^( {6,})Start-SecretRotation -Internal$/m;
    const noParams = await run(base.replace(call, "$1Start-SecretRotation -PfxFilesPath '\\\\h\\s\\Certificates'"), ['pep'], stateDir);
    expect(noParams.facts.lastError).toMatch(/PathAccessCredential|missing mandatory parameters|Parameter set cannot be resolved/);
    const both = await run(base.replace(call, "$1Start-SecretRotation -Internal -PfxFilesPath '\\\\h\\s\\Certificates'"), ['pep'], stateDir);
    expect(both.facts.lastError).toMatch(/Parameter set cannot be resolved/);
    expect(both.facts.finalStatus).toBeNull();
  });

  it('has no -Internal and no readiness group before 1811: the generated script uses the forms of that version', async () => {
    const stateDir = path.join(dir, 'rules-1809');
    const old = await run(internal('1809'), ['pep'], stateDir, 'success', '1809');
    expect(old.text).toContain('"text":"Test-AzureStack"');
    expect(old.facts.finalStatus).toBe('Success');
    expect(old.outcome.exitCode).toBe(0);
    // The 1811 forms on a 1809 stamp: PowerShell itself refuses the parameters the cmdlets do not have.
    const forced = await run(internal('1809').replace('{ Test-AzureStack }', '{ Test-AzureStack -Group SecretRotationReadiness }').replace(/^( {6,})Start-SecretRotation *$/m, '$1Start-SecretRotation -Internal'), ['pep'], path.join(dir, 'rules-1809b'), 'success', '1809');
    expect(forced.text).toMatch(/A parameter cannot be found that matches parameter name 'Group'/);
    expect(forced.text).toMatch(/A parameter cannot be found that matches parameter name 'Internal'/);
  });

  it('is a no-language endpoint: a script block with language in it and a command the PEP lacks are refused as on a stamp', async () => {
    const stateDir = path.join(dir, 'rules-nolanguage');
    const scripted = await run(internal().replace('{ Get-AzureStackStampInformation -WarningAction SilentlyContinue }', '{ $x = 1; Get-AzureStackStampInformation }'), ['pep'], stateDir);
    expect(scripted.text).toMatch(/ScriptsNotAllowed/);
    expect(scripted.text).toMatch(/not supported by this runspace/);
    const unknown = await run(internal().replace('{ Get-AzureStackStampInformation -WarningAction SilentlyContinue }', '{ Get-ChildItem C:\\ }'), ['pep'], stateDir);
    expect(unknown.text).toMatch(/CommandNotFoundException|is not recognized as a name of a cmdlet/);
  });

  it('ends a script that does not parse before reading a secret: secret lines are never executed or echoed', async () => {
    const secret = 'Get-Process-Secret9';
    const out = await run(`${internal()}\n& {\n`, [secret], path.join(dir, 'rules-parse'));
    expect(out.outcome.exitCode).toBe(4);
    expect(out.facts.result?.status).toBe('input-error');
    expect(out.facts.result?.text).toMatch(/^The generated script does not parse \(line \d+: .+\); nothing was run and no secret was read\.$/);
    expect(out.items.filter((i) => i.kind !== 'message')).toEqual([]);
    expect(out.text).not.toContain('[redacted]');
    expect(out.text).not.toContain(secret);
  });

  it('a cancel line mid-plan: the script ends its step, removes the session and reports cancelled (exit 5), without a kill', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const out = await run(internal(), ['pep'], path.join(dir, 'rules-cancel'), 'success', '2108', controller.signal, (p) => {
      if (p.facts.actionPlanInstanceId) controller.abort();
    });
    expect(out.outcome).toMatchObject({ exitCode: 5, signal: null, cancelled: true });
    expect(out.facts.result?.status).toBe('cancelled');
    expect(out.facts.lastError).toMatch(/^Stopped at the operator's request: the PEP session is closed now/);
    expect(out.facts.stepsFinished['start-secret-rotation']).toBe(false);
    expect(out.text).toContain('PEP session on 10.0.0.1 closed');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('a run that is not cancelled ends by itself although stdin stays open for a cancel line', async () => {
    const out = await run(internal(), ['pep'], path.join(dir, 'rules-open'));
    expect(out.outcome).toMatchObject({ exitCode: 0, signal: null, cancelled: false });
    expect(out.facts.finalStatus).toBe('Completed');
  });

  it('a dropped session: the broken session refuses further commands and the script still closes it', async () => {
    const out = await run(internal(), ['pep'], path.join(dir, 'rules-drop'), 'session-drop');
    expect(out.facts.sessionBroken).toBe(true);
    expect(out.text).toContain('WinRMOperationAborted,PSSessionStateBroken');
    expect(out.text).toContain('PEP session on 10.0.0.1 closed');
    expect(out.outcome.exitCode).toBe(1);
  });
});

describe('transport', () => {
  it('scrubs secrets from every output channel and keeps them out of argv and the environment', async () => {
    // A stand-in PowerShell that echoes what it received and what it was started with.
    const echo = path.join(dir, 'echo-pwsh.mjs');
    writeFileSync(
      echo,
      [
        "let input = '';",
        "let done = false;",
        // stdin stays open for a cancel line: the echo answers once the marker and both secrets have arrived.
        "process.stdin.on('data', (c) => { input += c; const l = input.split('\\n'); const m = l.indexOf('# azs-rotate-secrets-follow'); if (!done && m >= 0 && l.length - m - 1 > 2) { done = true; answer(); } });",
        "function answer() {",
        "  const lines = input.split('\\n');",
        "  for (const l of lines) if (l) process.stdout.write(JSON.stringify({ type: 'output', text: 'echo ' + l }) + '\\n');",
        "  process.stdout.write('raw ' + lines.join('|') + '\\n');",
        "  process.stdout.write(JSON.stringify({ type: 'verbose', text: 'escaped ' + JSON.stringify(lines) }) + '\\n');",
        "  process.stdout.write(JSON.stringify({ type: 'output', text: 'argv ' + process.argv.join(' '), env: process.env }) + '\\n');",
        "  process.stderr.write('err ' + lines.join('|') + '\\n');",
        '  process.exit(0);',
        '}',
      ].join('\n'),
    );
    const secrets = ["Pw'<&>\"x9", 'Second42z'];
    const items: TransportItem[] = [];
    const outcome = await runPepScript({
      command: nodeProcess(echo, ['-NoProfile']),
      script: 'Write-Output 1',
      secrets,
      env: { PATH: process.env.PATH, AZS_PEP_PASSWORD: secrets[0], AZS_NEW_SECRET_THING: 'x', HARMLESS: 'keep', COPY: secrets[1] },
      onItems: (batch) => items.push(...batch),
    });
    expect(outcome).toMatchObject({ exitCode: 0, spawnError: null, cancelled: false });
    const all = JSON.stringify(items);
    for (const s of secrets) {
      expect(all).not.toContain(s);
      expect(all).not.toContain(JSON.stringify(s).slice(1, -1));
    }
    expect(all).toContain('[redacted]');
    expect(items.filter((i) => i.kind === 'stderr')).toHaveLength(1);
    expect(items.filter((i) => i.kind === 'garbage')).toHaveLength(1);
    const envLine = items.find((i) => i.kind === 'message' && i.message.text?.startsWith('argv '));
    if (envLine?.kind !== 'message') throw new Error('the echo did not report its environment');
    const env = (envLine.message as unknown as { env: Record<string, string> }).env;
    expect(env.HARMLESS).toBe('keep');
    expect(env).not.toHaveProperty('AZS_PEP_PASSWORD');
    expect(env).not.toHaveProperty('AZS_NEW_SECRET_THING');
    expect(env).not.toHaveProperty('COPY');
    expect(envLine.message.text).toContain('-NoProfile');
  });

  it('terminates a PowerShell that ignores the request to stop once the grace period is over', async () => {
    const stubborn = path.join(dir, 'stubborn-pwsh.mjs');
    writeFileSync(
      stubborn,
      [
        "process.stdin.on('data', (c) => { if (String(c).includes('# azs-rotate-cancel')) process.stdout.write(JSON.stringify({ type: 'warning', text: 'ignoring the cancel line' }) + '\\n'); });",
        "process.stdout.write(JSON.stringify({ type: 'output', text: 'started' }) + '\\n');",
        'setInterval(() => {}, 1000);',
      ].join('\n'),
    );
    const controller = new AbortController();
    const texts: string[] = [];
    let stopAsked = 0;
    const outcome = await runPepScript({
      command: nodeProcess(stubborn),
      script: '# stubborn',
      secrets: [],
      stopGraceMs: 300,
      signal: controller.signal,
      onItems: (batch) => {
        for (const item of batch) if (item.kind === 'message') texts.push(item.message.text ?? '');
        if (texts.includes('started') && stopAsked === 0) {
          stopAsked = Date.now();
          controller.abort();
        }
      },
    });
    expect(texts).toContain('ignoring the cancel line');
    expect(outcome).toMatchObject({ signal: 'SIGTERM', cancelled: true });
    expect(Date.now() - stopAsked).toBeGreaterThanOrEqual(300);
  });

  it('refuses a secret with a line break before spawning anything', async () => {
    const outcome = await runPepScript({ command: resolvePowerShell({ env: {} }), script: 'x', secrets: ['a\nb'], onItems: () => {} });
    expect(outcome.spawnError?.code).toBe('EINVAL');
  });

  it('resolves PowerShell: AZS_PWSH, then the setting, then the platform default; the bootstrap is the only argument', () => {
    expect(resolvePowerShell({ env: {}, platform: 'win32' }).command).toBe('powershell.exe');
    const linux = resolvePowerShell({ env: {}, platform: 'linux' });
    expect(linux).toMatchObject({ command: 'pwsh', simulator: false, standIn: null });
    expect(linux.args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-EncodedCommand']);
    expect(Buffer.from(linux.args[3]!, 'base64').toString('utf16le')).toContain('[System.Management.Automation.Language.Parser]::ParseInput');
    expect(resolvePowerShell({ env: {}, setting: 'C:\\PS7\\pwsh.exe', platform: 'win32' }).command).toBe('C:\\PS7\\pwsh.exe');
    expect(resolvePowerShell({ env: { AZS_PWSH: '/opt/pwsh' }, setting: 'ignored' }).command).toBe('/opt/pwsh');
    const rehearsal = standInLauncher({ command: '/opt/pwsh' }, { env: {}, moduleText: '# module' })({ scenario: 'success', simSeconds: 1, stateDir: '/tmp/x', stamp: { name: 's', region: 'r', fqdn: 'f.com', version: '2108', ercs: ['10.0.0.1'] } });
    expect(rehearsal).toMatchObject({ command: '/opt/pwsh', simulator: true, standIn: '# module', label: 'pwsh (PEP simulator)' });
    expect(JSON.parse(rehearsal.env.AZS_PEP_STANDIN!)).toMatchObject({ scenario: 'success', stamp: { region: 'r', version: '2108' }, generation: 'finished' });
  });
});
