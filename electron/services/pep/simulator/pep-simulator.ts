/**
 * The PEP simulator: reads a generated script and its secrets on stdin and answers like a stamp would.
 *
 * It does not interpret PowerShell. The script's header says which operations the session performs; the
 * simulator acts them out as the generated script would report them (one JSON object per line), with the
 * documented wordings of `pep-output.md`, on a time scale where the hour of a rotation takes `simSeconds`.
 * It enforces the PEP's rules that a client could get wrong: `-ReRun` after a failure, the three parameters
 * of an external rotation, no combined internal and external rotation from 1811, one action plan at a time.
 * Secrets are compared (the PEP password, as a hash) and otherwise never echoed.
 *
 * Asked to stop, it behaves as the generated script does: on Ctrl+C (SIGINT) PowerShell stops the pipeline
 * and the script's `finally` closes the session; on the cancel line (Windows) the script ends its step, closes
 * the session and reports `cancelled`. Either way an action plan already started runs on in the state file.
 */
import { createHash, randomUUID } from 'node:crypto';
import { formatSimScenario, hasInternalSwitch, rerunCommand, type RotationKind } from '../../../../shared/rotation/rotation-run';
import type { PepMessage } from '../parser';
import type { PepScriptHeader, PepStep, SecretRole } from '../script-header';
import { CANCEL_MARKER, OP_HEADER_PREFIX, parseHeader, SECRETS_MARKER } from '../script-header';
import { SCRIPT_EXIT, stepTitle } from '../script-builder';
import type { SimConfig } from './sim-config';
import { sha256Hex } from './sim-config';
import type { PlanFamily, SimPlanState } from './sim-state';
import { readSimState, settlePlan, writeSimState } from './sim-state';
import type { SimPlanStep } from './sim-plan';
import { monitorGeneration, READINESS_CATEGORIES, simulatedPlanSteps } from './sim-plan';

/** The simulator's input and output streams. */
export interface SimIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Clock (tests). */
  now?: () => Date;
  /**
   * Ctrl+C for the simulated PowerShell. When absent and `stdin` is the process's own, the process's SIGINT
   * is used: the simulator then is the process standing in for `pwsh`.
   */
  interrupt?: AbortSignal;
}

/** What came in on stdin. */
export interface SimInput {
  script: string;
  header: PepScriptHeader | null;
  secrets: string[];
  /** Whole lines that arrived after the secrets (a cancel line can come with them). */
  after: string[];
}

/**
 * Reads stdin until the marker and every secret the header announces have arrived, or stdin ends.
 *
 * A real PowerShell host does not wait for the end of stdin either, so neither does the simulator.
 */
export function readSimInput(stdin: NodeJS.ReadableStream): Promise<SimInput> {
  return new Promise((resolve) => {
    let text = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      stdin.removeListener('data', onData);
      stdin.removeListener('end', finish);
      const lines = text.split(/\r?\n/);
      const marker = lines.indexOf(SECRETS_MARKER);
      const scriptLines = marker === -1 ? lines : lines.slice(0, marker);
      const script = scriptLines.join('\n');
      const header = parseHeader(script);
      const wanted = header?.secrets.length ?? 0;
      // The last element is an unterminated rest (or empty): not a line yet.
      const after = marker === -1 ? [] : lines.slice(marker + 1 + wanted, -1);
      resolve({ script, header, secrets: marker === -1 ? [] : lines.slice(marker + 1, marker + 1 + wanted), after });
      stdin.pause();
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      const lines = text.split(/\r?\n/);
      const marker = lines.indexOf(SECRETS_MARKER);
      if (marker === -1) return;
      const header = parseHeader(lines.slice(0, marker).join('\n'));
      // The last element is the unterminated rest; only whole lines count as secrets.
      if (header && lines.length - 1 - (marker + 1) >= header.secrets.length) finish();
    };
    stdin.on('data', onData);
    stdin.on('end', finish);
    stdin.resume();
  });
}

