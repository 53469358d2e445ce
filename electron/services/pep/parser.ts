/**
 * Turns what the PEP session printed into typed run events, keeping anything unknown verbatim.
 *
 * Input is the JSON-line messages of the generated script (or of the simulator); their text is read line
 * by line with an optional `VERBOSE: `/`WARNING: ` prefix, because the action-plan monitor prints its status
 * inside multi-line verbose records and transcripts show the same lines with and without the prefix
 * (`pep-output.md` §2.2 and §6). The parser also keeps the facts the run's outcome is decided on: the ERCS
 * the session opened on, the action-plan instance, its final status, readiness, and whether the session broke.
 */
import type { EventLevel, NewRunEvent } from '../../../shared/rotation/rotation-run';
import type { PepStepName } from './script-header';

/** The stream types the script writes, one JSON object per line. */
export const MESSAGE_TYPES = ['output', 'progress', 'error', 'warning', 'verbose', 'information', 'result'] as const;

/** One JSON-line message of the generated script. */
export interface PepMessage {
  type: (typeof MESSAGE_TYPES)[number];
  text?: string;
  /** The script step the record belongs to. */
  step?: string;
  /** For `progress`: `session-connecting`, `session-opened`, `session-failed`, `session-closed`, `step-started`, `step-finished`. */
  stage?: string;
  ercs?: string | null;
  ok?: boolean;
  /** For `output`: the value of a `[bool]` record (Test-AzureStack's return). */
  value?: unknown;
  /** For `error`: the error's FullyQualifiedErrorId and category. */
  id?: string;
  category?: string;
  /** For `result`: the script's verdict (`completed`, `failed`, `not-ready`, `connect-failed`, `input-error`). */
  status?: string;
  planStatus?: string | null;
  data?: unknown;
}

/** What the transport hands the parser: a message, a line that was not one, or a stderr line. */
export type TransportItem = { kind: 'message'; message: PepMessage } | { kind: 'garbage'; text: string } | { kind: 'stderr'; text: string };

/** Why an ERCS refused a session, from the wording of the error (`pep-output.md` §5). */
export type ConnectFailure = 'access-denied' | 'unreachable' | 'trusted-hosts' | 'no-pep-configuration' | 'other';

/** A step of the action plan as last reported. */
export interface PlanStep {
  name: string;
  status: string;
}

/** Stamp facts from `Get-AzureStackStampInformation`. */
export interface StampInformation {
  stampVersion: string | null;
  regionName: string | null;
  externalDomainFqdn: string | null;
  emergencyConsoleIpAddresses: string[];
  rootCaCertificates: { subject: string; notAfter: string | null }[];
}

/** Everything the parser learnt so far; the run's outcome is decided on these. */
export interface ParsedFacts {
  /** The ERCS the session opened on. */
  ercs: string | null;
  connectFailures: { ercs: string; reason: string; cause: ConnectFailure }[];
  actionPlanInstanceId: string | null;
  /** Last `Overall action status`. */
  overallStatus: string | null;
  /** The final status (`Completed`, `Failed`, old builds `Success`), from whichever final line came first. */
  finalStatus: string | null;
  steps: PlanStep[];
  /** Test-AzureStack's return in the readiness step; null until seen. */
  ready: boolean | null;
  /** PASS/WARN/FAIL counts of each Test-AzureStack step. */
  tests: Record<string, { pass: number; warn: number; fail: number }>;
  stepsStarted: string[];
  stepsFinished: Record<string, boolean>;
  /** The script's `result` message. */
  result: { status: string; text: string | null } | null;
  /** The PEP session broke (network interruption, WinRM abort). */
  sessionBroken: boolean;
  stampInformation: StampInformation | null;
  errors: number;
  /** The most recent error record's text (first line), for the outcome message. */
  lastError: string | null;
  garbageLines: number;
  /** The concurrency refusal: another action plan is running on the stamp. */
  anotherActionInProgress: string | null;
}

/** Statuses that end an action plan. */
const FINAL_STATUSES = new Set(['completed', 'failed', 'success', 'error', 'canceled', 'cancelled']);

/** True when a final status means the plan succeeded. */
export function isSuccessStatus(status: string | null): boolean {
  return status !== null && /^(completed|success)$/i.test(status);
}

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const STREAM_PREFIX = /^(VERBOSE|WARNING|DEBUG|INFO):\s?/;

const LEVEL_OF: Record<PepMessage['type'], EventLevel> = {
  output: 'info',
  progress: 'info',
  error: 'error',
  warning: 'warning',
  verbose: 'verbose',
  information: 'info',
  result: 'info',
};

