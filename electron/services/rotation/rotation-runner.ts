/**
 * Runs one rotation: records the run, pre-flight, the PEP session through the transport, and the outcome.
 *
 * The run's state machine is persisted as it moves (draft → preflight → running → succeeded | failed, or
 * interrupted), and every event is appended to SQLite before any listener sees it: a crash loses nothing
 * that was shown. While the run is active this process beats a heartbeat into its row, so another process
 * can tell a live run from an orphan. Secrets go to the transport only — never into the run, the events,
 * the audit log or the listeners. When events can no longer be stored (a full disk), PowerShell is stopped
 * rather than run on unrecorded, and the run ends `interrupted` with what to do.
 */
import type { NewRunEvent, RotationKind, RunEvent } from '../../../shared/rotation/rotation-run';
import { formatSimScenario, PREFLIGHT_REFUSED_PREFIX, stampKey } from '../../../shared/rotation/rotation-run';
import { PepOutputParser, type TransportItem } from '../pep/parser';
import { buildPepScript, type PepScript } from '../pep/script-builder';
import type { SecretRole } from '../pep/script-header';
import type { StandInLauncher } from '../pep/simulator/stand-in';
import type { PowerShellCommand, TransportOutcome } from '../pep/transport';
import { runPepScript } from '../pep/transport';
import type { Store, StoredRotationRun } from '../store';
import { DatabaseFileError } from '../store/database-file';
import { isAppError } from '../errors';
import { currentOwner, HEARTBEAT_MS } from './liveness';
import { decideOutcome, type OutcomeDecision } from './outcome';
import type { PreflightOptions, PreflightResult, RotationRequest, RotationSecrets } from './preflight';
import { runPreflight } from './preflight';

/** How to start PowerShell with the stand-in PEP for a rehearsal. */
export type SimulatorLauncher = StandInLauncher;

/** Options of {@link executeRotation}. */
export interface RotationRunOptions {
  store: Store;
  request: RotationRequest;
  secrets: RotationSecrets;
  /** PowerShell for runs against a stamp. */
  powershell: PowerShellCommand;
  /** PowerShell with the stand-in PEP, for rehearsals. */
  simulator: SimulatorLauncher;
  /** Folder where the stand-in PEP's simulated stamps keep their state (so a second run knows about the first). */
  simStateDir: string;
  /** Called once the run exists (its id is known), before pre-flight. */
  onCreated?(run: StoredRotationRun): void;
  /** Called with each batch of events after it was stored. */
  onEvents?(run: StoredRotationRun, events: RunEvent[]): void;
  /** Called after each state change was stored. */
  onState?(run: StoredRotationRun): void;
  signal?: AbortSignal;
  preflight?: PreflightOptions;
  heartbeatMs?: number;
  /** Base environment of the PowerShell process (default `process.env`; secret variables are removed). */
  env?: Record<string, string | undefined>;
  /** Time PowerShell gets to close the PEP session after a cancel before it is terminated (default 10 s). */
  stopGraceMs?: number;
}

/** How a run ended. */
export interface RotationOutcome {
  run: StoredRotationRun;
  preflight: PreflightResult;
  /** True when pre-flight (or the readiness test) refused the run: nothing was started. */
  refused: boolean;
  /** What to do next, in the order to do it. */
  nextSteps: string[];
}

function secretValues(roles: readonly SecretRole[], secrets: RotationSecrets): string[] {
  return roles.map((role) => (role === 'pep' ? secrets.pep : (secrets[role] ?? '')));
}

/** The non-secret parameters recorded with the run. */
function runParameters(request: RotationRequest, pre: PreflightResult): Record<string, unknown> {
  return {
    share: request.share,
    pfxFilesPath: pre.plan.pfxFilesPath,
    pepUser: pre.plan.pepUser,
    shareUser: pre.plan.shareUser,
    bmcUser: request.bmcUser,
    bypassBmcUpdate: request.bypassBmcUpdate,
    rerun: request.rerun,
    // The PEP's history is per stamp, whichever profile ran it: kept so a renamed profile still matches.
    stampKey: stampKey(request.stamp.region, request.stamp.externalFqdn),
    simSeconds: pre.plan.rehearsal ? pre.plan.simSeconds : null,
    estimateSeconds: pre.plan.estimateSeconds,
  };
}

