/**
 * Worker thread entry: reads PFX facts off the main thread so validation uses every core.
 *
 * Announces `{ kind: 'ready' }` once loaded, then receives `{ id, file, displayName, password, now }` messages
 * and answers `{ kind: 'facts', id, facts }`. The password travels only through this in-memory message
 * channel (never argv, env or files).
 */
import { parentPort } from 'node:worker_threads';
import type { PfxFacts } from '../../../shared/certificates/facts';
import { readPfxFacts } from './pfx-facts';
import { warmUpKdf } from './pkcs12-kdf';

/** A request to the worker. */
export interface PfxWorkerRequest {
  readonly id: number;
  readonly file: string;
  readonly displayName: string;
  readonly password: string;
  /** When the chain's time validity is judged (epoch milliseconds). */
  readonly now: number;
}

/** A message from the worker. */
export type PfxWorkerMessage = { readonly kind: 'ready' } | { readonly kind: 'facts'; readonly id: number; readonly facts: PfxFacts };

function answer(message: PfxWorkerMessage): void {
  parentPort!.postMessage(message);
}

parentPort?.on('message', (request: PfxWorkerRequest) => {
  answer({ kind: 'facts', id: request.id, facts: readPfxFacts(request.file, request.password, request.displayName, new Date(request.now)) });
});
// Sent once the modules above are loaded: the pool hands this thread no file before it can start on it.
// The KDF's optimized code compiles in the background while the pool hands out the first files.
warmUpKdf();
if (parentPort) answer({ kind: 'ready' });
