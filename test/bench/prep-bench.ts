/**
 * Preparation benchmark (`node --import tsx test/bench/prep-bench.ts`): CSRs and PFX assembly for a full stamp.
 *
 * CSRs: 23 requests with RSA-2048 keys (the 13 AD FS endpoints, the 8 PaaS endpoints, and two more PaaS
 * renewals, as in the validation benchmark's 23 files), keys sealed and recorded; target < 2 s. Also
 * prints the bare cost of generating 23 RSA-2048 keys with Node's crypto on this machine, the floor under
 * the CSR figure. Assembly: 23 issued certificates paired with their keys, chained, written as
 * TripleDES-SHA1 PFX files and validated; target < 2 s. Figures are medians of several runs; `--check`
 * exits 1 when a target is missed.
 */
import { generateKeyPair } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { assemblePfxFiles, generateRequests } from '../../electron/services/preparation';
import { Store } from '../../electron/services/store';
import { generateFixtures } from '../fixtures/generate';
import { signRequest, writeChainFile } from '../unit/prep-helpers';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PASSPHRASE = 'benchmark custody passphrase';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const dir = mkdtempSync(path.join(tmpdir(), 'azs-prep-bench-'));
try {
  const manifest = await generateFixtures(path.join(dir, 'fixtures'));
  const { region, fqdn } = manifest;
  const allPaas = ['appservices', 'dbadapter', 'eventhubs', 'iothub', 'acr'] as const;

  const keygen: number[] = [];
  const csr: number[] = [];
  let lastRequests: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    let started = performance.now();
    await Promise.all(Array.from({ length: 23 }, () => new Promise((resolve, reject) => generateKeyPair('rsa', { modulusLength: 2048 }, (e) => (e ? reject(e) : resolve(null))))));
    keygen.push(performance.now() - started);

    const store = Store.open({ dataDir: path.join(dir, `data-${run}`) });
    const ctx = { store, actor: 'bench' };
    try {
      started = performance.now();
      const [full, extra] = await Promise.all([
        generateRequests({ region, fqdn, identity: 'adfs', subject: 'C=US,O=Contoso,OU=Azure Stack Hub', paas: allPaas, outDir: path.join(dir, `req-${run}`), passphrase: PASSPHRASE }, ctx),
        generateRequests({ region, fqdn, identity: 'adfs', subject: 'C=US,O=Contoso,OU=Azure Stack Hub', paas: allPaas, only: ['DBAdapter', 'EventHubs'], outDir: path.join(dir, `req-extra-${run}`), passphrase: PASSPHRASE }, ctx),
      ]);
      csr.push(performance.now() - started);
      lastRequests = [...full.requests, ...extra.requests].map((r) => r.file);
      if (lastRequests.length !== 23) throw new Error(`made ${lastRequests.length} requests, expected 23`);
    } finally {
      store.close();
    }
  }

  // Assembly uses the last run's key store: sign its 23 requests with the fixture CA (not timed).
  const issued = path.join(dir, 'issued');
  mkdirSync(issued);
  lastRequests.forEach((file, i) => signRequest(file, path.join(issued, `${String(i).padStart(2, '0')}-${path.basename(file, '.req')}.cer`), manifest));
  const chain = writeChainFile(manifest, path.join(dir, 'chain.pem'));
  const assemble: number[] = [];
  const store = Store.open({ dataDir: path.join(dir, `data-${RUNS - 1}`) });
  try {
    for (let run = 0; run < Math.max(RUNS, 5); run++) {
      const started = performance.now();
      const result = await assemblePfxFiles({ issued, chain, outDir: path.join(dir, `pfx-${run}`), password: manifest.password, passphrase: PASSPHRASE, currentCa: 'enterprise' }, { store, actor: 'bench' });
      assemble.push(performance.now() - started);
      if (result.summary.assembled !== 23 || result.summary.fail > 0 || result.problems.length > 0) {
        throw new Error(`assembly: ${JSON.stringify(result.summary)} ${result.problems.map((p) => p.message).join('; ')}`);
      }
    }
  } finally {
    store.close();
  }

  const ms = (v: number) => `${Math.round(v)} ms`;
  const verdict = (v: number) => (v < 2000 ? 'within target (< 2 s)' : 'OVER target (< 2 s)');
  console.log(`Preparation benchmark — ${availableParallelism()} CPU(s), Node ${process.version}, medians of ${RUNS} (CSR) / ${Math.max(RUNS, 5)} (assembly) runs`);
  console.log(`  23 CSRs, RSA 2048, keys sealed + recorded:     ${ms(median(csr))}  ${verdict(median(csr))}  (runs: ${csr.map(ms).join(', ')})`);
  console.log(`    of which floor: 23 RSA-2048 keys generated: ${ms(median(keygen))}  (runs: ${keygen.map(ms).join(', ')})`);
  console.log(`  assemble + validate 23 PFX (TripleDES-SHA1):  ${ms(median(assemble))}  ${verdict(median(assemble))}  (runs: ${assemble.map(ms).join(', ')})`);
  if (process.argv.includes('--check') && (median(csr) >= 2000 || median(assemble) >= 2000)) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
