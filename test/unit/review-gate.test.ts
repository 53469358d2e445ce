/**
 * Review mode's refusal of state-changing channels comes after the sender check: a frame that is not the
 * app's window is refused as untrusted and learns nothing, not even that a bundle is open for review.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend } from '../../electron/main/backend';
import { writeReviewBundle } from '../support/review-bundle';
import { stampInput, tempDir, trustedSender } from './ipc-fixtures';

describe('review gate and sender trust', () => {
  let dir: string;
  let cleanup: () => void;
  let rendererDir: string;
  let backend: Backend;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('review-gate'));
    rendererDir = path.join(dir, 'renderer');
    backend = createBackend({
      dataDir: path.join(dir, 'data'),
      rendererDir,
      logger: { error: vi.fn(), warn: vi.fn() },
      appVersion: '9.9.9',
      dialogs: { openFolder: async () => null, saveFile: async () => null },
    });
  });
  afterEach(() => {
    backend.close();
    cleanup();
  });

  it('refuses an untrusted frame as untrusted while a bundle is open, and a trusted one as read-only', async () => {
    const trusted = trustedSender(rendererDir);
    const opened = await backend.invoke('review.open', { path: await writeReviewBundle(path.join(dir, 'bundle.zip')) }, trusted);
    expect(opened.ok).toBe(true);
    for (const untrusted of [{ ...trusted, trusted: false }, { ...trusted, isMainFrame: false }, { ...trusted, url: 'https://evil.example/' }]) {
      const answer = await backend.invoke('stamps.create', stampInput('Sneaky'), untrusted);
      expect(answer).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
      expect(JSON.stringify(answer)).not.toMatch(/review|bundle/i);
    }
    expect(await backend.invoke('stamps.create', stampInput('Mine'), trusted)).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/Review mode is read-only/) } });
    expect(await backend.invoke('review.status', {}, trusted)).toMatchObject({ ok: true });
  });
});
