/**
 * Shared helpers of the preparation tests: a store-backed context, OpenSSL as the test CA, and PFX
 * files made to order.
 *
 * Not a test file itself (no `.test.ts`). Requests are signed by the fixture's issuing CA with
 * `openssl x509 -req` and an extension file that copies the request's SAN, key usage and EKU, the way
 * an enterprise CA template would.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import { X509Certificate, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PrepContext } from '../../electron/services/preparation';
import { writePfx, type PfxProfile } from '../../electron/services/preparation/pkcs12-writer';
import { Store } from '../../electron/services/store';
import type { FixtureManifest } from '../fixtures/manifest-types';
import { OPENSSL } from '../fixtures/openssl';

/** An open store on `dir` with a CLI-like context; close it with `ctx.store.close()`. */
export function openContext(dir: string, now?: () => Date): PrepContext {
  return { store: Store.open({ dataDir: dir }), actor: 'test:prep', ...(now ? { now } : {}) };
}

/** Runs openssl and returns stdout and stderr together (openssl prints `pkcs12 -info` on stderr). */
export function openssl(args: string[], input?: string): { code: number; output: string } {
  const result = spawnSync(OPENSSL, args, { encoding: 'utf8', input: input ?? '' });
  return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** The CRL URL the signed test certificates carry (so `crl-distribution` is ok without fetching). */
export const TEST_CRL_URL = 'http://crl.contoso.com/intermediate.crl';

/**
 * Signs the request `reqFile` with the fixture's issuing CA into `outFile` (PEM), copying SAN/KU/EKU.
 *
 * `days` sets the validity (default 365); `ca` overrides the issuer (certificate and key PEM files).
 */
export function signRequest(reqFile: string, outFile: string, manifest: FixtureManifest, options: { days?: number; ca?: { cert: string; key: string }; outForm?: 'PEM' | 'DER' } = {}): void {
  const text = execFileSync(OPENSSL, ['req', '-in', reqFile, '-noout', '-text'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const sans = /X509v3 Subject Alternative Name:\s*\n\s*(.+)/.exec(text)?.[1]?.trim() ?? '';
  const ext = `${outFile}.ext`;
  writeFileSync(
    ext,
    [
      `subjectAltName=${sans}`,
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      'basicConstraints=CA:FALSE',
      `crlDistributionPoints=URI:${TEST_CRL_URL}`,
      'authorityKeyIdentifier=keyid',
      'subjectKeyIdentifier=hash',
      '',
    ].join('\n'),
  );
  const ca = options.ca ?? { cert: manifest.intermediatePem, key: manifest.intermediateKeyPem };
  execFileSync(OPENSSL, [
    'x509', '-req', '-in', reqFile, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', `0x${randomBytes(8).toString('hex')}`,
    '-days', String(options.days ?? 365), '-sha256', '-extfile', ext, '-out', outFile, '-outform', options.outForm ?? 'PEM',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Writes the fixture chain (issuing CA, then root) as one PEM file and returns its path. */
export function writeChainFile(manifest: FixtureManifest, file: string): string {
  writeFileSync(file, readFileSync(manifest.intermediatePem, 'utf8') + readFileSync(manifest.rootCaPem, 'utf8'));
  return file;
}

/** A self-signed end-entity certificate (CA:FALSE) with the given SANs and its key, made by OpenSSL. */
export function selfSignedWithSans(dir: string, name: string, sans: string[], key?: KeyObject): { cert: X509Certificate; key: KeyObject } {
  const privateKey = key ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.crt`);
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
  execFileSync(OPENSSL, [
    'req', '-x509', '-new', '-key', keyFile, '-subj', `/CN=${sans[0] ?? name}`, '-days', '30', '-sha256', '-out', certFile,
    '-addext', `subjectAltName=${sans.map((s) => `DNS:${s}`).join(',')}`, '-addext', 'basicConstraints=CA:FALSE',
    '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment', '-addext', 'extendedKeyUsage=serverAuth,clientAuth',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  return { cert: new X509Certificate(readFileSync(certFile)), key: privateKey };
}

/** Writes a PFX holding `certificates` (leaf first) and `key` with the app's writer. */
export function writeTestPfx(file: string, certificates: Buffer[], key: KeyObject, password: string, profile: PfxProfile = 'azure-stack'): string {
  writeFileSync(file, writePfx({ certificates, privateKey: key, password, profile }));
  return file;
}

/** True when the process may use `unshare -m` + `mount` (root with CAP_SYS_ADMIN, util-linux present). */
export function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  return spawnSync('unshare', ['-m', 'sh', '-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=16k tmpfs "$d" && umount "$d" && rmdir "$d"']).status === 0;
}

/** True when `chattr +i` works here (root, and a file system that supports the immutable flag). */
export function canChattr(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  return spawnSync('sh', ['-c', 'd=$(mktemp -d) && chattr +i "$d" && chattr -i "$d" && rmdir "$d"']).status === 0;
}
