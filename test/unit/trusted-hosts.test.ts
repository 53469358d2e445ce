/**
 * WinRM TrustedHosts for pre-flight: the matching rules (exact, `*`, wildcards, case, IPv6 brackets), the verdict
 * with what to do, and the reader on Windows (fake runner) and elsewhere (not applicable).
 */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { addTrustedHostsCommand, judgeTrustedHosts, parseTrustedHosts, trustedHostEntryCovers, trustedHostsCoverage, trustedHostsVerdict } from '../../shared/rotation/trusted-hosts';
import { readTrustedHosts, TRUSTED_HOSTS_SCRIPT } from '../../electron/services/rotation/trusted-hosts';
import type { CommandSpec } from '../../electron/services/preparation/net-use';

describe('TrustedHosts matching', () => {
  it('splits the value on commas and ignores white space and empty entries', () => {
    expect(parseTrustedHosts(' 10.0.0.1, AZS-ERCS02 ,,*.contoso.com ')).toEqual(['10.0.0.1', 'AZS-ERCS02', '*.contoso.com']);
    expect(parseTrustedHosts('')).toEqual([]);
  });

  it.each([
    ['10.0.0.1', '10.0.0.1', true],
    ['10.0.0.1', '10.0.0.10', false],
    ['*', '10.0.0.1', true],
    ['*', 'AZS-ERCS01', true],
    ['10.0.0.*', '10.0.0.3', true],
    ['10.0.0.*', '10.0.1.3', false],
    ['*.contoso.com', 'azs-ercs01.contoso.com', true],
    ['*.contoso.com', 'contoso.com', false],
    ['*.contoso.com', 'azs-ercs01.contoso.com.evil', false],
    ['AZS-ERCS*', 'azs-ercs02', true],
    ['azs-ercs01', 'AZS-ERCS01', true],
    ['AZS-ERCS01', 'azs-ercs01.azurestack.local', false],
    ['*.contoso.com', '10.0.0.1', false],
    ['[fd00::1]', 'fd00::1', true],
    ['fd00::1', '[FD00::1]', true],
    ['a+b.contoso.com', 'aab.contoso.com', false],
  ])('%s covers %s: %s', (entry, host, covered) => {
    expect(trustedHostEntryCovers(entry, host)).toBe(covered);
  });

  it('names the entry that covers each ERCS VM', () => {
    expect(trustedHostsCoverage('10.0.0.*, AZS-ERCS03', ['10.0.0.1', 'AZS-ERCS02', 'azs-ercs03'])).toEqual([
      { host: '10.0.0.1', coveredBy: '10.0.0.*', isAddress: true },
      { host: 'AZS-ERCS02', coveredBy: null, isAddress: false },
      { host: 'azs-ercs03', coveredBy: 'AZS-ERCS03', isAddress: false },
    ]);
  });
});

describe('TrustedHosts verdict', () => {
  const ercs = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];

  it('is ok when every ERCS VM is covered, and says so of a bare *', () => {
    expect(judgeTrustedHosts('10.0.0.1,10.0.0.2,10.0.0.3', ercs)).toEqual({ status: 'ok', message: 'WinRM TrustedHosts on this machine covers every ERCS VM: 10.0.0.1, 10.0.0.2, 10.0.0.3.', hint: null });
    expect(judgeTrustedHosts('10.0.0.*', ercs).message).toBe('WinRM TrustedHosts on this machine covers every ERCS VM: 10.0.0.1 (by 10.0.0.*), 10.0.0.2 (by 10.0.0.*), 10.0.0.3 (by 10.0.0.*).');
    expect(judgeTrustedHosts('*', ercs).message).toContain("('*' trusts every computer; listing only the ERCS VMs is safer)");
  });

  it('refuses the run when no address is covered, with the command that adds them', () => {
    const verdict = judgeTrustedHosts('', ercs);
    expect(verdict).toEqual({
      status: 'fail',
      message: 'WinRM TrustedHosts on this machine does not cover 10.0.0.1, 10.0.0.2, 10.0.0.3 (it is empty): WinRM refuses a PEP session to a computer outside the list.',
      hint: `In an elevated PowerShell on this machine: Set-Item WSMan:\\localhost\\Client\\TrustedHosts -Value '10.0.0.1,10.0.0.2,10.0.0.3' -Concatenate -Force (or the procedure's winrm s winrm/config/client '@{TrustedHosts="…"}', which replaces the list).`,
    });
    expect(judgeTrustedHosts('fileserver01', ercs)).toMatchObject({ status: 'fail', message: expect.stringContaining('(it lists fileserver01)') });
  });

  it('warns when only some are covered: the run reaches those, without a fallback to the others', () => {
    const verdict = judgeTrustedHosts('10.0.0.1', ercs);
    expect(verdict.status).toBe('warning');
    expect(verdict.message).toContain('does not cover 10.0.0.2, 10.0.0.3 (it lists 10.0.0.1)');
    expect(verdict.message).toContain('The run can still open its session on 10.0.0.1, without a fallback to the others.');
    expect(verdict.hint).toContain("-Value '10.0.0.2,10.0.0.3' -Concatenate");
  });

  it('warns, with the domain-joined note, when host names are not covered', () => {
    const verdict = judgeTrustedHosts('10.0.0.*', ['AZS-ERCS01', 'AZS-ERCS02']);
    expect(verdict.status).toBe('warning');
    expect(verdict.message).toContain("A host name (AZS-ERCS01, AZS-ERCS02) connects without the entry only when this machine is joined to a domain the stamp's domain trusts (Kerberos)");
  });

  it('reports not applicable with its reason, and an unreadable list as a warning with the manual check', () => {
    expect(trustedHostsVerdict({ kind: 'not-applicable', reason: 'this machine runs linux, not Windows.' }, ercs)).toEqual({
      status: 'ok',
      message: 'WinRM TrustedHosts check not applicable: this machine runs linux, not Windows.',
      hint: null,
    });
    const unreadable = trustedHostsVerdict({ kind: 'unreadable', reason: 'Access is denied.' }, ercs);
    expect(unreadable).toMatchObject({ status: 'warning', message: 'WinRM TrustedHosts could not be read on this machine: Access is denied.' });
    expect(unreadable.hint).toContain('(Get-Item WSMan:\\localhost\\Client\\TrustedHosts).Value; it must cover 10.0.0.1, 10.0.0.2, 10.0.0.3');
    expect(trustedHostsVerdict({ kind: 'value', value: '*' }, ercs).status).toBe('ok');
    expect(addTrustedHostsCommand(['AZS-ERCS01'])).toBe("Set-Item WSMan:\\localhost\\Client\\TrustedHosts -Value 'AZS-ERCS01' -Concatenate -Force");
  });
});