/**
 * Classifies a `New-PSSession` error by its error id, else by its (English) wording.
 *
 * The id (`AccessDenied,PSSessionOpenFailed`, `WinRMOperationTimeout,…`) does not depend on the client's
 * language; the wording is the fallback for records without one.
 */
export function connectFailureCause(reason: string, id: string | null = null): ConnectFailure {
  if (id && /^AccessDenied,/i.test(id)) return 'access-denied';
  if (id && /^InvalidResourceUri,/i.test(id)) return 'no-pep-configuration';
  if (id && /^WinRMOperationTimeout,/i.test(id)) return 'unreachable';
  if (/Access is denied/i.test(reason)) return 'access-denied';
  if (/TrustedHosts/i.test(reason)) return 'trusted-hosts';
  if (/Cannot find the PrivilegedEndpoint session configuration/i.test(reason)) return 'no-pep-configuration';
  if (/WinRM cannot complete the operation|computer is accessible over the network|timed out|unreachable/i.test(reason)) return 'unreachable';
  return 'other';
}

/** What the operator can do about a known error wording; null for unknown errors. */
export function hintFor(text: string): string | null {
  if (/Cannot bind argument to parameter 'Path' because it is null/i.test(text)) {
    return 'The share lacks the Certificates\\<AAD|ADFS>\\<endpoint> folder tree the PEP expects (despite the wording, this is not a share-access problem): validate the share and fix the tree, restore the certificates, then rerun.';
  }
  if (/another action is in progress/i.test(text)) {
    return 'Another action plan is running on the stamp. Wait for it to finish (Get-ActionStatus in the PEP), then start again.';
  }
  if (/Invocation of interface '.+' of role '.+' failed/i.test(text)) {
    // The parser does not know the procedure: only an external rotation reads the share again and needs a restore.
    return 'An infrastructure task of the action plan failed. Follow the error, then rerun: external certificates with -ReRun after restoring them from the backup into the share, internal secrets with -Internal -ReRun (no restore). Contact support if it fails again.';
  }
  if (/ScriptsNotAllowed|not supported by this runspace/i.test(text)) {
    return 'The PEP refused a script construct: it accepts its own cmdlets only. Report this to the Rotation Workbench maintainers.';
  }
  if (/Access is denied/i.test(text)) return 'Check the PEP user (DOMAIN\\CloudAdmin) and its password; the account locks after repeated failures.';
  if (/TrustedHosts/i.test(text)) return 'Add the ERCS addresses to WinRM TrustedHosts on this jump host (Set-Item WSMan:\\localhost\\Client\\TrustedHosts).';
  return null;
}

function emptyFacts(): ParsedFacts {
  return {
    ercs: null,
    connectFailures: [],
    actionPlanInstanceId: null,
    overallStatus: null,
    finalStatus: null,
    steps: [],
    ready: null,
    tests: {},
    stepsStarted: [],
    stepsFinished: {},
    result: null,
    sessionBroken: false,
    stampInformation: null,
    errors: 0,
    lastError: null,
    garbageLines: 0,
    anotherActionInProgress: null,
  };
}

