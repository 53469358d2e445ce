import { isIPv6 as nodeIsIPv6 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ercsAddressProblem, ercsProblem, fqdnProblem, hostNameProblem, ipProblem, isIPv6, isIpAddress, regionProblem, stampInputProblems, versionProblem } from '../../shared/stamps/stamp';
import { stampInputSchema } from '../../shared/stamps/stamp-schema';

describe('stamp field rules', () => {
  it('agrees with Node on IPv6 text forms', () => {
    const samples = [
      '::1', '::', 'fe80::1', '2001:db8::8a2e:370:7334', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', '1::2::3', '12345::',
      '::ffff:192.0.2.1', '64:ff9b::192.0.2.33', '1:2:3:4:5:6:192.0.2.1', '1:2:3:4:5:6:7:192.0.2.1', '1:2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::', '::1:2:3:4:5:6:7', 'g::1', ':1::2', '1:', '::ffff:999.0.0.1', '1.2.3.4', '',
    ];
    for (const sample of samples) expect(isIPv6(sample), sample).toBe(nodeIsIPv6(sample));
  });
  it('names the bad value in each message', () => {
    expect(ipProblem('10.0.0.300')).toMatch(/"10\.0\.0\.300" is not an IPv4 or IPv6/);
    expect(ipProblem('10.0.0.3')).toBeNull();
    expect(fqdnProblem('bad_domain')).toMatch(/"bad_domain"/);
    expect(fqdnProblem('azurestack.contoso.com')).toBeNull();
    expect(regionProblem('east-1')).toBeNull();
    expect(regionProblem('-east')).toMatch(/"-east"/);
    expect(versionProblem('2113')).toMatch(/month 13/);
    expect(versionProblem('1712')).toMatch(/older than 1803/);
    expect(versionProblem('2108')).toBeNull();
    expect(ercsProblem(['10.0.0.1', '10.0.0.1'])).toMatch(/twice/);
    expect(ercsProblem(['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4'])).toMatch(/three ERCS/);
  });
  it('accepts ERCS VMs as NetBIOS or DNS host names as well as addresses', () => {
    for (const ok of ['AZS-ERCS01', 'azs-ercs01.azurestack.local', 'ercs3', '10.0.0.1', 'fd00::1', '::ffff:10.0.0.1']) expect(ercsAddressProblem(ok), ok).toBeNull();
    expect(ercsProblem(['AZS-ERCS01', 'AZS-ERCS02', '10.0.0.3'])).toBeNull();
    // An address attempt is judged as an address, with the address message.
    expect(ercsAddressProblem('10.0.0.300')).toBe(ipProblem('10.0.0.300'));
    expect(ercsAddressProblem('fd00::g')).toBe(ipProblem('fd00::g'));
    for (const bad of ['AZS_ERCS01', 'AZS ERCS01', '-ercs', 'ercs-', 'ercs..local', 'AZS-ERCS01.', 'a'.repeat(64)]) {
      expect(ercsAddressProblem(bad), bad).toMatch(/is not an IPv4 or IPv6 address or a host name \(letters, digits and inner hyphens, e\.g\. AZS-ERCS01/);
    }
    expect(hostNameProblem(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}`)).toMatch(/longer than 253/);
    // The same machine in another case is listed twice.
    expect(ercsProblem(['AZS-ERCS01', 'azs-ercs01'])).toBe('"azs-ercs01" is listed twice.');
    expect(ercsProblem([])).toMatch(/address or host name/);
    expect(isIpAddress('10.0.0.1')).toBe(true);
    expect(isIpAddress('AZS-ERCS01')).toBe(false);
    const result = stampInputSchema.safeParse({ name: 'Lab', region: 'east', externalFqdn: 'azurestack.contoso.com', identity: 'aad', version: '2108', ercsIps: ['AZS-ERCS01', 'AZS-ERCS02'], currentCaKind: 'unknown', resourceProviders: [] });
    expect(result.success).toBe(true);
  });

  it('gives the same messages through the IPC schema as inline', () => {
    const input = { name: 'Lab', region: 'east', externalFqdn: 'bad_domain', identity: 'aad', version: '2113', ercsIps: ['10.0.0.300'], currentCaKind: 'unknown', resourceProviders: [] };
    const result = stampInputSchema.safeParse(input);
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => i.message).sort();
    const inline = Object.values(stampInputProblems(input as never)).sort();
    expect(messages).toEqual(inline);
  });
});
