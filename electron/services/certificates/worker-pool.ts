/**
 * A small pool of worker threads that read PFX facts in parallel.
 *
 * Opening a PFX is CPU-bound (key derivation, decryption, signatures), so a share of 20+ files is spread
 * over the machine's cores. Falls back to the calling thread when the worker script is not available
 * (e.g. a unit test importing the sources) or when `AZS_VALIDATION_THREADS=0`.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PfxFacts } from '../../../shared/certificates/facts';
import { readPfxFacts } from './pfx-facts';
import type { PfxWorkerRequest } from './pfx-worker';

/** One file to read. */
export interface FactsJob {
  readonly file: string;
  readonly displayName: string;
}

function moduleUrl(): string {
  // The Electron main bundle is CommonJS (no import.meta); the CLI bundle and sources are ESM.
  return typeof __filename !== 'undefined' ? pathToFileURL(__filename).href : import.meta.url;
}

/**
 * The bundled worker script next to this bundle, or null when running from TypeScript sources (unit
 * tests), where files are read in the calling thread instead.
 */
function workerScript(): URL | null {
  const here = moduleUrl();
  if (here.endsWith('.ts')) return null;
  // In the packaged app the bundle sits in app.asar, but worker threads cannot start from inside an
  // archive: electron-builder unpacks the worker to app.asar.unpacked (asarUnpack).
  const dir = path.dirname(fileURLToPath(here)).replace(/([\\/])app\.asar([\\/]|$)/, '$1app.asar.unpacked$2');
  const file = path.join(dir, 'pfx-worker.mjs');
  return existsSync(file) ? pathToFileURL(file) : null;
}

/** How many threads to use for `jobCount` files. */
export function threadCount(jobCount: number): number {
  const configured = process.env.AZS_VALIDATION_THREADS;
  const limit = configured !== undefined && /^\d+$/.test(configured) ? Number(configured) : Math.min(availableParallelism(), 8);
  // Starting a worker costs tens of milliseconds: not worth it for a file or two.
  if (jobCount < 3) return 0;
  return Math.min(limit, jobCount);
}

/**
 * Reads the facts of every job, in parallel where possible, calling `onDone` as each finishes.
 *
 * Results come back in job order. An aborted signal stops handing out new jobs and rejects with an
 * `AbortError`.
 */
export async function readAllFacts(
  jobs: readonly FactsJob[],
  password: string,
  options: { signal?: AbortSignal; onDone?: (index: number, facts: PfxFacts) => void } = {},
): Promise<PfxFacts[]> {
  const results: PfxFacts[] = new Array(jobs.length);
  const threads = threadCount(jobs.length);
  const script = threads > 0 ? workerScript() : null;
  const abortError = () => Object.assign(new Error('Validation cancelled'), { name: 'AbortError' });
  if (!script) {
    for (let i = 0; i < jobs.length; i++) {
      if (options.signal?.aborted) throw abortError();
      results[i] = readPfxFacts(jobs[i]!.file, password, jobs[i]!.displayName);
      options.onDone?.(i, results[i]!);
      // Yield so progress events and cancellation get a turn between files.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return results;
  }
  let next = 0;
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: threads }, () => {
        const worker = new Worker(script);
        workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          const feed = () => {
            if (options.signal?.aborted) return reject(abortError());
            if (next >= jobs.length) return resolve();
            const id = next++;
            const request: PfxWorkerRequest = { id, file: jobs[id]!.file, displayName: jobs[id]!.displayName, password };
            worker.postMessage(request);
          };
          worker.on('message', (message: { id: number; facts: PfxFacts }) => {
            results[message.id] = message.facts;
            options.onDone?.(message.id, message.facts);
            feed();
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (next < jobs.length || code !== 0) reject(new Error(`validation worker stopped (exit code ${code})`));
          });
          feed();
        });
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