function asString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** Reads `Get-AzureStackStampInformation` properties (from the script's JSON or a Format-List) into facts. */
export function toStampInformation(data: Record<string, unknown>): StampInformation {
  const ips = data.EmergencyConsoleIPAddresses;
  const roots = data.RootCACertificates;
  return {
    stampVersion: asString(data.StampVersion),
    regionName: asString(data.RegionName),
    externalDomainFqdn: asString(data.ExternalDomainFQDN),
    emergencyConsoleIpAddresses: Array.isArray(ips) ? ips.filter((x): x is string => typeof x === 'string') : typeof ips === 'string' ? ips.replace(/[{}]/g, '').split(/[,\s]+/).filter(Boolean) : [],
    rootCaCertificates: Array.isArray(roots)
      ? roots
          .filter((r): r is Record<string, unknown> => !!r && typeof r === 'object')
          .map((r) => ({ subject: asString(r.subject ?? r.Subject) ?? '', notAfter: asString(r.notAfter ?? r.NotAfter) }))
      : [],
  };
}

/** `1.2108.2.65` → `2108`; null when the version has another shape. */
export function yymmOfStampVersion(stampVersion: string | null): string | null {
  const m = stampVersion ? /^1\.(\d{4})\./.exec(stampVersion) : null;
  return m ? m[1]! : null;
}

function describeStamp(info: StampInformation): string {
  const parts = [
    info.stampVersion ? `version ${info.stampVersion}` : null,
    info.regionName ? `region ${info.regionName}` : null,
    info.externalDomainFqdn ? `external domain ${info.externalDomainFqdn}` : null,
    info.emergencyConsoleIpAddresses.length > 0 ? `ERCS ${info.emergencyConsoleIpAddresses.join(', ')}` : null,
    ...info.rootCaCertificates.filter((r) => r.notAfter).map((r) => `root CA ${r.subject || '(unnamed)'} expires ${r.notAfter!.slice(0, 10)}`),
  ].filter((p): p is string => p !== null);
  return `Stamp information: ${parts.join('; ') || 'no properties returned'}.`;
}

/**
 * A stateful parser for one run's output.
 *
 * Feed items in arrival order; each call returns the events to store for that item (possibly none for
 * blank lines, possibly several for a multi-line record). `facts` reflects everything fed so far.
 */
export class PepOutputParser {
  readonly facts: ParsedFacts = emptyFacts();
  /** Inside the Format-List of the action-plan instance (after `InstanceID :`). */
  #inInstanceList = false;
  /** The readiness command as the script announced it (it differs before 1811). */
  #readinessTitle = 'Test-AzureStack -Group SecretRotationReadiness';
  /** Format-List properties of stamp information printed as text. */
  #stampList: Record<string, unknown> = {};

  /** Parses one transport item into events. */
  feed(item: TransportItem): NewRunEvent[] {
    if (item.kind === 'garbage') {
      this.facts.garbageLines += 1;
      return [{ level: 'warning', type: 'transport.garbage', text: item.text, data: null }];
    }
    if (item.kind === 'stderr') return [{ level: 'error', type: 'transport.stderr', text: item.text, data: null }];
    return this.#message(item.message);
  }

  #message(m: PepMessage): NewRunEvent[] {
    const step = m.step ?? null;
    switch (m.type) {
      case 'progress':
        return this.#progress(m);
      case 'result':
        return this.#result(m);
      case 'error': {
        this.facts.errors += 1;
        const text = m.text ?? '';
        this.facts.lastError = text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? text;
        if (/PSSessionStateBroken|WinRMOperationAborted/i.test(`${m.id ?? ''} ${text}`)) this.facts.sessionBroken = true;
        const busy = new RegExp(`another action is in progress:?\\s*(${GUID})?`, 'i').exec(text);
        if (busy) this.facts.anotherActionInProgress = busy[1] ?? 'unknown';
        const hint = hintFor(text);
        const data: Record<string, unknown> = { step, id: m.id ?? null, category: m.category ?? null };
        if (hint) data.hint = hint;
        // Error records keep their text whole; their action-plan lines still count for the outcome.
        for (const line of text.split(/\r?\n/)) this.#line(line, 'error', step);
        return [{ level: 'error', type: 'ps.error', text, data }];
      }
      case 'output':
        if (typeof m.value === 'boolean') return this.#boolean(m.value, step, m.text ?? String(m.value));
        return this.#lines(m.text ?? '', m.type, step);
      default:
        return this.#lines(m.text ?? '', m.type, step);
    }
  }

  #progress(m: PepMessage): NewRunEvent[] {
    const ercs = m.ercs ?? null;
    const text = m.text ?? '';
    switch (m.stage) {
      case 'session-connecting':
        return [{ level: 'info', type: 'session.connecting', text: text || `Opening a PEP session to ${ercs}`, data: { ercs } }];
      case 'session-opened':
        this.facts.ercs = ercs;
        return [{ level: 'info', type: 'session.opened', text: text || `PEP session opened on ${ercs}`, data: { ercs } }];
      case 'session-failed': {
        const cause = connectFailureCause(text, typeof m.id === 'string' ? m.id : null);
        this.facts.connectFailures.push({ ercs: ercs ?? '', reason: text, cause });
        const hint = hintFor(text);
        return [{ level: 'warning', type: 'session.failed', text: `ERCS ${ercs}: ${text}`, data: { ercs, cause, ...(hint ? { hint } : {}) } }];
      }
      case 'session-closed':
        return [{ level: 'info', type: 'session.closed', text: text || `PEP session on ${ercs} closed`, data: { ercs } }];
      case 'step-started':
        if (m.step) this.facts.stepsStarted.push(m.step);
        if (m.step === 'readiness' && text) this.#readinessTitle = text;
        return [{ level: 'info', type: 'step.started', text, data: { step: m.step ?? null } }];
      case 'step-finished':
        if (m.step) this.facts.stepsFinished[m.step] = m.ok === true;
        return [{ level: m.ok === false ? 'warning' : 'info', type: 'step.finished', text: `${text}: ${m.ok === false ? 'did not succeed' : 'done'}`, data: { step: m.step ?? null, ok: m.ok ?? null } }];
      default:
        return text ? [{ level: 'info', type: 'log', text, data: { stream: 'progress', stage: m.stage ?? null } }] : [];
    }
  }

  #result(m: PepMessage): NewRunEvent[] {
    if (m.step === 'stamp-information' && m.data && typeof m.data === 'object') {
      const info = toStampInformation(m.data as Record<string, unknown>);
      this.facts.stampInformation = info;
      return [{ level: 'info', type: 'stamp.info', text: describeStamp(info), data: { ...info } }];
    }
    if (m.step) return m.text ? [{ level: 'info', type: 'log', text: m.text, data: { stream: 'result', step: m.step } }] : [];
    this.facts.result = { status: m.status ?? 'unknown', text: m.text ?? null };
    return [{ level: 'debug', type: 'pep.result', text: `Script finished: ${m.status ?? 'unknown'}${m.text ? ` (${m.text})` : ''}.`, data: { status: m.status ?? null, planStatus: m.planStatus ?? null } }];
  }

  #boolean(value: boolean, step: string | null, text: string): NewRunEvent[] {
    if (step === 'readiness') this.facts.ready = value;
    const name = step === 'readiness' ? this.#readinessTitle : 'Test-AzureStack';
    return [{ level: value ? 'info' : 'error', type: 'test.summary', text: `${name} returned ${text}.`, data: { step, value } }];
  }

  #lines(text: string, stream: PepMessage['type'], step: string | null): NewRunEvent[] {
    return text.split(/\r?\n/).flatMap((line) => this.#line(line, stream, step));
  }

  /** One console line: a known pattern becomes a typed event, anything else a `log` event kept verbatim. */
  #line(raw: string, stream: PepMessage['type'], step: string | null): NewRunEvent[] {
    const prefix = STREAM_PREFIX.exec(raw);
    const effective: PepMessage['type'] = prefix?.[1] === 'WARNING' ? 'warning' : prefix?.[1] === 'VERBOSE' ? 'verbose' : stream;
    const line = (prefix ? raw.slice(prefix[0].length) : raw).trimEnd();
    // The monitor surrounds every poll with empty records; they carry nothing, except that a blank line
    // ends a Format-List block.
    if (line.trim() === '') {
      this.#inInstanceList = false;
      return [];
    }
    const base = LEVEL_OF[effective];
    const event = (level: EventLevel, type: string, data: Record<string, unknown> | null = null): NewRunEvent[] => [{ level, type, text: line, data: { step, ...data } }];
    const f = this.facts;
    let m: RegExpExecArray | null;

    if ((m = /^([\w-]+) : BEGIN on (\S+) as (.+)$/.exec(line))) return event('info', 'action-plan.begin', { cmdlet: m[1], host: m[2], account: m[3] });
    if ((m = new RegExp(`^Action plan instance ID specified:\\s*(${GUID})`).exec(line))) {
      f.actionPlanInstanceId ??= m[1]!.toLowerCase();
      return event('info', 'action-plan.instance', { instanceId: m[1]!.toLowerCase() });
    }
    if ((m = /^StartTime:\s*(.+)$/.exec(line))) return event('info', 'action-plan.timing', { startTime: m[1]!.trim() });
    if ((m = /^Timeout estimate:\s*(.+?)\s*\.?$/.exec(line))) return event('info', 'action-plan.timing', { timeoutEstimate: m[1]!.trim() });
    if ((m = /^Overall action status:\s*'?(\w+)'?\s*\.?$/.exec(line))) {
      f.overallStatus = m[1]!;
      const final = /^(success|failed|error)$/i.test(m[1]!);
      if (final) f.finalStatus ??= m[1]!;
      return event(/^(failed|error)$/i.test(m[1]!) ? 'error' : 'info', final ? 'action-plan.finished' : 'action-plan.status', { status: m[1] });
    }
    if ((m = /^Step '(.+)' status:\s*'?(\w+)'?\s*\.?$/.exec(line))) {
      const existing = f.steps.find((s) => s.name === m![1]);
      if (existing) existing.status = m[2]!;
      else f.steps.push({ name: m[1]!, status: m[2]! });
      return event(/^(error|failed)$/i.test(m[2]!) ? 'error' : 'info', 'action-plan.step', { name: m[1], status: m[2], index: f.steps.findIndex((s) => s.name === m![1]) + 1 });
    }
    if ((m = new RegExp(`^ActionPlanInstanceID\\b:?\\s*'?(${GUID})?'?.*?CurrentStatus:?\\s*'?(\\w+)'?`).exec(line))) {
      if (m[1]) f.actionPlanInstanceId ??= m[1].toLowerCase();
      if (FINAL_STATUSES.has(m[2]!.toLowerCase())) f.finalStatus ??= m[2]!;
      return event(isSuccessStatus(m[2]!) ? 'info' : /^(failed|error)$/i.test(m[2]!) ? 'error' : 'info', 'action-plan.status', { instanceId: m[1]?.toLowerCase() ?? null, status: m[2] });
    }
    if ((m = /^Action plan finished with status:\s*'?(\w+)'?/.exec(line))) {
      f.finalStatus = m[1]!;
      return event(isSuccessStatus(m[1]!) ? 'info' : 'error', 'action-plan.finished', { status: m[1] });
    }
    if (/^DONE$/.test(line)) return event('info', 'action-plan.done');
    if ((m = new RegExp(`^InstanceID\\s*:\\s*(${GUID})`).exec(line))) {
      this.#inInstanceList = true;
      f.actionPlanInstanceId ??= m[1]!.toLowerCase();
      return event('verbose', 'action-plan.instance-list', { instanceId: m[1]!.toLowerCase() });
    }
    if (this.#inInstanceList && (m = /^Status\s*:\s*(\w+)\s*$/.exec(line))) {
      if (FINAL_STATUSES.has(m[1]!.toLowerCase())) f.finalStatus ??= m[1]!;
      return event(isSuccessStatus(m[1]!) ? 'info' : 'error', 'action-plan.instance-status', { status: m[1] });
    }
    if ((m = /^(\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}) : (.+)$/.exec(line))) {
      const what = m[2]!;
      const launching = /^Launching (\S+)/.exec(what);
      const complete = /^(\S+) complete$/.exec(what);
      return event(base === 'error' || base === 'warning' ? base : 'info', 'test.progress', {
        time: m[1],
        category: launching?.[1] ?? complete?.[1] ?? null,
        phase: /^Starting Test-AzureStack/.test(what) ? 'start' : launching ? 'launch' : complete ? 'complete' : 'message',
      });
    }
    if ((m = /^(PASS|WARN|FAIL)\s+(.+)$/.exec(line))) {
      const key = step ?? 'test';
      const counts = (f.tests[key] ??= { pass: 0, warn: 0, fail: 0 });
      counts[m[1]!.toLowerCase() as 'pass' | 'warn' | 'fail'] += 1;
      // In the readiness groups a warning is shown as an error and blocks the rotation (pep-output.md §3.3).
      const level: EventLevel = m[1] === 'PASS' ? 'info' : m[1] === 'FAIL' || step === 'readiness' ? 'error' : 'warning';
      return event(level, 'test.result', { result: m[1], test: m[2] });
    }
    if ((step === 'readiness' || step === 'external-certificates-check') && /^(True|False)$/.test(line)) {
      return this.#boolean(line === 'True', step, line);
    }
    if (/^Call Get-AzureStackLog for additional diagnostics/.test(line)) return event('warning', 'test.hint');
    if (/has been interrupted\. Attempting to reconnect/i.test(line)) return event('warning', 'session.reconnecting');
    if (/The reconnection attempt to .+ failed/i.test(line)) {
      f.sessionBroken = true;
      return event('error', 'session.broken');
    }
    if (step === 'stamp-information' && (m = /^(\w+)\s*:\s*(.*)$/.exec(line))) {
      this.#stampList[m[1]!] = m[2]!;
      f.stampInformation = toStampInformation(this.#stampList);
      return event('info', 'stamp.property', { name: m[1], value: m[2] });
    }
    return event(base, 'log', { stream: effective });
  }
}

/**
 * Reads a console transcript (as an operator's window shows it) into the messages the script would send.
 *
 * `VERBOSE: ` and `WARNING: ` lines become verbose and warning records, the rest output; `step` tags every
 * message, as the script does. For recorded transcripts in tests and for importing a pasted transcript.
 */
export function transcriptToMessages(text: string, step: PepStepName | null = null): PepMessage[] {
  return text.split(/\r?\n/).map((line) => {
    const type: PepMessage['type'] = line.startsWith('VERBOSE:') ? 'verbose' : line.startsWith('WARNING:') ? 'warning' : 'output';
    return { type, text: line, ...(step ? { step } : {}) };
  });
}