/** A storage failure in words an operator can act on, with the fix. */
function recordingProblem(error: unknown): { what: string; fix: string } {
  // The store words its own storage failures; its problem kind picks the short form used here.
  if (error instanceof DatabaseFileError) {
    if (error.problem === 'disk-full') return { what: 'disk full', fix: 'free space' };
    if (error.problem === 'damaged') return { what: 'the database is damaged', fix: 'restore workbench.db from a backup' };
    if (error.problem === 'read-only') return { what: 'the database is read-only', fix: 'make workbench.db writable' };
    if (error.problem === 'io') return { what: 'an I/O error on the disk of the database', fix: 'check the disk of the data folder' };
  }
  const code = String((error as { code?: unknown })?.code ?? '');
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || /disk.*full|no space/i.test(message)) return { what: 'disk full', fix: 'free space' };
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return { what: `I/O error (${message})`, fix: 'check the disk of the data folder' };
  return { what: message, fix: 'fix the cause' };
}

/** What to do after a run whose events could not be stored: the outcome on the stamp is unknown. */
function recordingFailedSteps(kind: RotationKind, dataDir: string, fix: string): string[] {
  const cmdlet = kind === 'bmc' ? 'Set-BmcCredential' : 'Start-SecretRotation';
  return [
    `${fix[0]!.toUpperCase()}${fix.slice(1)} (the database is in ${dataDir}).`,
    `Re-open a PEP session and run Get-ActionStatus ${cmdlet} to read the status of the action plan.`,
    'Do not rerun blindly: rerun only when the status says the plan failed.',
  ];
}

/**
 * Runs pre-flight and, when it passes, the PEP session; resolves when the run has reached its final state.
 *
 * Rejects only for bugs and storage failures before PowerShell starts; every operator-facing problem ends as
 * a run state with an outcome line. The run is created before pre-flight runs, so a refused pre-flight is in
 * history too. A storage failure while PowerShell runs stops it and resolves as `interrupted`.
 */
