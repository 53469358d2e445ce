/**
 * Worker thread entry: reads PFX facts off the main thread so validation uses every core.
 *
 * Receives `{ id, file, displayName, password }` messages and answers `{ id, facts }`. The password
 * travels only through this in-memory message channel (never argv, env or files).
 */
import { parentPort } from 'node:worker_threads';
import { readPfxFacts } from './pfx-facts';

/** A request to the worker. */
export interface PfxWorkerRequest {
  readonly id: number;
  readonly file: string;
  readonly displayName: string;
  readonly password: string;
}

parentPort?.on('message', (request: PfxWorkerRequest) => {
  const facts = readPfxFacts(request.file, request.password, request.displayName);
  parentPort!.postMessage({ id: request.id, facts });
});
