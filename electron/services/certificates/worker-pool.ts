/**
 * Reads PFX facts in parallel: worker threads plus, optionally, the calling thread.
 *
 * Opening a PFX is CPU-bound (key derivation, decryption, signatures), so a share of 20+ files is spread
 * over the machine's cores. Workers are started once per process and kept (unreferenced while idle, so
 * they never keep a CLI process alive): the desktop app pays their start-up once, not per validation.
 * The calling thread takes files from the same queue while workers start, which keeps a one-shot CLI run
 * from waiting on thread start-up. From TypeScript sources (unit tests) there is no bundled worker
 * script, and everything runs in the calling thread; `AZS_VALIDATION_THREADS=0` forces that too.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { PfxFacts } from '../../../shared/certificates/facts';
import { readPfxFacts } from './pfx-facts';
import { warmUpKdf } from './pkcs12-kdf';
import type { PfxWorkerMessage, PfxWorkerRequest } from './pfx-worker';

/** One file to read. */
export interface FactsJob {
  readonly file: string;
  readonly displayName: string;
}

/** Options of {@link readAllFacts}. */
export interface ReadAllOptions {
  readonly signal?: AbortSignal;
  /** When chains are judged for time validity (default: the time of the call). */
  readonly now?: Date;
  readonly onDone?: (index: number, facts: PfxFacts) => void;
  /**
   * Whether the calling thread reads files too (default true). The Electron main process passes false:
   * its thread also serves the window, so it leaves the work to the workers.
   */
  readonly useCallingThread?: boolean;
  /** Told how the work is split before it starts (for `--debug` output and tests). */
  readonly onPlan?: (plan: { readonly workers: number; readonly callingThread: boolean; readonly files: number }) => void;
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
  // The CLI bundle may place this code in a chunk one folder below its entry points.
  const file = [path.join(dir, 'pfx-worker.mjs'), path.join(dir, '..', 'pfx-worker.mjs')].find((f) => existsSync(f));
  return file ? pathToFileURL(file) : null;
}

/**
 * Files below which the calling thread reads a share alone rather than start worker threads. A worker
 * loads its own copy of the engine (30-40 ms of CPU, more on a busy machine) and then warms up its own
 * code, while the calling thread reads a file in 2-3 ms: for a one-shot CLI run of a 13-folder share, or
 * the 21 files of one with its PaaS certificates, starting one made the run slower, not faster.
 */
const COLD_START_MIN_FILES = 32;

/**
 * How many worker threads to use for `jobCount` files (besides the calling thread when it helps).
 *
 * `AZS_VALIDATION_THREADS` sets the number (0: the calling thread only). Otherwise workers already running
 * (the desktop app's, or a previous validation's) are used for any share of four files or more, and new
 * ones are started only for a share large enough to repay their start-up ({@link COLD_START_MIN_FILES}).
 */
export function threadCount(jobCount: number, useCallingThread = true): number {
  const configured = process.env.AZS_VALIDATION_THREADS;
  const explicit = configured !== undefined && /^\d+$/.test(configured);
  const cores = Math.min(availableParallelism(), 8);
  const limit = explicit ? Number(configured) : useCallingThread ? cores - 1 : cores;
  // A worker costs tens of milliseconds to start: not worth it for a few files the calling thread can take.
  if (useCallingThread && jobCount < 4) return 0;
  if (useCallingThread && !explicit && pool.length === 0 && jobCount < COLD_START_MIN_FILES) return 0;
  return Math.max(0, Math.min(limit, jobCount));
}

interface Pending {
  resolve(facts: PfxFacts): void;
  reject(error: Error): void;
}

/** One long-lived worker thread with its in-flight requests. */
class PooledWorker {
  readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  broken: Error | null = null;
  /** Set once the worker has loaded its modules and can start on a file at once. */
  isReady = false;
  /** Settles true when the worker is ready, false when it failed first. */
  private readonly ready: Promise<boolean>;

  constructor(WorkerClass: typeof Worker, script: URL, onExit: (self: PooledWorker) => void) {
    this.worker = new WorkerClass(script);
    this.worker.unref();
    let settleReady!: (ready: boolean) => void;
    this.ready = new Promise((resolve) => (settleReady = resolve));
    this.worker.on('message', (message: PfxWorkerMessage) => {
      if (message.kind === 'ready') {
        this.isReady = true;
        settleReady(true);
        return;
      }
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) this.worker.unref();
      pending?.resolve(message.facts);
    });
    const fail = (error: Error) => {
      this.broken = error;
      settleReady(false);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      onExit(this);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`validation worker stopped (exit code ${code})`)));
  }

  /**
   * Waits until the worker can take files (true) or failed to start (false), or until `giveUp` settles
   * (false). The process is kept alive meanwhile, as for an awaited answer.
   */
  async untilReady(giveUp: Promise<unknown>): Promise<boolean> {
    this.worker.ref();
    try {
      return await Promise.race([this.ready, giveUp.then(() => false, () => false)]);
    } finally {
      if (this.pending.size === 0) this.worker.unref();
    }
  }

  read(file: string, displayName: string, password: string, now: Date): Promise<PfxFacts> {
    return new Promise((resolve, reject) => {
      if (this.broken) return reject(this.broken);
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      // Referenced while busy: an awaited answer must keep the process alive.
      this.worker.ref();
      const request: PfxWorkerRequest = { id, file, displayName, password, now: now.getTime() };
      this.worker.postMessage(request);
    });
  }
}

