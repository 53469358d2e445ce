import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, NO_MASKING, parseMaskList } from '../../electron/services/bundle/redaction';
import { redactText } from '../../electron/services/logs/redact-text';

/** Secrets: printable, no whitespace, quotes or `;` (which end an unquoted value), at least one digit. */
const secret = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+-./:<=>?@[]^_{|}~'.split('')), minLength: 5, maxLength: 30 }),
    fc.integer({ min: 0, max: 9 }),
  )
  .map(([s, d]) => `${s}${d}`);

/** Surrounding text: letters, spaces and punctuation but no digits, so it can never contain a secret. */
const filler = fc.string({ unit: fc.constantFrom(...'abcdefghij klmnop ,.:!'.split('')), maxLength: 40 });

/** The shapes a secret shows up in inside logs, exceptions and PowerShell transcripts. */
const forms: ((s: string) => string)[] = [
  (s) => `password=${s}`,
  (s) => `Password: ${s}`,
  (s) => `PepPassword = ${s}`,
  (s) => `"password":"${s}"`,
  (s) => `{"sharePassword": ${JSON.stringify(s)}}`,
  (s) => `\\"client_secret\\":\\"${s}\\"`,
  (s) => `pwd=${s};User Id=admin`,
  (s) => `Server=db;AccountKey=${s};EndpointSuffix=core`,
  (s) => `-Password ${s} -Force`,
  (s) => `-PfxPassword '${s}'`,
  (s) => `ConvertTo-SecureString '${s}' -AsPlainText -Force`,
  (s) => `api_key: ${s}`,
  (s) => `token=${s}`,
  (s) => `-----BEGIN PRIVATE KEY-----\n${s}\n-----END PRIVATE KEY-----`,
  (s) => `-----BEGIN ENCRYPTED PRIVATE KEY-----\nMII${s}`,
];

const bearerSecret = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/'.split('')), minLength: 8, maxLength: 40 }).map((s) => `${s}7`);

describe('bundle redaction', () => {
  it('lets no secret survive, in any known shape, whatever surrounds it', () => {
    fc.assert(
      fc.property(secret, filler, filler, fc.integer({ min: 0, max: forms.length - 1 }), fc.boolean(), (s, before, after, form, mask) => {
        const text = `${before} ${(forms[form] as (x: string) => string)(s)} ${after}`;
        const redactor = createRedactor(mask ? { ips: true, hosts: true, users: true } : NO_MASKING);
        const out = redactor.text(text);
        expect(out).not.toContain(s);
        expect(out).toContain('[redacted]');
        // Inside JSON values too, keys and nested arrays included.
        const value = redactor.value({ nested: [{ line: text }], [text]: 1 });
        expect(JSON.stringify(value)).not.toContain(s);
      }),
      { numRuns: 600 },
    );
  });

  it('removes bearer tokens, JSON web tokens, URL passwords and SAS signatures', () => {
    fc.assert(
      fc.property(bearerSecret, filler, (s, around) => {
        for (const text of [`Authorization: Bearer ${s}`, `https://admin:${s}@host.local/x`, `https://acct.blob.core/c?sv=1&sig=${s}&se=2`]) {
          expect(redactText(`${around} ${text} ${around}`)).not.toContain(s);
        }
      }),
    );
    expect(redactText('got eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqZG9lIn0.c2lnbmF0dXJl back')).toBe('got [redacted] back');
  });

  it('is idempotent and leaves ordinary text alone', () => {
    fc.assert(
      fc.property(secret, filler, (s, around) => {
        const once = redactText(`${around} password=${s}`);
        expect(redactText(once)).toBe(once);
      }),
    );
    const plain = 'Check password-characters: ok; the PFX password is wrong (2 attempts) for blob.pfx';
    expect(redactText('Validation finished: fail (ok 3, warning 1, fail 2)')).toBe('Validation finished: fail (ok 3, warning 1, fail 2)');
    expect(redactText(plain)).toContain('the PFX password is wrong');
  });

  const octet = fc.integer({ min: 0, max: 255 });
  const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
  const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
  const host = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'local', 'contoso.com', 'net')).map(([ls, tld]) => `${ls.join('.')}.${tld}`);
  const user = fc.tuple(fc.constantFrom('AZS', 'CONTOSO', 'corp'), fc.stringMatching(/^[a-z][a-z0-9]{1,10}$/)).map(([d, u]) => `${d}\\${u}`);

  it('masks IPs, hosts and users consistently: same value, same token; different values, different tokens', () => {
    fc.assert(
      fc.property(fc.uniqueArray(ipv4, { minLength: 1, maxLength: 6 }), fc.uniqueArray(host, { minLength: 1, maxLength: 6, selector: (h) => h.toLowerCase() }), fc.uniqueArray(user, { minLength: 1, maxLength: 4, selector: (u) => u.toLowerCase() }), (ips, hosts, users) => {
        const r = createRedactor({ ips: true, hosts: true, users: true });
        const lines = [...ips.map((ip) => `connect ${ip} ok`), ...hosts.map((h) => `resolve ${h} ok`), ...users.map((u) => `logon ${u} ok`)];
        const first = lines.map((l) => r.text(l));
        const second = lines.map((l) => r.text(l));
        expect(second).toEqual(first);
        for (const [i, out] of first.entries()) {
          const original = lines[i] as string;
          const value = original.split(' ')[1] as string;
          expect(out).not.toContain(value);
          expect(out).toMatch(/^(connect|resolve|logon) (ip|host|user)-\d+ ok$/);
        }
        const tokens = first.map((l) => l.split(' ')[1]);
        expect(new Set(tokens).size).toBe(lines.length);
        expect(r.counts()).toEqual({ ips: ips.length, hosts: hosts.length, users: users.length });
      }),
      { numRuns: 300 },
    );
  });

  it('masks only what the operator chose, and known stamp names under any domain', () => {
    const text = 'AZS\\CloudAdmin on 10.1.2.3 reached portal.east.azurestack.contoso.com';
    expect(createRedactor({ ips: true, hosts: false, users: false }).text(text)).toBe('AZS\\CloudAdmin on ip-1 reached portal.east.azurestack.contoso.com');
    expect(createRedactor({ ips: false, hosts: true, users: false }).text(text)).toBe('AZS\\CloudAdmin on 10.1.2.3 reached host-1');
    expect(createRedactor({ ips: false, hosts: false, users: true }).text(text)).toBe('user-1 on 10.1.2.3 reached portal.east.azurestack.contoso.com');
    const known = createRedactor({ ips: false, hosts: true, users: true }, { hosts: ['azurestack.lab'], users: ['cloudadmin'] });
    expect(known.text('adminportal.azurestack.lab by CloudAdmin, stamp.create, blob.pfx')).toBe('host-1 by user-1, stamp.create, blob.pfx');
    expect(parseMaskList('ips, Hosts,nope')).toEqual({ mask: { ips: true, hosts: true, users: false }, unknown: ['nope'] });
  });
});