export async function executeRotation(options: RotationRunOptions): Promise<RotationOutcome> {
  const { store, request, secrets } = options;
  const iso = () => new Date().toISOString();
  const pre = await runPreflight(store, request, secrets, { ...options.preflight, powershell: options.powershell });
  const owner = currentOwner();
  const runId = store.rotations.create({
    stampId: request.stamp.id,
    stampName: request.stamp.name,
    kind: request.kind,
    rehearsal: pre.plan.rehearsal,
    scenario: pre.plan.scenario ? formatSimScenario(pre.plan.scenario) : null,
    source: request.source,
    startedAt: iso(),
    rerunOf: pre.plan.rerunOf,
    parameters: runParameters(request, pre),
    ownerPid: owner.pid,
    ownerHost: owner.host,
  });
  // The last state read back: what the outcome reports if the database cannot even be read any more.
  let known = store.rotations.get(runId)!;
  const current = () => {
    known = store.rotations.get(runId) ?? known;
    return known;
  };
  options.onCreated?.(current());

  const append = (events: NewRunEvent[]) => {
    const stored = store.rotations.appendEvents(runId, events);
    if (stored.length > 0) options.onEvents?.(current(), stored);
  };
  const move = (to: StoredRotationRun['state'], outcome: string | null, level: RunEvent['level'] = 'info', extra?: Record<string, unknown>) => {
    const event = store.rotations.transition(runId, { to, at: iso(), outcome, event: { level, text: outcome ?? `State: ${to}.`, data: extra ?? null } });
    if (event) {
      const run = current();
      options.onEvents?.(run, [event]);
      options.onState?.(run);
    }
    return event !== null;
  };

  const heartbeat = setInterval(() => {
    try {
      store.rotations.heartbeat(runId, iso());
    } catch {
      // A heartbeat that cannot be written (full disk) only ages; the run's own end is recorded separately.
    }
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();
  try {
    append([
      pre.plan.rehearsal
        ? { level: 'info', type: 'run.note', text: `REHEARSAL — ${request.kind} rotation of ${request.stamp.name} against the PEP simulator in PowerShell (scenario ${formatSimScenario(pre.plan.scenario!)}); nothing is sent to the stamp.`, data: { rehearsal: true } }
        : { level: 'info', type: 'run.note', text: `${request.kind} rotation of ${request.stamp.name} through the PEP (${request.stamp.ercsIps.join(', ')}).`, data: { rehearsal: false } },
    ]);
    move('preflight', null);
    append(pre.checks.map((c) => ({ level: c.status === 'ok' ? 'info' : c.status === 'warning' ? 'warning' : 'error', type: 'preflight.check', text: c.hint ? `${c.message} ${c.hint}` : c.message, data: { id: c.id, status: c.status } })));
    if (!pre.ok) {
      const failed = pre.checks.filter((c) => c.status === 'fail');
      move('failed', `${PREFLIGHT_REFUSED_PREFIX} ${failed.map((c) => c.message).join(' ')}`, 'error', { refused: true });
      return { run: current(), preflight: pre, refused: true, nextSteps: failed.map((c) => c.hint).filter((h): h is string => !!h) };
    }

    let script: PepScript;
    try {
      script = buildPepScript({
        kind: request.kind,
        stamp: { name: request.stamp.name, region: request.stamp.region, fqdn: request.stamp.externalFqdn, version: request.stamp.version, identity: request.stamp.identity },
        ercs: request.stamp.ercsIps,
        pepUser: pre.plan.pepUser,
        steps: pre.plan.steps,
      });
    } catch (error) {
      if (!isAppError(error)) throw error;
      move('failed', `${PREFLIGHT_REFUSED_PREFIX} ${error.message}`, 'error', { refused: true });
      return { run: current(), preflight: pre, refused: true, nextSteps: [error.hint] };
    }

    let command: PowerShellCommand;
    try {
      command = pre.plan.rehearsal
        ? options.simulator({
            scenario: formatSimScenario(pre.plan.scenario!),
            simSeconds: pre.plan.simSeconds,
            stateDir: options.simStateDir,
            stamp: { name: request.stamp.name, region: request.stamp.region, fqdn: request.stamp.externalFqdn, version: request.stamp.version, ercs: request.stamp.ercsIps },
          }, options.env)
        : options.powershell;
    } catch (error) {
      // The stand-in PEP is missing from the installation: nothing was started.
      if (!isAppError(error)) throw error;
      move('failed', `${PREFLIGHT_REFUSED_PREFIX} ${error.message}`, 'error', { refused: true });
      return { run: current(), preflight: pre, refused: true, nextSteps: [error.hint] };
    }
    // From here PowerShell may reach the PEP: a run that dies now can no longer say "nothing was sent".
    store.rotations.setFacts(runId, { phase: 'pep-session' });
    append([{ level: 'info', type: 'run.note', text: `Starting ${command.label}.`, data: { command: command.label, simulator: command.simulator } }]);

    const parser = new PepOutputParser();
    const rotationOp = request.kind === 'bmc' ? 'set-bmc-credential' : 'start-secret-rotation';
    let rotationStarted = false;
    let knownErcs: string | null = null;
    let knownPlan: string | null = null;
    const onItems = (items: TransportItem[]) => {
      let pending: NewRunEvent[] = [];
      for (const item of items) {
        pending.push(...parser.feed(item));
        const f = parser.facts;
        if (!rotationStarted && f.stepsStarted.includes(rotationOp)) {
          rotationStarted = true;
          append(pending);
          pending = [];
          move('running', null, 'info', { step: rotationOp });
          if (request.kind === 'bmc') store.rotations.setFacts(runId, { pepStartedAt: iso() });
        }
        if (f.ercs !== knownErcs) {
          knownErcs = f.ercs;
          store.rotations.setFacts(runId, { ercs: knownErcs });
        }
        if (f.actionPlanInstanceId !== knownPlan) {
          knownPlan = f.actionPlanInstanceId;
          store.rotations.setFacts(runId, { actionPlanInstanceId: knownPlan, ...(current().pepStartedAt ? {} : { pepStartedAt: iso() }) });
        }
      }
      append(pending);
    };
    let transport: TransportOutcome;
    try {
      transport = await runPepScript({
        command,
        script: script.text,
        secrets: secretValues(script.secrets, secrets),
        onItems,
        signal: options.signal,
        env: options.env,
        stopGraceMs: options.stopGraceMs,
      });
    } catch (error) {
      // onItems could not store what PowerShell printed (a full disk): the transport stopped PowerShell, which
      // closed the PEP session, and an action plan already started runs on without a record here.
      const problem = recordingProblem(error);
      const nextSteps = recordingFailedSteps(request.kind, store.dataDir, problem.fix);
      const outcome = `Could not record events: ${problem.what} — ${problem.fix}, then re-open a session and read the status; do not rerun blindly. PowerShell was stopped; an action plan already started continues on the stamp — outcome unknown.`;
      let recorded = false;
      try {
        recorded = move('interrupted', outcome, 'error', { recordingFailed: true, nextSteps });
        if (recorded) append([{ level: 'info', type: 'run.next-steps', text: nextSteps.join(' '), data: { nextSteps } }]);
      } catch {
        // Still no room: everything recorded so far stays; this answer (and the owner's stale heartbeat) tells the rest.
      }
      let run: StoredRotationRun;
      try {
        run = current();
      } catch {
        run = known;
      }
      if (run.state !== 'interrupted') {
        run = { ...run, state: 'interrupted', outcome, endedAt: iso() };
        options.onState?.(run);
      }
      return { run, preflight: pre, refused: false, nextSteps };
    }
    append([
      {
        level: transport.exitCode === 0 || transport.spawnError ? 'debug' : 'warning',
        type: 'transport.exit',
        text: transport.spawnError
          ? `${command.label} could not be started: ${transport.spawnError.code}.`
          : `${command.label} ${transport.signal ? `was stopped by ${transport.signal}` : `exited with code ${transport.exitCode}`}${transport.cancelled ? ' after the operator cancelled' : ''}.`,
        data: { exitCode: transport.exitCode, signal: transport.signal, cancelled: transport.cancelled },
      },
    ]);
    const decision: OutcomeDecision = decideOutcome({ kind: request.kind, facts: parser.facts, transport, rotationStarted, commandLabel: command.label, pepUser: pre.plan.pepUser, version: request.stamp.version });
    if (parser.facts.garbageLines > 0) {
      append([{ level: 'warning', type: 'run.note', text: `${parser.facts.garbageLines} output line(s) were not JSON messages; they are kept above as they came.`, data: { garbageLines: parser.facts.garbageLines } }]);
    }
    const level = decision.state === 'succeeded' ? 'info' : decision.state === 'interrupted' ? 'warning' : 'error';
    move(decision.state, decision.outcome, level, { refused: decision.refused, nextSteps: decision.nextSteps });
    if (decision.nextSteps.length > 0) append([{ level: 'info', type: 'run.next-steps', text: decision.nextSteps.join(' '), data: { nextSteps: decision.nextSteps } }]);
    return { run: current(), preflight: pre, refused: decision.refused, nextSteps: decision.nextSteps };
  } finally {
    clearInterval(heartbeat);
  }
}
