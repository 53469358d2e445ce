/**
 * Validation benchmark (`npm run bench`): validating a 23-file share versus OpenSSL reading the same files.
 *
 * Prints the time to validate a full 13-folder AD FS share plus 10 PaaS PFX files (23 files) in-process
 * with the built engine (its worker threads are started by the warm-up run and kept, as in the desktop
 * app), the time of an `openssl pkcs12 -info -noout` loop over the same files, and their ratio (target
 * ≤ 1.0). Also prints the CLI end to end (process and worker start included) and the single-thread and
 * pure-JavaScript-KDF variants, so a regression in any layer shows. Figures are medians of several runs;
 * `--check` exits 1 when the ratio misses its target.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateFixtures } from '../fixtures/generate';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(run: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

const dir = mkdtempSync(path.join(tmpdir(), 'azs-bench-'));
try {
  const manifest = await generateFixtures(dir);
  const { benchShare, password, region, fqdn } = manifest;
  const files = benchShare.files;
  const engine = await import(pathToFileURL(path.resolve('dist/cli/engine.mjs')).href);
  const env = { ...process.env, AZS_BENCH_PASSWORD: password };

  // The 23 files: the 13-folder AD FS tree and 8 PaaS folders through validateShare, plus 2 more PaaS files.
  const validateAll = async () => {
    const share = await engine.validateShare({ root: benchShare.certificatesDir, identity: 'adfs', region, fqdn, paasDir: benchShare.paasDir, password, currentCa: 'enterprise', stampVersion: '2108' });
    const extras = await Promise.all(
      benchShare.extraFiles.map((extra: { endpoint: string; file: string }) =>
        engine.validateFile(extra.file, { ...findEndpoint(extra.endpoint) }, { region, fqdn, password, currentCa: 'enterprise', stampVersion: '2108' }),
      ),
    );
    const certificates = share.certificates.length + extras.reduce((n: number, r: { certificates: unknown[] }) => n + r.certificates.length, 0);
    if (certificates !== files.length) throw new Error(`validated ${certificates} files, expected ${files.length}`);
    if (share.summary.fail > 0) throw new Error('the benchmark share did not validate green');
  };
  const { findEndpoint } = await import('../../shared/endpoints/catalog');

  const opensslLoop = () => {
    for (const file of files) {
      const r = spawnSync('openssl', ['pkcs12', '-info', '-noout', '-in', file, '-passin', 'env:AZS_BENCH_PASSWORD'], { env, stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`openssl could not read ${file}`);
    }
  };

  const measure = async (label: string, run: () => Promise<unknown> | unknown, setup: () => void = () => {}) => {
    setup();
    await run(); // warm-up: JIT and file cache, as an operator's second run would see
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) samples.push(await time(run));
    const value = median(samples);
    console.log(`${label.padEnd(58)} ${value.toFixed(1).padStart(8)} ms`);
    return value;
  };

  console.log(`Validation benchmark: ${files.length} PFX files (13 AD FS + 10 PaaS), TripleDES-SHA1, median of ${RUNS} runs\n`);
  const openssl = await measure('openssl pkcs12 -info -noout loop (23 processes)', opensslLoop);
  const validate = await measure('validate in-process (worker threads, WebAssembly KDF)', validateAll, () => delete process.env.AZS_VALIDATION_THREADS);
  const single = await measure('validate in-process (one thread)', validateAll, () => (process.env.AZS_VALIDATION_THREADS = '0'));
  // The switch is the bundled engine's own (a separately imported pkcs12-kdf would be another copy of the
  // module, and switching it would change nothing measured); it reaches the calling thread only, not the
  // workers, hence one thread for this line.
  const jsKdf = await measure('validate in-process (one thread, JavaScript KDF)', validateAll, () => {
    process.env.AZS_VALIDATION_THREADS = '0';
    engine.useSha1Engine('js');
  });
  engine.useSha1Engine('wasm');
  delete process.env.AZS_VALIDATION_THREADS;
  const cli = await measure('azs-rotate validate, whole process (21 files of the share)', () => {
    const args = ['dist/cli/azs-rotate.mjs', 'validate', benchShare.certificatesDir, '--region', region, '--fqdn', fqdn, '--identity', 'adfs', '--paas-dir', benchShare.paasDir, '--current-ca', 'enterprise', '--json'];
    const result = spawnSync(process.execPath, args, { env: { ...process.env, AZS_PFX_PASSWORD: password }, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`the CLI failed (exit ${result.status}): ${result.stderr}`);
  });
  const ratio = validate / openssl;
  console.log(`\nratio validate / openssl = ${ratio.toFixed(2)} (target ≤ 1.0${ratio <= 1 ? ', met' : ', MISSED'})`);
  if (process.argv.includes('--check') && ratio > 1) process.exitCode = 1;
  console.log(`ratio one thread / openssl = ${(single / openssl).toFixed(2)}; JavaScript KDF / openssl = ${(jsKdf / openssl).toFixed(2)}; CLI process / openssl = ${(cli / openssl).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