describe('reading TrustedHosts', () => {
  it('does not run anything outside Windows', async () => {
    const calls: CommandSpec[] = [];
    const reading = await readTrustedHosts({ powershell: 'pwsh', platform: 'linux', run: async (spec) => (calls.push(spec), { code: 0, stdout: '', stderr: '' }) });
    expect(reading).toEqual({ kind: 'not-applicable', reason: 'TrustedHosts is a setting of the Windows WinRM client, and this machine runs linux, not Windows.' });
    expect(calls).toEqual([]);
  });

  it('runs the PowerShell of the run with the script encoded, no stdin, and reads the marked line', async () => {
    const calls: CommandSpec[] = [];
    const reading = await readTrustedHosts({
      powershell: 'C:\\Program Files\\PowerShell\\7\\pwsh.exe',
      platform: 'win32',
      run: async (spec) => (calls.push(spec), { code: 0, stdout: 'profile noise\r\nAZS-TRUSTEDHOSTS:10.0.0.1,AZS-ERCS02\r\n', stderr: '' }),
    });
    expect(reading).toEqual({ kind: 'value', value: '10.0.0.1,AZS-ERCS02' });
    expect(calls).toHaveLength(1);
    const [spec] = calls;
    expect(spec!.command).toBe('C:\\Program Files\\PowerShell\\7\\pwsh.exe');
    expect(spec!.args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-EncodedCommand']);
    expect(Buffer.from(spec!.args[3]!, 'base64').toString('utf16le')).toBe(TRUSTED_HOSTS_SCRIPT);
    expect(TRUSTED_HOSTS_SCRIPT).toContain("(Get-Item -Path 'WSMan:\\localhost\\Client\\TrustedHosts').Value");
    expect(spec!.stdin).toBeNull();
    // An empty list is a value too.
    expect(await readTrustedHosts({ powershell: 'powershell.exe', platform: 'win32', run: async () => ({ code: 0, stdout: 'AZS-TRUSTEDHOSTS:\r\n', stderr: '' }) })).toEqual({ kind: 'value', value: '' });
  });

  it('turns an error, a missing PowerShell and a hang into an unreadable reading with the reason', async () => {
    const denied = await readTrustedHosts({ powershell: 'powershell.exe', platform: 'win32', run: async () => ({ code: 1, stdout: '', stderr: 'Access is denied.\r\n' }) });
    expect(denied).toEqual({ kind: 'unreadable', reason: 'Access is denied. (WinRM may be stopped, or reading WSMan:\\localhost needs an elevated prompt).' });
    const missing = await readTrustedHosts({
      powershell: 'powershell.exe',
      platform: 'win32',
      run: async () => {
        throw Object.assign(new Error('spawn powershell.exe ENOENT'), { code: 'ENOENT' });
      },
    });
    expect(missing).toEqual({ kind: 'unreadable', reason: 'powershell.exe was not found.' });
    const hang = await readTrustedHosts({ powershell: 'powershell.exe', platform: 'win32', timeoutMs: 20, run: () => new Promise(() => undefined) });
    expect(hang).toEqual({ kind: 'unreadable', reason: 'powershell.exe did not answer within 1 s.' });
  });
});
