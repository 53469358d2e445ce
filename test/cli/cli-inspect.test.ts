/**
 * `inspect` and `validate` on input that cannot be read, driven as a real process: exit 2 always comes with
 * a one-line reason on stderr (the contract in cli.md), and both commands word file-system errors alike.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { PASSWORD_ENV, runOpenssl } from '../fixtures/openssl';
import type { CliRun } from './run-cli';
import { runCli } from './run-cli';

const manifest = loadFixtureManifest();
const env = { AZS_PFX_PASSWORD: manifest.password };
const stamp = ['--region', manifest.region, '--fqdn', manifest.fqdn];
const work = mkdtempSync(path.join(tmpdir(), 'azs-cli-inspect-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Asserts the exit-2 contract: code 2 and exactly one line on stderr, matching `reason`, without a stack trace. */
function expectRefused(run: CliRun, reason: RegExp): void {
  expect(run.code, run.stdout + run.stderr).toBe(2);
  expect(run.stderr).toMatch(/^azs-rotate: [^\n]+\n$/);
  expect(run.stderr).toMatch(reason);
  expect(run.stderr + run.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('inspect: a file that does not open', () => {
  // Root reads files of mode 000, so `unreadable` only fails for other users (covered in cli-certificates).
  const bad = manifest.badInputs.filter((b) => b.name !== 'unreadable');
  const reasons: Record<string, RegExp> = {
    empty: /the file is empty/,
    random: /not a PKCS#12/,
    truncated: /not a (valid )?PKCS#12|damaged/,
    huge: /50\.0 MB, far larger than any PFX/,
    'pem-renamed': /not a PKCS#12/,
  };

  it.each(bad.map((b) => [b.name, b.file] as const))('%s: exit 2, the reason on stderr, nothing on stdout', (name, file) => {
    const run = runCli(['inspect', file], env);
    expectRefused(run, new RegExp(`Cannot open ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    expect(run.stderr).toMatch(reasons[name]!);
    expect(run.stdout).toBe('');
  });

  it.each(bad.map((b) => [b.name, b.file] as const))('%s --json: the report on stdout, the same reason on stderr', (_name, file) => {
    const run = runCli(['inspect', file, '--json'], env);
    expectRefused(run, /Cannot open /);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ schemaVersion: 1, file, opened: false, certificates: [] });
    expect(run.stderr).toContain(report.error.message);
  });

  it('wrong password on an AES file: exit 2 with the reason on stderr', () => {
    const variant = manifest.fileVariants.find((v) => v.name === 'unicode-password-aes')!;
    const human = runCli(['inspect', variant.file], { AZS_PFX_PASSWORD: 'not the password' });
    expectRefused(human, /the password does not open the file/);
    expect(human.stdout).toBe('');
    const json = runCli(['inspect', variant.file, '--json'], { AZS_PFX_PASSWORD: 'not the password' });
    expectRefused(json, /the password does not open the file/);
    expect(JSON.parse(json.stdout).error.code).toBe('wrong-password');
  });
});

describe('inspect: a path that names no file', () => {
  const loop = path.join(work, 'loop1.pfx');
  const dangling = path.join(work, 'dangling.pfx');
  const folder = path.join(work, 'folder.pfx');
  beforeAll(() => {
    symlinkSync(path.join(work, 'loop2.pfx'), loop);
    symlinkSync(loop, path.join(work, 'loop2.pfx'));
    symlinkSync(path.join(work, 'gone.pfx'), dangling);
    mkdirSync(folder);
  });

  it.each([
    ['a symbolic link loop', loop, /symbolic link loop .*; point the link at the real file/],
    ['a dangling link', dangling, /does not exist \(or is a link to something that does not exist\); check the path/],
    ['a missing file', path.join(work, 'nope.pfx'), /does not exist/],
    ['a folder', folder, /is a folder, not a file; give the path of the \.pfx file inside it/],
  ])('%s: exit 2 with a specific message, before asking for a password', (_name, target, reason) => {
    // No password source at all: the path is refused first, so the message is about the path.
    const run = runCli(['inspect', target, '--json']);
    expectRefused(run, reason);
    expect(run.stdout).toBe('');
  });

  it('a named pipe: refused instead of blocking on a read that never ends', () => {
    const fifo = path.join(work, 'pipe.pfx');
    execFileSync('mkfifo', [fifo]);
    expectRefused(runCli(['inspect', fifo], env), /not a regular file/);
  });

  it('validate words a link loop exactly like inspect (one shared mapping)', () => {
    const inspect = runCli(['inspect', loop], env);
    const validate = runCli(['validate', loop, '--endpoint', 'Public Portal', ...stamp], env);
    expectRefused(validate, /symbolic link loop/);
    expect(validate.stderr).toBe(inspect.stderr);
    expect(validate.stderr).not.toMatch(/ELOOP/);
  });
});

describe('validate --endpoint on a folder', () => {
  it('refuses it as a mistaken file path instead of validating it as a share', () => {
    const folder = path.join(work, 'x.pfx');
    mkdirSync(folder);
    const run = runCli(['validate', folder, '--endpoint', 'Public Portal', ...stamp, '--identity', 'aad', '--json'], env);
    expectRefused(run, /x\.pfx is a folder, not a PFX file: with --endpoint, give the path of the \.pfx file inside it/);
    expect(run.stdout).toBe('');
  });

  it('still validates a share when --endpoint is left out', () => {
    const run = runCli(['validate', manifest.shares.aadValid, ...stamp, '--identity', 'aad', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
  });
});

describe('inspect: bag attributes', () => {
  it('shows the friendly name and CSP name as text in the table and the JSON', async () => {
    const variant = manifest.fileVariants.find((v) => v.name === 'valid-3des')!;
    const keyPem = path.join(work, 'key.pem');
    const certPem = path.join(work, 'cert.pem');
    // Reuse a fixture's key and certificate, repackaged with attributes the fixtures do not carry.
    await runOpenssl(['pkcs12', '-in', variant.file, '-passin', `env:${PASSWORD_ENV}`, '-nodes', '-nocerts', '-out', keyPem], variant.password);
    await runOpenssl(['pkcs12', '-in', variant.file, '-passin', `env:${PASSWORD_ENV}`, '-clcerts', '-nokeys', '-out', certPem], variant.password);
    const named = path.join(work, 'named.pfx');
    const csp = 'Microsoft Enhanced RSA and AES Cryptographic Provider';
    await runOpenssl(
      ['pkcs12', '-export', '-legacy', '-in', certPem, '-inkey', keyPem, '-out', named, '-passout', `env:${PASSWORD_ENV}`, '-name', 'Zertifikat Ü', '-CSP', csp],
      manifest.password,
    );
    const human = runCli(['inspect', named], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('name "Zertifikat Ü"');
    expect(human.stdout).toContain(`CSP "${csp}"`);
    const json = JSON.parse(runCli(['inspect', named, '--json'], env).stdout);
    expect(json.bags.map((b: { friendlyName: string }) => b.friendlyName)).toEqual(['Zertifikat Ü', 'Zertifikat Ü']);
    expect(json.bags.find((b: { type: string }) => b.type === 'shrouded-private-key').cspName).toBe(csp);
  });
});
