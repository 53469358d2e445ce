import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrlFetcher, judgeCrlBytes } from '../../electron/services/certificates/crl-fetch';

/** A minimal CertificateList (unsigned content is enough for the structure check). */
function crl(nextUpdate: Date): Buffer {
  const { asn1 } = forge;
  const name = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, []);
  const algorithm = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer('1.2.840.113549.1.1.11').getBytes()),
  ]);
  const tbs = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, '\x01'),
    algorithm,
    name,
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(new Date(Date.now() - 86_400_000))),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(nextUpdate)),
  ]);
  const list = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [tbs, algorithm, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, '\x00\x01')]);
  return Buffer.from(asn1.toDer(list).getBytes(), 'binary');
}

let base = '';
const server = createServer((request, response) => {
  if (request.url === '/good.crl') response.end(crl(new Date(Date.now() + 7 * 86_400_000)));
  else if (request.url === '/stale.crl') response.end(crl(new Date(Date.now() - 86_400_000)));
  else if (request.url === '/html') response.end('<html>portal</html>');
  else {
    response.statusCode = 404;
    response.end();
  }
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('HTTP CRL check (--check-crl)', () => {
  it('accepts a current CRL and names its next update', async () => {
    const outcome = await new CrlFetcher(new Date()).fetch(`${base}/good.crl`);
    expect(outcome.ok).toBe(true);
    expect(outcome.message).toMatch(/next update/);
  });
  it('fails a stale CRL, a non-CRL body and an HTTP error with specific messages', async () => {
    const fetcher = new CrlFetcher(new Date());
    expect((await fetcher.fetch(`${base}/stale.crl`)).message).toMatch(/stale/);
    expect((await fetcher.fetch(`${base}/html`)).message).toMatch(/not a DER-encoded CRL/);
    expect((await fetcher.fetch(`${base}/missing.crl`)).message).toMatch(/HTTP 404/);
    expect((await fetcher.fetch('http://127.0.0.1:1/refused.crl')).message).toMatch(/cannot fetch/);
  });
  it('judges bytes without the network', () => {
    expect(judgeCrlBytes(Buffer.from('garbage'), new Date()).ok).toBe(false);
  });
});
