import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend } from '../../electron/main/backend';
import { buildBundle } from '../../electron/services/bundle/index';
import type { IpcResult } from '../../shared/ipc/contract';
import type { ReviewContents } from '../../shared/ipc/review-contract';
import type { Dashboard } from '../../shared/procedures/procedure-schema';
import { runPlan } from '../../shared/rotation/action-plan';
import type { RotationRunDto } from '../../shared/rotation/rotation-schema';
import type { RunEvent } from '../../shared/rotation/rotation-run';
import { REVIEW_BUNDLE_APP_VERSION, REVIEW_BUNDLE_CREATED_AT, REVIEW_STAMP, writeReviewBundle } from '../support/review-bundle';
import { stampInput, tempDir, trustedSender } from './ipc-fixtures';

describe('review mode reads the bundle, never the local database', () => {
  let dir: string;
  let cleanup: () => void;
  let rendererDir: string;
  let backend: Backend;

  const call = async <T = unknown>(channel: string, payload: unknown = {}) => (await backend.invoke(channel, payload, trustedSender(rendererDir))) as IpcResult<T>;
  const ok = async <T = unknown>(channel: string, payload: unknown = {}): Promise<T> => {
    const result = await call<T>(channel, payload);
    if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
    return result.value;
  };

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('review-mode'));
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

  it("answers the bundle's stamps, runs, events, checklists and dashboard, and refuses the live readers", async () => {
    await ok('stamps.create', stampInput('Local Lab'));
    expect(await call('review.contents')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const file = await writeReviewBundle(path.join(dir, 'contoso-west.zip'));
    const summary = await ok<{ sourceStamps: string[]; appVersion: string; createdAt: string }>('review.open', { path: file });
    expect(summary).toMatchObject({ sourceStamps: [REVIEW_STAMP], appVersion: REVIEW_BUNDLE_APP_VERSION, createdAt: REVIEW_BUNDLE_CREATED_AT });

    const contents = await ok<ReviewContents>('review.contents');
    expect(contents.stamps.map((s) => s.name)).toEqual([REVIEW_STAMP]);
    expect(contents.validationRuns).toHaveLength(1);
    expect(contents.rotationRuns.map((r) => [r.kind, r.state])).toEqual([['external', 'failed']]);
    expect(contents.checklists[0]?.confirmations[0]).toMatchObject({ stepId: 'prerequisites', note: 'Change CHG0042 approved' });

    const validation = await ok<{ report: { certificates: unknown[] } }>('review.getValidationRun', { runId: contents.validationRuns[0]!.id });
    expect(validation.report.certificates).toHaveLength(6);
    const rotation = await ok<{ run: RotationRunDto; events: RunEvent[] }>('review.getRotationRun', { runId: contents.rotationRuns[0]!.id });
    // The run's own events travel with its record, facts included, so the plan reads as it did live.
    const plan = runPlan(rotation.run, rotation.events);
    expect(plan.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'done', 'failed', 'skipped', 'done']);
    expect(plan.steps[4]!.children.map((c) => c.status)).toEqual(['done', 'done', 'done', 'failed']);
    expect(await call('review.getRotationRun', { runId: 999 })).toMatchObject({ ok: false, error: { code: 'not-found' } });

    const dashboard = await ok<Dashboard>('review.dashboard', { stampId: contents.stamps[0]!.id });
    // Counted at the bundle's creation: the expired portal certificate first, the stamp's internal root CA included.
    expect(dashboard.generatedAt).toBe(REVIEW_BUNDLE_CREATED_AT);
    expect(dashboard.certificates[0]).toMatchObject({ endpoint: 'Public Portal', status: 'expired', daysLeft: -10 });
    expect(dashboard.certificates.some((c) => c.source === 'root-ca' && c.daysLeft === 196)).toBe(true);

    for (const channel of ['stamps.list', 'validation.listRuns', 'rotation.listRuns', 'procedures.list', 'prep.listKeys']) {
      expect(await call(channel, {}), channel).toMatchObject({ ok: false, error: { code: 'conflict' } });
    }
    await ok('review.close');
    expect((await ok<{ name: string }[]>('stamps.list')).map((s) => s.name)).toEqual(['Local Lab']);
  });

  it("redacts the events a rotation run's record now carries, as it redacts the log lines", () => {
    const store = backend.store;
    const runId = store.rotations.create({ stampId: null, stampName: 'Lab', kind: 'internal', rehearsal: false, scenario: null, source: 'cli', startedAt: '2026-03-02T08:00:00.000Z', rerunOf: null, parameters: {}, ownerPid: 1, ownerHost: 'h' });
    store.rotations.appendEvents(runId, [{ level: 'error', type: 'ps.error', text: 'Access denied on 10.9.8.7 for AZS\\CloudAdmin password=Hunter2!x', data: { ercs: '10.9.8.7', hint: 'password=Hunter2!x' } }]);
    const built = buildBundle(store, { runs: [{ kind: 'rotation', id: runId }], mask: { ips: true, hosts: true, users: true }, appVersion: '9.9.9' });
    const entry = built.entries.find((e) => e.name === `runs/rotation-${runId}.json`)!.content.toString('utf8');
    expect(entry).toContain('"type": "ps.error"');
    expect(entry).not.toMatch(/10\.9\.8\.7|CloudAdmin|Hunter2/);
  });
});
