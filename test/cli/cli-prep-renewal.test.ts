/**
 * `azs-rotate csr --from-endpoint`: renewal from the certificate a live endpoint serves, against the probe's
 * TLS bench on 127.0.0.1 — the request carries the served subject, OpenSSL verifies it, and every way of
 * getting the endpoint wrong is one line on stderr with exit 2.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_BASE, MISMATCH_NAME, startTlsBench, type TlsBench } from '../support/tls-bench';
import { tempDir } from '../unit/ipc-fixtures';
import { openssl } from '../unit/prep-helpers';
import { runCliAsync } from './run-cli';

const PASSPHRASE = 'renewal custody passphrase';

let bench: TlsBench;
let dir: string;
let cleanup: () => void;

beforeAll(async () => {
  bench = await startTlsBench();
  ({ dir, cleanup } = tempDir('cli-renewal'));
});
afterAll(async () => {
  await bench?.close();
  cleanup?.();
});

const stamp = ['--region', 'east', '--fqdn', 'azurestack.contoso.com', '--identity', 'aad'];
const csr = (args: string[]) => runCliAsync(['--data-dir', path.join(dir, 'data'), 'csr', ...stamp, ...args], { AZS_KEY_PASSPHRASE: PASSPHRASE });

describe('csr --from-endpoint', () => {
  it('renews from the served certificate: subject from the wire, one request per endpoint asked for', async () => {
    const out = path.join(dir, 'renewal');
    const run = await csr(['--from-endpoint', `portal.${BENCH_BASE}`, '--connect', `127.0.0.1:${bench.port}`, '--timeout-ms', '5000', '--endpoints', 'Public Portal,ARM Public', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { requests } = JSON.parse(run.stdout) as { requests: { endpoint: string; file: string }[] };
    expect(requests.map((r) => r.endpoint)).toEqual(['Public Portal', 'ARM Public']);
    const text = openssl(['req', '-verify', '-noout', '-text', '-in', requests[1]!.file]).output;
    expect(text).toMatch(/verify OK/i);
    expect(text).toMatch(/Subject: O ?= ?Bench, CN ?= ?management\.east\.azurestack\.contoso\.com/);
    expect(text).toMatch(/Public-Key: \(2048 bit\)/);
    expect(text).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
    expect(run.stdout).not.toContain(PASSPHRASE);
  });

  it('HOST:PORT without --connect connects to that host and port', async () => {
    // "localhost" resolves to the bench's address; the SNI is "localhost", which the bench's fallback
    // certificate does not cover: the refusal proves the connection was made to that port with that name.
    const run = await csr(['--from-endpoint', `localhost:${bench.port}`, '--out', path.join(dir, 'never-1')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^azs-rotate: localhost:${bench.port}: The served certificate \\(.*other\\.example\\.net\\) does not cover localhost\\. Renew from the name`));
    expect(existsSync(path.join(dir, 'never-1'))).toBe(false);
  });

  it('exit 2 with one line: a name the certificate does not cover, nothing listening, a bad HOST, misplaced options', async () => {
    const mismatch = await csr(['--from-endpoint', MISMATCH_NAME, '--connect', `127.0.0.1:${bench.port}`, '--out', path.join(dir, 'never-2')]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/does not cover azsprobe\.blob\.east/);
    const refused = await csr(['--from-endpoint', `portal.${BENCH_BASE}`, '--connect', `127.0.0.1:${bench.closedPort}`, '--out', path.join(dir, 'never-2')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Cannot read the certificate served by portal\.east\.azurestack\.contoso\.com \(connecting to 127\.0\.0\.1:\d+\): Connection refused/);
    const badHost = await csr(['--from-endpoint', 'portal:99999', '--out', path.join(dir, 'never-2')]);
    expect(badHost.stderr).toMatch(/--from-endpoint: "portal:99999" is not HOST or HOST:PORT/);
    const both = await csr(['--from-endpoint', `portal.${BENCH_BASE}`, '--from-cert', 'x.crt', '--out', path.join(dir, 'never-2')]);
    expect(both.stderr).toMatch(/not both/);
    const stray = await csr(['--subject', 'O=X', '--connect', '127.0.0.1:443', '--out', path.join(dir, 'never-2')]);
    expect(stray.stderr).toMatch(/--connect goes with --from-endpoint/);
    const timeout = await csr(['--from-endpoint', `portal.${BENCH_BASE}`, '--timeout-ms', 'soon', '--out', path.join(dir, 'never-2')]);
    expect(timeout.stderr).toMatch(/--timeout-ms: "soon" is not a whole number/);
    for (const r of [mismatch, refused, badHost, both, stray, timeout]) {
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(path.join(dir, 'never-2'))).toBe(false);
  });
});
