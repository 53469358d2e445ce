/**
 * The generated PEP scripts: one snapshot per operation form, and the rules the builder enforces before
 * anything is spawned (secrets never in the text, the session always closed, refused combinations).
 */
import { describe, expect, it } from 'vitest';
import { buildPepScript, psQuote, SCRIPT_EXIT, secretRolesFor, stepsFor, type PepScriptRequest } from '../../electron/services/pep/script-builder';
import { CANCEL_MARKER, parseHeader, SECRETS_MARKER, type PepStep } from '../../electron/services/pep/script-header';
import { AppError } from '../../electron/services/errors';

const STAMP = { name: 'Lab', region: 'east', fqdn: 'azurestack.contoso.com', version: '2108', identity: 'adfs' as const };
const ERCS = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];
const PATH = '\\\\10.0.0.5\\rotation\\Certificates';

function request(kind: PepScriptRequest['kind'], steps: PepStep[], version = '2108'): PepScriptRequest {
  return { kind, stamp: { ...STAMP, version }, ercs: ERCS, pepUser: 'AZURESTACK\\CloudAdmin', steps };
}

const FORMS: Record<string, PepScriptRequest> = {
  'external (2108)': request('external', stepsFor('external', { version: '2108', rerun: false, pfxFilesPath: PATH, shareUser: 'CONTOSO\\svc-rotate' })),
  'external rerun (2108)': request('external', stepsFor('external', { version: '2108', rerun: true })),
  'external before 1811 (1809)': request('external', stepsFor('external', { version: '1809', rerun: false, pfxFilesPath: PATH, shareUser: 'CONTOSO\\svc-rotate' }), '1809'),
  'internal (2108)': request('internal', stepsFor('internal', { version: '2108', rerun: false })),
  'internal rerun (2108)': request('internal', stepsFor('internal', { version: '2108', rerun: true })),
  'internal before 1811 (1809)': request('internal', stepsFor('internal', { version: '1809', rerun: false }), '1809'),
  'bmc with user and bypass': request('bmc', stepsFor('bmc', { version: '2108', rerun: false, bmcUser: 'root', bypassBmcUpdate: true })),
  'bmc password only': request('bmc', stepsFor('bmc', { version: '2108', rerun: false })),
};

