/**
 * The PEP output parser on recorded transcripts (test/fixtures/pep, written from docs/pep-output.md): the
 * action-plan frame of each doc generation, Test-AzureStack, stamp information, session errors, and
 * unknown lines kept verbatim.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NewRunEvent } from '../../shared/rotation/rotation-run';
import { connectFailureCause, hintFor, isSuccessStatus, PepOutputParser, transcriptToMessages, type PepMessage, type TransportItem } from '../../electron/services/pep/parser';
import type { PepStepName } from '../../electron/services/pep/script-header';

const FIXTURES = path.resolve('test/fixtures/pep');
const read = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

function parseTranscript(name: string, step: PepStepName | null = 'start-secret-rotation'): { parser: PepOutputParser; events: NewRunEvent[] } {
  const parser = new PepOutputParser();
  const events = transcriptToMessages(read(name), step).flatMap((message) => parser.feed({ kind: 'message', message }));
  return { parser, events };
}

const types = (events: NewRunEvent[]) => events.map((e) => e.type);

describe('PEP output parser: action-plan transcripts', () => {
  it('reads a 2023-style failure, with status lines with and without the VERBOSE prefix', () => {
    const { parser, events } = parseTranscript('rotation-2023-failed.txt');
    const f = parser.facts;
    expect(f.actionPlanInstanceId).toBe('7d3f8c1a-52e4-4b0c-9d41-1f6a2b9e0c37');
    expect(f.finalStatus).toBe('Failed');
    expect(isSuccessStatus(f.finalStatus)).toBe(false);
    expect(f.overallStatus).toBe('Running');
    expect(f.steps).toEqual([
      { name: 'Validate the new certificates on the share', status: 'InProgress' },
      { name: 'Import the certificates into the infrastructure secret store', status: 'Error' },
    ]);
    expect(events.find((e) => e.type === 'action-plan.begin')?.data).toMatchObject({ cmdlet: 'Start-SecretRotation', host: 'AZS-ERCS01' });
    expect(events.filter((e) => e.type === 'action-plan.timing').map((e) => e.data)).toEqual([
      expect.objectContaining({ startTime: '09/14/2023 08:12:05' }),
      expect.objectContaining({ timeoutEstimate: '09/14/2023 09:12:05' }),
    ]);
    expect(events.find((e) => e.type === 'action-plan.finished')).toMatchObject({ level: 'error', text: "Action plan finished with status: 'Failed'" });
    // Unknown lines survive verbatim as log events; the monitor's blank records are dropped.
    expect(events.find((e) => e.text === 'Some output line nobody has documented')).toMatchObject({ type: 'log', level: 'info' });
    expect(events.find((e) => e.text === '    "CertificatePassword":  "System.Security.SecureString",')).toMatchObject({ type: 'log', level: 'info' });
    expect(events.every((e) => e.text.trim() !== '')).toBe(true);
  });

  it('reads a 2022-style success with the Guid table and the instance Format-List', () => {
    const { parser, events } = parseTranscript('rotation-2022-completed.txt');
    expect(parser.facts.finalStatus).toBe('Completed');
    expect(parser.facts.actionPlanInstanceId).toBe('0b9e4f52-7a31-4c1d-8e6b-3d2f5a7c9e10');
    expect(events.find((e) => e.type === 'action-plan.instance-status')?.data).toMatchObject({ status: 'Completed' });
    expect(types(events)).toContain('action-plan.instance-list');
    // The Format-List's other properties stay as they were printed.
    expect(events.find((e) => e.text.startsWith('LockType'))).toMatchObject({ type: 'log' });
  });

  it('reads the 2020–2021 form: CurrentStatus: Completed then DONE (no quotes)', () => {
    const { parser, events } = parseTranscript('rotation-2020-done.txt');
    expect(parser.facts.finalStatus).toBe('Completed');
    expect(parser.facts.actionPlanInstanceId).toBe('4c2a9e7f-1b3d-4e5f-8a6b-7c8d9e0f1a2b');
    expect(types(events)).toContain('action-plan.done');
  });

  it('reads the 2019 form: Overall action status: Success', () => {
    const { parser, events } = parseTranscript('rotation-2019-overall.txt');
    expect(parser.facts.finalStatus).toBe('Success');
    expect(isSuccessStatus(parser.facts.finalStatus)).toBe(true);
    expect(events.filter((e) => e.type === 'action-plan.finished')).toHaveLength(1);
  });

  it('keeps the first final status when a Format-List repeats it', () => {
    const parser = new PepOutputParser();
    for (const text of ["Action plan finished with status: 'Failed'", 'InstanceID : 0b9e4f52-7a31-4c1d-8e6b-3d2f5a7c9e10\nStatus : Failed']) {
      parser.feed({ kind: 'message', message: { type: 'verbose', text, step: 'start-secret-rotation' } });
    }
    expect(parser.facts.finalStatus).toBe('Failed');
  });
});

describe('PEP output parser: Test-AzureStack and stamp information', () => {
  it('reads readiness progress, results (WARN blocks), the hint and the False return', () => {
    const { parser, events } = parseTranscript('readiness-warn.txt', 'readiness');
    expect(parser.facts.ready).toBe(false);
    expect(parser.facts.tests.readiness).toEqual({ pass: 1, warn: 1, fail: 1 });
    expect(events.filter((e) => e.type === 'test.progress').map((e) => e.data?.phase)).toEqual(['start', 'launch', 'complete', 'launch', 'message', 'complete']);
    expect(events.find((e) => e.type === 'test.progress' && e.data?.phase === 'message')).toMatchObject({ level: 'warning' });
    // In the readiness group a WARN is a blocker, shown like a FAIL.
    expect(events.find((e) => e.text.startsWith('WARN'))).toMatchObject({ type: 'test.result', level: 'error', data: expect.objectContaining({ test: 'Azure Stack Portal and API Summary' }) });
    expect(events.find((e) => e.type === 'test.hint')?.level).toBe('warning');
    expect(events.find((e) => e.type === 'test.summary')).toMatchObject({ level: 'error', data: expect.objectContaining({ value: false }) });
  });

  it('treats a WARN outside the readiness group as a warning', () => {
    const { events } = parseTranscript('readiness-warn.txt', 'external-certificates-check');
    expect(events.find((e) => e.text.startsWith('WARN'))?.level).toBe('warning');
  });

  it('reads Get-AzureStackStampInformation as a Format-List', () => {
    const { parser, events } = parseTranscript('stamp-information.txt', 'stamp-information');
    expect(parser.facts.stampInformation).toMatchObject({ stampVersion: '1.2108.2.65', regionName: 'east', externalDomainFqdn: 'east.azurestack.contoso.com', emergencyConsoleIpAddresses: ['10.0.0.1', '10.0.0.2', '10.0.0.3'] });
    expect(events.filter((e) => e.type === 'stamp.property')).toHaveLength(7);
  });
});

describe('PEP output parser: a whole session as JSON lines', () => {
  function feedJsonl(name: string): { parser: PepOutputParser; events: NewRunEvent[] } {
    const parser = new PepOutputParser();
    const items: TransportItem[] = read(name)
      .split('\n')
      .filter((l) => l.trim())
      .map((line) => {
        try {
          return { kind: 'message', message: JSON.parse(line) as PepMessage };
        } catch {
          return { kind: 'garbage', text: line };
        }
      });
    return { parser, events: items.flatMap((i) => parser.feed(i)) };
  }

  it('follows the session: failover with its reason, stamp facts, readiness, the plan, the result', () => {
    const { parser, events } = feedJsonl('session.jsonl');
    const f = parser.facts;
    expect(f.ercs).toBe('10.0.0.2');
    expect(f.connectFailures).toEqual([{ ercs: '10.0.0.1', reason: expect.stringContaining('WinRM cannot complete the operation'), cause: 'unreachable' }]);
    expect(events.find((e) => e.type === 'session.failed')).toMatchObject({ level: 'warning', data: expect.objectContaining({ ercs: '10.0.0.1', cause: 'unreachable' }) });
    expect(f.stampInformation?.rootCaCertificates).toEqual([{ subject: 'CN=AzureStackCertificationAuthority', notAfter: '2028-05-01T00:00:00.0000000Z' }]);
    expect(events.find((e) => e.type === 'stamp.info')?.text).toMatch(/version 1\.2108\.2\.65; region east; .*root CA CN=AzureStackCertificationAuthority expires 2028-05-01/);
    expect(f.ready).toBe(true);
    expect(f.stepsStarted).toEqual(['stamp-information', 'readiness', 'start-secret-rotation']);
    expect(f.stepsFinished).toEqual({ 'stamp-information': true, readiness: true, 'start-secret-rotation': true });
    expect(f.actionPlanInstanceId).toBe('1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b');
    expect(f.finalStatus).toBe('Completed');
    expect(f.result).toEqual({ status: 'completed', text: null });
    // The stray line is kept, once, as it came.
    expect(f.garbageLines).toBe(1);
    expect(events.filter((e) => e.type === 'transport.garbage').map((e) => e.text)).toEqual(['PS C:\\Users\\operator> stray prompt text']);
  });

  it('reads session errors and marks a broken session', () => {
    const parser = new PepOutputParser();
    const events = parser.feed({
      kind: 'message',
      message: {
        type: 'error',
        step: 'start-secret-rotation',
        id: 'WinRMOperationAborted,PSSessionStateBroken',
        text: '[10.0.0.2] Processing data from remote server 10.0.0.2 failed with the following error message: The I/O operation has been aborted because of either a thread exit or an application request.',
      },
    });
    expect(parser.facts.sessionBroken).toBe(true);
    expect(events).toEqual([expect.objectContaining({ type: 'ps.error', level: 'error' })]);
    parser.feed({ kind: 'message', message: { type: 'error', text: 'Exception calling "GetResult" with "0" argument(s): "Cannot invoke action plan because another action is in progress: 0b9e4f52-7a31-4c1d-8e6b-3d2f5a7c9e10"' } });
    expect(parser.facts.anotherActionInProgress).toBe('0b9e4f52-7a31-4c1d-8e6b-3d2f5a7c9e10');
    expect(parser.facts.lastError).toMatch(/another action is in progress/);
  });

  it('keeps stderr lines as errors', () => {
    expect(new PepOutputParser().feed({ kind: 'stderr', text: 'Fatal error.' })).toEqual([{ level: 'error', type: 'transport.stderr', text: 'Fatal error.', data: null }]);
  });
});

describe('connect failures and hints (pep-output.md §5)', () => {
  it.each([
    ['New-PSSession : [azs-ercs01] Connecting to remote server azs-ercs01 failed with the following error message : Access is denied.', 'access-denied'],
    ['… the destination machine must be added to the TrustedHosts configuration setting. …', 'trusted-hosts'],
    ['Cannot find the PrivilegedEndpoint session configuration in the WSMan: drive on the ERCS01 computer.', 'no-pep-configuration'],
    ['WinRM cannot complete the operation. Verify that the specified computer name is valid', 'unreachable'],
    ['Something else entirely', 'other'],
  ] as const)('classifies %s', (text, cause) => {
    expect(connectFailureCause(text)).toBe(cause);
  });

  it('classifies by the error id first, whatever the language of the client', () => {
    const german = '[azs-ercs01] Beim Verbinden mit dem Remoteserver "azs-ercs01" ist folgender Fehler aufgetreten: Zugriff verweigert';
    expect(connectFailureCause(german)).toBe('other');
    expect(connectFailureCause(german, 'AccessDenied,PSSessionOpenFailed')).toBe('access-denied');
    expect(connectFailureCause(german, 'WinRMOperationTimeout,PSSessionOpenFailed')).toBe('unreachable');
  });

  it('gives a hint for the documented folder-layout error and none for unknown text', () => {
    expect(hintFor("Cannot bind argument to parameter 'Path' because it is null.")).toMatch(/Certificates\\<AAD\|ADFS>/);
    expect(hintFor('Task: Invocation of interface \'Rotate\' of role \'Cloud\\Fabric\\WAS\' failed:')).toMatch(/-ReRun/);
    expect(hintFor('nothing known')).toBeNull();
  });
});
