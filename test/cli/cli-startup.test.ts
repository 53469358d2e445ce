/**
 * The CLI as one process per command: `--version` answered before anything loads, a small share read by
 * the main thread alone (no worker start-up), the WebAssembly key derivation in use, and a PFX that asks
 * for an absurd iteration count refused at once with the count and the limit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFixtureManifest } from '../fixtures/load-manifest';
import { runCli } from './run-cli';

const manifest = loadFixtureManifest();
const env = { AZS_PFX_PASSWORD: manifest.password };
const stamp = ['--region', manifest.region, '--fqdn', manifest.fqdn];
const dir = mkdtempSync(path.join(tmpdir(), 'azs-cli-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the portal PFX whose MAC asks for `iterations` (not recomputed: refused before it would be). */
function macAsking(iterations: number): string {
  const portal = manifest.fileVariants.find((v) => v.name === 'valid-3des')!;
  const pfx = forge.asn1.fromDer(forge.util.createBuffer(readFileSync(portal.file).toString('binary')));
  const macData = (pfx.value as forge.asn1.Asn1[])[2]!;
  (macData.value as forge.asn1.Asn1[])[2] = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.INTEGER, false, forge.asn1.integerToDer(iterations).getBytes());
  const file = path.join(dir, `mac-${iterations}.pfx`);
  writeFileSync(file, Buffer.from(forge.asn1.toDer(pfx).getBytes(), 'binary'));
  return file;
}

describe('start-up', () => {
  it('answers --version with the package version, alone or with other flags', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(runCli(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    // With another flag the full command tree answers: the same text.
    expect(runCli(['--debug', '--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('answers --help on a pipe with the help the command tree prints, saved at build time', () => {
    const saved = readFileSync(path.join('dist', 'cli', 'azs-rotate-help.txt'), 'utf8');
    const fast = runCli(['--help']);
    // With a global option beside it, the command tree itself answers.
    const tree = runCli(['--debug', '--help']);
    expect(tree.code).toBe(0);
    expect(tree.stdout).toMatch(/^Usage: azs-rotate \[options\] \[command\]\n/);
    expect(tree.stdout).toContain('  rotate [options] <procedure>');
    expect(fast).toMatchObject({ code: 0, stdout: tree.stdout, stderr: '' });
    expect(runCli(['-h']).stdout).toBe(tree.stdout);
    expect(saved).toBe(tree.stdout);
  });

  it('reads a small share in the main thread with the WebAssembly key derivation', () => {
    const run = runCli(['validate', manifest.shares.aadValid, ...stamp, '--identity', 'aad', '--json', '--debug'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/PKCS#12 key derivation: WebAssembly SHA-1 rounds/);
    expect(run.stderr).toMatch(/reading 11 file\(s\) with 0 worker thread\(s\) and the main thread/);
  });
});

describe('absurd iteration counts', () => {
  it('inspect: exit 2 within seconds, naming the count and the limit', () => {
    const started = Date.now();
    const run = runCli(['inspect', macAsking(20_000_000)], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/its MAC asks for 20,000,000 iterations, more than the 1,000,000 this tool computes/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    // Computing 20,000,000 rounds would take seconds even at full speed (and minutes before the fix).
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('validate: the file fails parse-pfx with the reason, the run ends normally', () => {
    const run = runCli(['validate', macAsking(50_000_000), '--endpoint', 'Public Portal', ...stamp, '--json'], env);
    expect(run.code).toBe(1);
    const parse = JSON.parse(run.stdout).certificates[0].checks.find((c: { id: string }) => c.id === 'parse-pfx');
    expect(parse).toMatchObject({ status: 'fail', message: expect.stringMatching(/asks for 50,000,000 iterations, more than the 1,000,000/) });
  });

  it('validate: an iteration count of 0 is a malformed file, said in words', () => {
    const run = runCli(['validate', macAsking(0), '--endpoint', 'Public Portal', ...stamp, '--json'], env);
    expect(run.code).toBe(1);
    const parse = JSON.parse(run.stdout).certificates[0].checks.find((c: { id: string }) => c.id === 'parse-pfx');
    expect(parse.message).toMatch(/malformed: its MAC gives an iteration count of 0, and a count is at least 1/);
    expect(parse.message).not.toMatch(/RangeError|out of range/);
  });
});