describe('PEP script builder', () => {
  for (const [name, req] of Object.entries(FORMS)) {
    it(`generates the ${name} script`, () => {
      expect(buildPepScript(req).text).toMatchSnapshot();
    });
  }

  it('writes a header the simulator can read back, naming the secrets but holding none', () => {
    const script = buildPepScript(FORMS['external (2108)']!);
    const header = parseHeader(script.text);
    expect(header).toEqual(script.header);
    expect(header?.secrets).toEqual(['pep', 'share', 'certificate']);
    expect(script.text.split('\n')[0]).toMatch(/^# azs-rotate-op: \{"v":1,"kind":"external"/);
    expect(script.text).not.toContain(SECRETS_MARKER + '\n');
  });

  it('passes the certificate parameters with -ArgumentList and param(), never $using:', () => {
    const text = buildPepScript(FORMS['external (2108)']!).text;
    expect(text).toContain('param($PfxFilesPath, $PathAccessCredential, $CertificatePassword)');
    expect(text).toContain(`-ArgumentList ${psQuote(PATH)}, $shareCredential, $certificatePassword`);
    expect(text).not.toContain('$using:');
  });

  it('always closes the session in a finally, and stops trying ERCS VMs after Access is denied', () => {
    for (const req of Object.values(FORMS)) {
      const text = buildPepScript(req).text;
      expect(text).toMatch(/\} finally \{\n\s+Remove-PSSession -Session \$state\.session/);
      expect(text).toContain("if ($reason -match 'Access is denied') { break }");
      expect(text).toContain("foreach ($ip in @('10.0.0.1', '10.0.0.2', '10.0.0.3'))");
      expect(text).toContain('-ConfigurationName PrivilegedEndpoint');
      expect(text).toContain('New-PSSessionOption -Culture en-US -UICulture en-US');
    }
  });

  it('can be asked to stop by a cancel line on stdin (Windows) and then still closes the session', () => {
    for (const req of Object.values(FORMS)) {
      const text = buildPepScript(req).text;
      // The watcher starts after the secrets were read, so the cancel line can never be taken for a secret.
      expect(text.indexOf('$cancelWatch.BeginInvoke()')).toBeGreaterThan(text.lastIndexOf('Read-AzsSecret'));
      expect(text).toContain(`.AddArgument($cancel).AddArgument(${psQuote(CANCEL_MARKER)})`);
      // Every loop over the PEP's records ends on the request; every step checks it before and after.
      expect(text.match(/\| ForEach-Object \{\n\s+Assert-AzsRunning\n/g)?.length).toBe(text.match(/\*>&1 \| ForEach-Object \{/g)?.length);
      expect(text.match(/if \(\$cancel\.requested\) \{ Set-AzsCancelled \}/g)?.length).toBe(req.steps.length);
      expect(text).toContain(`$state.exit = ${SCRIPT_EXIT.cancelled}`);
      // An error nothing handled ends the script instead of leaving the host waiting on the open stdin.
      expect(text).toMatch(/\n {2}trap \{\n(?: {4}.*\n)+ {4}exit 1\n {2}\}\n/);
    }
  });

  it('uses the documented forms of Start-SecretRotation for each version', () => {
    expect(buildPepScript(FORMS['internal (2108)']!).text).toContain('        Start-SecretRotation -Internal\n');
    expect(buildPepScript(FORMS['internal rerun (2108)']!).text).toContain('        Start-SecretRotation -Internal -ReRun\n');
    expect(buildPepScript(FORMS['external rerun (2108)']!).text).toContain('        Start-SecretRotation -ReRun\n');
    // Before 1811 there is no -Internal: the bare cmdlet is the internal rotation.
    const old = buildPepScript(FORMS['internal before 1811 (1809)']!).text;
    expect(old).toContain('        Start-SecretRotation\n');
    expect(old).not.toContain('-Internal');
    expect(buildPepScript(FORMS['bmc with user and bypass']!).text).toContain('Set-BmcCredential -BmcPassword $BmcPassword -BmcUser $BmcUser -BypassBMCUpdate');
  });

  it('reads exactly the secrets each operation needs, in header order', () => {
    expect(secretRolesFor(stepsFor('external', { version: '2108', rerun: false, pfxFilesPath: PATH, shareUser: 'u' }))).toEqual(['pep', 'share', 'certificate']);
    expect(secretRolesFor(stepsFor('external', { version: '2108', rerun: true }))).toEqual(['pep']);
    expect(secretRolesFor(stepsFor('internal', { version: '2108', rerun: false }))).toEqual(['pep']);
    expect(secretRolesFor(stepsFor('bmc', { version: '2108', rerun: false }))).toEqual(['pep', 'bmc']);
    const text = buildPepScript(FORMS['bmc password only']!).text;
    expect(text.match(/= Read-AzsSecret/g)).toHaveLength(2);
  });

  it('quotes values for PowerShell, typographic quotes included', () => {
    expect(psQuote("O'Brien")).toBe("'O''Brien'");
    expect(psQuote('a\u2019b')).toBe("'a\u2019\u2019b'");
    expect(psQuote('c$ share')).toBe("'c$ share'");
    const text = buildPepScript({ ...FORMS['external (2108)']!, pepUser: "CONTOSO\\O'Brien" }).text;
    expect(text).toContain("PSCredential('CONTOSO\\O''Brien', $pepPassword)");
  });

  const refusals: [string, PepScriptRequest, RegExp][] = [
    [
      'internal and external together from 1811',
      request('external', [{ op: 'start-secret-rotation', external: true, internal: true, rerun: false, pfxFilesPath: PATH, shareUser: 'u' }]),
      /From 1811 internal and external rotation are separate runs/,
    ],
    ['an external run without its share path', request('external', [{ op: 'start-secret-rotation', external: true, internal: false, rerun: false, pfxFilesPath: null, shareUser: 'u' }]), /Enter the share path/],
    ['a share path not ending in Certificates', request('external', [{ op: 'start-secret-rotation', external: true, internal: false, rerun: false, pfxFilesPath: '\\\\h\\s\\Certs', shareUser: 'u' }]), /must end with the Certificates folder/],
    ['a local share path', request('external', [{ op: 'start-secret-rotation', external: true, internal: false, rerun: false, pfxFilesPath: 'D:\\Certificates', shareUser: 'u' }]), /not a UNC path/],
    ['a BMC user over 16 characters', request('bmc', [{ op: 'set-bmc-credential', bmcUser: 'administrator-bmc1', bypassBmcUpdate: false }]), /at most 16/],
    ['a bad ERCS address', { ...request('internal', stepsFor('internal', { version: '2108', rerun: false })), ercs: ['10.0.0.300'] }, /not an IPv4 or IPv6 address/],
    ['no operation', request('internal', []), /no operation/],
  ];
  it.each(refusals)('refuses %s before anything runs', (_name, req, message) => {
    let caught: unknown;
    try {
      buildPepScript(req);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('invalid-request');
    expect((caught as AppError).message).toMatch(message);
  });

  it('allows the combined form before 1811 (external rotates internal secrets too)', () => {
    const req = request('external', [{ op: 'start-secret-rotation', external: true, internal: true, rerun: false, pfxFilesPath: PATH, shareUser: 'u' }], '1809');
    expect(buildPepScript(req).text).not.toContain('-Internal');
  });
});