/** `MM/dd/yyyy HH:mm:ss` in UTC, as the ERCS VMs print times. */
function consoleTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(date.getUTCMonth() + 1)}/${p(date.getUTCDate())}/${date.getUTCFullYear()} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}`;
}

/** en-US `M/d/yyyy h:mm:ss AM` (Format-List of the action-plan instance). */
function listTime(date: Date): string {
  const h = date.getUTCHours();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** A GUID derived from text, so a simulated stamp keeps its deployment ID across runs. */
function stableGuid(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const ROTATION_FAMILY: Record<RotationKind, PlanFamily> = { external: 'rotation', internal: 'rotation', bmc: 'bmc' };

type PlanEnd = 'completed' | 'failed' | 'refused' | 'dropped' | 'crashed' | 'cancelled';

/** How the simulated PowerShell was asked to stop. */
type StopRequest = 'interrupt' | 'cancel-line';

/** The error record the generated script's `Assert-AzsRunning` throws when the cancel line arrived. */
const CANCELLED_TEXT = "Stopped at the operator's request: the PEP session is closed now. An action plan already started continues on the stamp.";

class Simulation {
  readonly #config: SimConfig;
  readonly #header: PepScriptHeader;
  readonly #secrets: Map<SecretRole, string>;
  readonly #io: SimIo;
  readonly #now: () => Date;
  readonly #total: number;
  readonly #stampKey: string;
  #ercs: string | null = null;
  #ercsIndex = 0;
  readonly #stop: AbortSignal;
  readonly #stopRequest: () => StopRequest | null;

  constructor(config: SimConfig, header: PepScriptHeader, secrets: string[], io: SimIo, stop: { signal: AbortSignal; request: () => StopRequest | null }) {
    this.#stop = stop.signal;
    this.#stopRequest = stop.request;
    this.#config = config;
    this.#header = header;
    this.#secrets = new Map(header.secrets.map((role, i) => [role, secrets[i] ?? '']));
    this.#io = io;
    this.#now = io.now ?? (() => new Date());
    this.#total = config.simSeconds * 1000;
    this.#stampKey = `${header.stamp.region}.${header.stamp.fqdn}`.toLowerCase();
  }

  get #scenario() {
    return this.#config.scenario;
  }

  get #version(): string {
    return this.#config.stampVersion ?? this.#header.stamp.version;
  }

  #send(message: PepMessage): void {
    this.#io.stdout.write(`${JSON.stringify(message)}\n`);
  }

  #raw(line: string): void {
    this.#io.stdout.write(`${line}\n`);
  }

  /** Waits a share of the simulated hour; a stop request ends the wait at once. */
  #sleep(fraction: number): Promise<void> {
    const ms = Math.round(this.#total * fraction);
    if (this.#stop.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#stop.removeEventListener('abort', done);
        resolve();
      };
      const timer = ms <= 0 ? setTimeout(done, 0) : setTimeout(done, ms);
      this.#stop.addEventListener('abort', done, { once: true });
    });
  }

  /** True once Ctrl+C stopped the pipeline: nothing of the script runs any more but its `finally`. */
  get #interrupted(): boolean {
    return this.#stopRequest() === 'interrupt';
  }

  /** True once the script would see a stop request: at its next record or between steps. */
  get #stopping(): boolean {
    return this.#stopRequest() !== null;
  }

  #verbose(text: string, step: string): void {
    this.#send({ type: 'verbose', step, text });
  }

  #error(text: string, step: string, id: string, category: string): void {
    this.#send({ type: 'error', step, text, id, category });
  }

  /** Runs the whole session; resolves with the exit code. */
  async run(): Promise<number> {
    if (this.#scenario.kind === 'garbage-output') {
      // What a PowerShell profile or a wrapper prints before the script gets a say.
      this.#raw('PowerShell 7.4.2');
      this.#raw('Loading personal and system profiles took 812ms.');
    }
    const connected = await this.#connect();
    // Stopped before the script's try/finally: PowerShell ends without another line (as pwsh does when its
    // last command did not succeed, it exits with 1).
    if (this.#interrupted) return 1;
    if (!connected) {
      this.#send({ type: 'result', status: 'connect-failed', text: 'No PEP session could be opened.' });
      return SCRIPT_EXIT.connectFailed;
    }
    let result = 'completed';
    let exit: number = SCRIPT_EXIT.completed;
    let planStatus: string | null = null;
    for (const step of this.#header.steps) {
      if (this.#stopping) break;
      const title = stepTitle(step, this.#version);
      this.#send({ type: 'progress', stage: 'step-started', step: step.op, text: title });
      const outcome = await this.#step(step);
      if (outcome === 'crashed') return 1;
      if (this.#interrupted) break;
      if (outcome.planStatus) planStatus = outcome.planStatus;
      if (this.#stopping) {
        // The cancel line: Assert-AzsRunning threw inside the step, which reports it and ends.
        this.#error(CANCELLED_TEXT, step.op, 'RuntimeException', 'OperationStopped: (:) [], RuntimeException');
        this.#send({ type: 'progress', stage: 'step-finished', step: step.op, ok: false, text: title });
        break;
      }
      this.#send({ type: 'progress', stage: 'step-finished', step: step.op, ok: outcome.ok, text: title });
      if (!outcome.ok && outcome.stop) {
        result = step.op === 'readiness' ? 'not-ready' : 'failed';
        exit = step.op === 'readiness' ? SCRIPT_EXIT.notReady : SCRIPT_EXIT.failed;
        break;
      }
    }
    // The script's finally: Remove-PSSession, whatever stopped the steps.
    this.#send({ type: 'progress', stage: 'session-closed', ercs: this.#ercs, text: `PEP session on ${this.#ercs} closed` });
    if (this.#interrupted) return 1;
    if (this.#stopping) {
      this.#send({ type: 'result', status: 'cancelled', planStatus, ercs: this.#ercs });
      return SCRIPT_EXIT.cancelled;
    }
    this.#send({ type: 'result', status: result, planStatus, ercs: this.#ercs });
    return exit;
  }

  async #connect(): Promise<boolean> {
    const pepOk = (() => {
      if (this.#scenario.kind === 'wrong-credential') return false;
      const given = this.#secrets.get('pep') ?? '';
      if (!given) return false;
      return this.#config.pepPasswordSha256 === null || sha256Hex(given) === this.#config.pepPasswordSha256;
    })();
    for (const [i, ip] of this.#header.ercs.entries()) {
      this.#send({ type: 'progress', stage: 'session-connecting', ercs: ip, text: `Opening a PEP session to ${ip}` });
      if (i === 0 && this.#scenario.kind === 'ercs01-unreachable') {
        // WinRM gives up on an unreachable host only after its connection timeout.
        await this.#sleep(0.03);
        if (this.#interrupted) return false;
        this.#send({
          type: 'progress',
          stage: 'session-failed',
          ercs: ip,
          id: 'WinRMOperationTimeout,PSSessionOpenFailed',
          text: `[${ip}] Connecting to remote server ${ip} failed with the following error message : WinRM cannot complete the operation. Verify that the specified computer name is valid, that the computer is accessible over the network, and that a firewall exception for the WinRM service is enabled and allows access from this computer. By default, the WinRM firewall exception for public profiles limits access to remote computers within the same local subnet. For more information, see the about_Remote_Troubleshooting Help topic.`,
        });
        continue;
      }
      await this.#sleep(0.01);
      if (this.#interrupted) return false;
      if (!pepOk) {
        this.#send({
          type: 'progress',
          stage: 'session-failed',
          ercs: ip,
          id: 'AccessDenied,PSSessionOpenFailed',
          text: `New-PSSession : [${ip}] Connecting to remote server ${ip} failed with the following error message : Access is denied. For more information, see the about_Remote_Troubleshooting Help topic.`,
        });
        // The generated script stops here too: every ERCS would refuse the same password.
        return false;
      }
      this.#ercs = ip;
      this.#ercsIndex = i;
      this.#send({ type: 'progress', stage: 'session-opened', ercs: ip, text: `PEP session opened on ${ip}` });
      return true;
    }
    return false;
  }

  async #step(step: PepStep): Promise<{ ok: boolean; stop: boolean; planStatus?: string | null } | 'crashed'> {
    switch (step.op) {
      case 'stamp-information':
        await this.#sleep(0.02);
        if (this.#interrupted) return { ok: false, stop: true };
        this.#send({ type: 'result', step: step.op, data: this.#stampInformation() });
        return { ok: true, stop: false };
      case 'readiness':
        await this.#testAzureStack(step.op, READINESS_CATEGORIES, 0.08);
        if (this.#stopping) return { ok: false, stop: true };
        this.#send({ type: 'output', step: step.op, text: 'True', value: true });
        return { ok: true, stop: true };
      case 'external-certificates-check':
        await this.#testAzureStack(step.op, [{ category: 'AzsExternalCertificates', summaries: ['Azure Stack External Certificates Summary'] }], 0.05);
        if (this.#stopping) return { ok: false, stop: true };
        this.#send({
          type: 'output',
          step: step.op,
          // INVENTED: the shape of -DetailedResults is not public (pep-output.md §3.3).
          text: 'TestName    : AzsExternalCertificates\nResult      : PASS\nDescription : Every external endpoint serves its new certificate.',
        });
        return { ok: true, stop: false };
      case 'start-secret-rotation': {
        const kind: RotationKind = step.external ? 'external' : 'internal';
        const end = await this.#plan(kind, step);
        return this.#planOutcome(end);
      }
      case 'set-bmc-credential': {
        if (!this.#secrets.get('bmc')) {
          this.#error("Set-BmcCredential : Cannot bind argument to parameter 'BmcPassword' because it is null.", step.op, 'ParameterArgumentValidationErrorNullNotAllowed,Set-BmcCredential', 'InvalidData: (:) [Set-BmcCredential], ParameterBindingValidationException');
          return { ok: false, stop: true };
        }
        const end = await this.#plan('bmc', step);
        return this.#planOutcome(end);
      }
    }
  }

  #planOutcome(end: PlanEnd): { ok: boolean; stop: boolean; planStatus: string | null } | 'crashed' {
    if (end === 'crashed') return 'crashed';
    if (end === 'cancelled') return { ok: false, stop: true, planStatus: null };
    if (end === 'completed') return { ok: true, stop: false, planStatus: monitorGeneration(this.#version) === 'overall' ? 'Success' : 'Completed' };
    return { ok: false, stop: true, planStatus: end === 'failed' ? 'Failed' : null };
  }

  #stampInformation(): Record<string, unknown> {
    const s = this.#header.stamp;
    const now = this.#now();
    const v = Number(this.#version);
    return {
      StampVersion: `1.${this.#version}.0.${(v % 97) + 10}`,
      RegionName: s.region,
      ExternalDomainFQDN: `${s.region}.${s.fqdn}`,
      DomainFQDN: `${s.region}.azurestack.local`,
      DeploymentID: stableGuid(`deployment:${this.#stampKey}`),
      CloudID: stableGuid(`cloud:${this.#stampKey}`),
      EmergencyConsoleIPAddresses: this.#header.ercs,
      RootCACertificates:
        v >= 2108
          ? [{ subject: `CN=AzureStackCertificationAuthority, DC=${s.region}, DC=azurestack, DC=local`, thumbprint: stableGuid(`root:${this.#stampKey}`).replace(/-/g, '').toUpperCase().slice(0, 40), notAfter: new Date(now.getTime() + 3 * 365 * 86_400_000).toISOString() }]
          : [],
    };
  }

  async #testAzureStack(step: string, categories: readonly { category: string; summaries: readonly string[] }[], fraction: number): Promise<void> {
    const info = (text: string) => this.#send({ type: 'information', step, text });
    info(`${consoleTime(this.#now())} : Starting Test-AzureStack`);
    for (const c of categories) {
      info(`${consoleTime(this.#now())} : Launching ${c.category}`);
      await this.#sleep(fraction / categories.length);
      if (this.#stopping) return;
      info(`${consoleTime(this.#now())} : ${c.category} complete`);
    }
    info('-----------------------------------------------------------------------');
    info('                 Azure Stack Validation Summary');
    info('-----------------------------------------------------------------------');
    for (const c of categories) for (const s of c.summaries) info(`PASS ${s}`);
  }

  /** Checks the PEP's rules for a new plan; returns the refusal's error text, or null. */
  #refusal(kind: RotationKind, step: PepStep, last: SimPlanState | undefined): { text: string; id: string; category: string } | null {
    if (last?.status === 'running') {
      return {
        text: `Exception calling "GetResult" with "0" argument(s): "Cannot invoke action plan because another action is in progress: ${last.instanceId}"`,
        id: 'AggregateException',
        category: 'NotSpecified: (:) [], MethodInvocationException',
      };
    }
    if (step.op !== 'start-secret-rotation') return null;
    if (step.external && step.internal && hasInternalSwitch(this.#version)) {
      // INVENTED wording: the PEP's message for this combination is not public.
      return {
        text: 'Start-SecretRotation : -Internal cannot be combined with -PfxFilesPath from version 1811: rotate internal secrets and external certificates in separate runs.',
        id: 'InvalidParameterCombination,Start-SecretRotation',
        category: 'InvalidArgument: (:) [Start-SecretRotation], ParameterBindingException',
      };
    }
    if (last?.status === 'failed' && !step.rerun) {
      // INVENTED wording; the rule itself is documented (rerun with -ReRun after a failure).
      return {
        // Only an external rotation reads the share again: the advice to restore it is for that kind alone.
        text: `Start-SecretRotation : The previous secret rotation (action plan ${last.instanceId}) failed. ${last.kind === 'external' ? 'Restore the certificates from the backup into the share and run' : 'Run'} ${rerunCommand(last.kind === 'external' ? 'external' : 'internal', this.#version)}.`,
        id: 'ReRunRequired,Start-SecretRotation',
        category: 'InvalidOperation: (:) [Start-SecretRotation], InvalidOperationException',
      };
    }
    if (last?.status === 'failed' && step.rerun && last.kind !== kind) {
      return {
        text: `Start-SecretRotation : The failed secret rotation was the ${last.kind} rotation; rerun it with Start-SecretRotation${last.kind === 'internal' && hasInternalSwitch(this.#version) ? ' -Internal' : ''} -ReRun.`,
        id: 'ReRunMismatch,Start-SecretRotation',
        category: 'InvalidOperation: (:) [Start-SecretRotation], InvalidOperationException',
      };
    }
    if (step.external && !step.rerun) {
      const missing = [
        step.pfxFilesPath ? null : '-PfxFilesPath',
        this.#secrets.get('share') && step.shareUser ? null : '-PathAccessCredential',
        this.#secrets.get('certificate') ? null : '-CertificatePassword',
      ].filter((p): p is string => p !== null);
      if (missing.length > 0) {
        return {
          text: `Start-SecretRotation : External certificate rotation needs -PfxFilesPath, -PathAccessCredential and -CertificatePassword; missing: ${missing.join(', ')}.`,
          id: 'MissingExternalParameters,Start-SecretRotation',
          category: 'InvalidArgument: (:) [Start-SecretRotation], ParameterBindingException',
        };
      }
      if (!/\\Certificates$/i.test(step.pfxFilesPath!)) {
        // The documented (and misleading) error when the share lacks the Certificates\<identity> tree.
        return {
          text: "Cannot bind argument to parameter 'Path' because it is null.\n    + CategoryInfo          : InvalidData: (:) [Test-Certificate], ParameterBindingValidationException\n    + FullyQualifiedErrorId : ParameterArgumentValidationErrorNullNotAllowed,Test-Certificate\n    + PSComputerName        : " +
            (this.#ercs ?? ''),
          id: 'ParameterArgumentValidationErrorNullNotAllowed,Test-Certificate',
          category: 'InvalidData: (:) [Test-Certificate], ParameterBindingValidationException',
        };
      }
    }
    return null;
  }

  async #plan(kind: RotationKind, step: PepStep): Promise<PlanEnd> {
    const name = step.op;
    const family = ROTATION_FAMILY[kind];
    const state = readSimState(this.#config.stateDir);
    const stamp = (state.stamps[this.#stampKey] ??= {});
    const last = settlePlan(stamp[family], this.#now());
    if (last) stamp[family] = last;
    // The ECE engine runs one action plan at a time, whatever its family.
    const busy = Object.values(stamp).map((p) => settlePlan(p, this.#now())).find((p) => p?.status === 'running');
    const refusal = this.#refusal(kind, step, busy ?? last);
    if (refusal) {
      if (/another action/.test(refusal.text)) this.#verbose('Error in ECEClient.', name);
      this.#error(refusal.text, name, refusal.id, refusal.category);
      writeSimState(this.#config.stateDir, state);
      return 'refused';
    }

    const generation = monitorGeneration(this.#version);
    const steps = simulatedPlanSteps(kind, this.#version);
    const resume = step.op === 'start-secret-rotation' && step.rerun && last?.status === 'failed' && last.kind === kind;
    if (step.op === 'start-secret-rotation' && step.rerun && !resume) {
      this.#send({ type: 'warning', step: name, text: 'No failed secret rotation to rerun; starting a new one.' });
    }
    const instanceId = resume ? last!.instanceId : randomUUID();
    const from = resume ? (last!.failedStep ?? 1) : 1;
    const failAt = this.#scenario.kind === 'fail-at-step' && this.#scenario.step >= from && this.#scenario.step <= steps.length ? this.#scenario.step : null;
    const dropAt = this.#scenario.kind === 'session-drop' ? Math.max(from, Math.ceil(steps.length / 2)) : null;
    const crashAt = this.#scenario.kind === 'exit-nonzero' ? Math.min(steps.length, from + 1) : null;
    const planShare = kind === 'bmc' ? 0.9 : 0.8;
    const perStep = planShare / steps.length;
    const start = this.#now();
    const remaining = (steps.length - from + 1) * perStep * this.#total;
    stamp[family] = {
      instanceId,
      kind,
      status: 'running',
      eventualStatus: failAt === null ? 'completed' : 'failed',
      failedStep: failAt,
      startedAt: start.toISOString(),
      expectedEndAt: new Date(start.getTime() + remaining).toISOString(),
    };
    writeSimState(this.#config.stateDir, state);

    const cmdlet = kind === 'bmc' ? 'Set-BmcCredential' : 'Start-SecretRotation';
    if (generation !== 'overall') {
      this.#verbose(`${cmdlet} : BEGIN on AZS-ERCS0${this.#ercsIndex + 1} as AZURESTACK\\AzS-PEP-SA$`, name);
    }
    if (generation === 'finished') {
      const params: Record<string, string> =
        step.op === 'start-secret-rotation'
          ? {
              ...(step.external && !step.rerun ? { PfxFilesPath: step.pfxFilesPath ?? '', PathAccessCredential: 'System.Management.Automation.PSCredential', CertificatePassword: 'System.Security.SecureString' } : {}),
              ...(step.internal && hasInternalSwitch(this.#version) ? { Internal: 'True' } : {}),
              ...(step.rerun ? { ReRun: 'True' } : {}),
              InterfaceType: 'SecretRotation',
            }
          : { BmcPassword: 'System.Security.SecureString', ...(step.op === 'set-bmc-credential' && step.bmcUser ? { BmcUser: step.bmcUser } : {}), InterfaceType: 'BmcCredential' };
      const body = Object.entries(params).map(([k, v]) => `    ${JSON.stringify(k)}:  ${JSON.stringify(v)}`).join(',\n');
      this.#verbose(`Input parameters: {\n${body}\n}`, name);
    }
    this.#verbose('Create Client for execution of action plan', name);
    this.#verbose('Start action plan', name);
    this.#verbose(`Action plan instance ID specified: ${instanceId}\n`, name);
    this.#verbose(`StartTime: ${consoleTime(start)}`, name);
    this.#verbose(`Timeout estimate: ${consoleTime(new Date(start.getTime() + Math.max(remaining, 60_000)))} .`, name);

    for (let n = from; n <= steps.length; n += 1) {
      const s = steps[n - 1]!;
      await this.#sleep(perStep / 2);
      // Asked to stop: the client stops monitoring; the plan runs on (its state file entry stays `running`).
      if (this.#stopping) return 'cancelled';
      // The monitor prints its poll as one multi-line verbose record (pep-output.md §2.2, the quirk).
      this.#verbose(`\nOverall action status: 'Running'\nStep '${s.name}' status: 'InProgress'\n`, name);
      if (this.#scenario.kind === 'garbage-output' && n === Math.min(steps.length, from + 1)) this.#garbage();
      if (n === crashAt) {
        this.#io.stderr.write('Fatal error. System.Management.Automation.Remoting.PSRemotingDataStructureException: An error has occurred which PowerShell cannot handle. A remote session might have ended.\n');
        return 'crashed';
      }
      if (n === dropAt) {
        await this.#sessionDrop(name);
        return 'dropped';
      }
      await this.#sleep(perStep / 2);
      if (this.#stopping) return 'cancelled';
      if (n === failAt) {
        this.#failPlan(kind, name, instanceId, s, start, generation, stamp[family]!);
        writeSimState(this.#config.stateDir, state);
        return 'failed';
      }
    }
    stamp[family] = { ...stamp[family]!, status: 'completed', failedStep: null, expectedEndAt: this.#now().toISOString() };
    writeSimState(this.#config.stateDir, state);
    if (generation === 'finished') {
      this.#verbose(`ActionPlanInstanceID: '${instanceId}' CurrentStatus: 'Completed'`, name);
      this.#verbose("Action plan finished with status: 'Completed'", name);
    } else if (generation === 'done') {
      this.#verbose(`ActionPlanInstanceID: ${instanceId} CurrentStatus: Completed`, name);
      this.#verbose('DONE', name);
    } else {
      this.#verbose('Overall action status: Success', name);
      this.#verbose('DONE', name);
    }
    this.#instanceList(instanceId, 'Completed', start, steps, kind);
    return 'completed';
  }

  #failPlan(kind: RotationKind, name: string, instanceId: string, s: SimPlanStep, start: Date, generation: ReturnType<typeof monitorGeneration>, plan: SimPlanState): void {
    this.#verbose(`Step '${s.name}' status: 'Error'`, name);
    const role = s.rolePath.split('\\').pop();
    this.#error(
      `Action plan failed at step ${s.index} '${s.name}'.\nTask: Invocation of interface 'Rotate' of role '${s.rolePath}' failed:\n\nType 'Rotate' of Role '${role}' raised an exception:\n\nThe operation failed (simulated fault ${formatSimScenario(this.#scenario)}).\nat Invoke-SecretRotationStep, C:\\Program Files\\WindowsPowerShell\\Modules\\SecretRotation\\SecretRotation.psm1: line 412`,
      name,
      'ActionPlanFailed',
      'OperationStopped: (:) [], Exception',
    );
    plan.status = 'failed';
    plan.expectedEndAt = this.#now().toISOString();
    if (generation === 'finished') {
      this.#verbose(`ActionPlanInstanceID: '${instanceId}' CurrentStatus: 'Failed'`, name);
      this.#verbose("Action plan finished with status: 'Failed'", name);
    } else if (generation === 'done') {
      this.#verbose(`ActionPlanInstanceID: ${instanceId} CurrentStatus: Failed`, name);
    } else {
      this.#verbose("Overall action status: 'Failed'", name);
    }
    this.#instanceList(instanceId, 'Failed', start, simulatedPlanSteps(kind, this.#version), kind);
  }

  async #sessionDrop(step: string): Promise<void> {
    const ip = this.#ercs ?? '';
    this.#send({ type: 'warning', step, text: `The network connection to ${ip} has been interrupted. Attempting to reconnect for up to 4 minutes...` });
    await this.#sleep(0.01);
    this.#send({ type: 'warning', step, text: `Attempting to reconnect to ${ip} ...` });
    await this.#sleep(0.01);
    this.#send({ type: 'warning', step, text: `The reconnection attempt to ${ip} failed. Attempting to disconnect the session...` });
    this.#error(
      `[${ip}] Processing data from remote server ${ip} failed with the following error message: The I/O operation has been aborted because of either a thread exit or an application request. For more information, see the about_Remote_Troubleshooting Help topic.`,
      step,
      'WinRMOperationAborted,PSSessionStateBroken',
      'OpenError: (:) [], PSRemotingTransportException',
    );
  }

  #garbage(): void {
    this.#raw('{"type":"output","text":"Overall action sta');
    this.#raw('\u001b[32;1mPS C:\\Users\\operator>\u001b[0m');
    this.#raw('{"kind":"telemetry","session":42}');
    this.#raw('\uFFFD\uFFFD\u0001 binary noise');
    this.#raw('}');
  }

  #instanceList(instanceId: string, status: 'Completed' | 'Failed', start: Date, steps: SimPlanStep[], kind: RotationKind): void {
    const end = this.#now();
    const iso = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
    const xml = `<Action Type="${kind === 'bmc' ? 'SetBmcCredential' : 'SecretRotation'}" EceErrorAction="Stop" StartTimeUtc="${iso(start)}" Status="${status === 'Completed' ? 'Success' : 'Error'}" EndTimeUtc="${iso(end)}"><Steps>${steps
      .map((s) => `<Step FullStepIndex="${s.index}" Index="${s.index.split('.').pop()}" Name="${s.name}" Description="${s.name}" />`)
      .join('')}</Steps></Action>`;
    const name = kind === 'bmc' ? 'set-bmc-credential' : 'start-secret-rotation';
    this.#send({ type: 'output', step: name, text: `\nGuid\n----\n${instanceId}\n` });
    this.#send({
      type: 'output',
      step: name,
      text: [
        '',
        `InstanceID                 : ${instanceId}`,
        'ActionPlanName             :',
        `ActionTypeName             : ${kind === 'bmc' ? 'SetBmcCredential' : 'RotateSecrets'}`,
        'RolePath                   : Cloud',
        `ProgressAsXml              : ${xml}`,
        `Status                     : ${status}`,
        `StartDateTime              : ${listTime(start)}`,
        `EndDateTime                : ${listTime(end)}`,
        `LastModifiedDateTime       : ${listTime(end)}`,
        'StartIndex                 :',
        'EndIndex                   :',
        'Skip                       : {}',
        'Retries                    : 0',
        'ParentActionPlanInstanceID : 00000000-0000-0000-0000-000000000000',
        'LockType                   : NoLock',
        'RuntimeParameters          : {}',
        'RemediationInstance        :',
        'OnCompleteInstance         :',
        'InstanceType               : None',
        'AdditionalInformation      :',
        `CorrelationRequestId       : ${randomUUID()}`,
        '',
      ].join('\n'),
    });
  }
}

/**
 * Runs the simulator over its streams and resolves with the process exit code.
 *
 * A script without the builder's header is answered with an error, as the simulator cannot act out
 * arbitrary PowerShell.
 */
export async function runPepSimulator(config: SimConfig, io: SimIo): Promise<number> {
  const input = await readSimInput(io.stdin);
  const send = (m: PepMessage) => io.stdout.write(`${JSON.stringify(m)}\n`);
  if (!input.header) {
    send({ type: 'error', text: `pep-sim: the script has no "${OP_HEADER_PREFIX.trim()}" header line; the simulator acts out scripts generated by Rotation Workbench only.`, id: 'NoOperationHeader' });
    send({ type: 'result', status: 'input-error', text: 'No operation header.' });
    return SCRIPT_EXIT.inputError;
  }
  if (input.secrets.length < input.header.secrets.length) {
    send({ type: 'result', status: 'input-error', text: 'stdin ended before every secret was read.' });
    return SCRIPT_EXIT.inputError;
  }
  const stop = new AbortController();
  let request: StopRequest | null = null;
  const ask = (how: StopRequest) => {
    request ??= how;
    stop.abort();
  };
  const onInterrupt = () => ask('interrupt');
  const ownProcess = !io.interrupt && io.stdin === process.stdin;
  if (io.interrupt?.aborted) onInterrupt();
  io.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  if (ownProcess) process.on('SIGINT', onInterrupt);
  // The cancel line (Windows): stdin stays open after the secrets, and this line asks the script to stop.
  let rest = '';
  const onLine = (line: string) => {
    if (line.replace(/\r$/, '') === CANCEL_MARKER) ask('cancel-line');
  };
  input.after.forEach(onLine);
  const onData = (chunk: Buffer | string) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    lines.forEach(onLine);
  };
  io.stdin.on('data', onData);
  io.stdin.resume();
  try {
    return await new Simulation(config, input.header, input.secrets, io, { signal: stop.signal, request: () => request }).run();
  } finally {
    io.interrupt?.removeEventListener('abort', onInterrupt);
    if (ownProcess) process.removeListener('SIGINT', onInterrupt);
    io.stdin.removeListener('data', onData);
    // A stdin left open (Windows framing) must not keep the simulator alive once the session is over.
    io.stdin.pause();
  }
}