const pool: PooledWorker[] = [];

/**
 * Files handed to each worker at a time. With one, a worker that finished a file got the next only when
 * the calling thread, busy reading a file of its own, next yielded: with equal reading times it sat idle
 * for up to half of the run. With two, the next file is already waiting in its message queue.
 */
const REQUESTS_IN_FLIGHT = 2;

function workers(WorkerClass: typeof Worker, count: number, script: URL): PooledWorker[] {
  while (pool.length < count) {
    pool.push(
      new PooledWorker(WorkerClass, script, (dead) => {
        const index = pool.indexOf(dead);
        if (index >= 0) pool.splice(index, 1);
      }),
    );
  }
  return pool.slice(0, count);
}

/** Stops the pooled workers (tests, app shutdown); the next validation starts new ones. */
export async function stopWorkers(): Promise<void> {
  const all = pool.splice(0);
  await Promise.all(all.map((w) => w.worker.terminate()));
}

/**
 * Reads the facts of every job, calling `onDone` as each finishes; results come back in job order.
 *
 * An aborted signal stops handing out jobs and rejects with an `AbortError`. A worker that dies hands its
 * file back to the queue once, then the calling thread reads it, so a crash never loses a file.
 */
export async function readAllFacts(jobs: readonly FactsJob[], password: string, options: ReadAllOptions = {}): Promise<PfxFacts[]> {
  const useCallingThread = options.useCallingThread ?? true;
  if (useCallingThread) warmUpKdf();
  const now = options.now ?? new Date();
  const results: PfxFacts[] = new Array(jobs.length);
  const script = workerScript();
  const count = script ? threadCount(jobs.length, useCallingThread) : 0;
  const queue = jobs.map((_, i) => i);
  options.onPlan?.({ workers: count, callingThread: useCallingThread || count === 0, files: jobs.length });
  const abortError = () => Object.assign(new Error('Validation cancelled'), { name: 'AbortError' });
  const finish = (index: number, facts: PfxFacts) => {
    results[index] = facts;
    options.onDone?.(index, facts);
  };
  const readHere = (index: number) => finish(index, readPfxFacts(jobs[index]!.file, password, jobs[index]!.displayName, now));

  // Settles once every file has been handed out, so a worker still starting stops waiting for one.
  let allHandedOut = () => {};
  const handedOut = new Promise<void>((resolve) => (allHandedOut = resolve));
  const nextJob = () => {
    const index = queue.shift();
    if (queue.length === 0) allHandedOut();
    return index;
  };
  const workerLoop = async (worker: PooledWorker) => {
    // A starting worker (tens of milliseconds to load its modules) takes no file until it is ready: files
    // handed to it earlier waited on its start-up while the calling thread ran out of work, which made a
    // one-shot CLI run slower with the worker than without. Until then the other threads take them all.
    // A ready worker gets its first file synchronously, before the calling thread starts on one.
    if (!worker.isReady && !(await worker.untilReady(handedOut))) return;
    for (;;) {
      if (options.signal?.aborted) throw abortError();
      const index = nextJob();
      if (index === undefined) return;
      try {
        finish(index, await worker.read(jobs[index]!.file, jobs[index]!.displayName, password, now));
      } catch {
        // The worker died: this file goes back to the queue for another thread, and this loop ends.
        queue.unshift(index);
        return;
      }
    }
  };
  // node:worker_threads loads only when threads are used: a one-shot run of a small share needs none.
  const WorkerClass = count > 0 ? (await import('node:worker_threads')).Worker : null;
  const workerLoops = (WorkerClass ? workers(WorkerClass, count, script!) : []).flatMap((worker) => Array.from({ length: REQUESTS_IN_FLIGHT }, () => workerLoop(worker)));
  const callingThreadLoop = async () => {
    for (;;) {
      if (options.signal?.aborted) throw abortError();
      const index = nextJob();
      if (index === undefined) return;
      readHere(index);
      // Yield so worker answers, progress events and cancellation get a turn between files.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all([...workerLoops, ...(useCallingThread || count === 0 ? [callingThreadLoop()] : [])]);
  // Files handed back by dead workers after the calling thread finished (or when it does not take part).
  for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
    if (options.signal?.aborted) throw abortError();
    readHere(index);
  }
  return results;
}
