import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../electron/services/store/store';
import { runCli } from './run-cli';

describe('azs-rotate logs and bundle', () => {
  let dir: string;
  let dataDir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'azs-cli-logs-'));
    dataDir = path.join(dir, 'data');
    const store = Store.open({ dataDir });
    try {
      const now = Date.now();
      store.events.ingest([
        { at: new Date(now - 200 * 86_400_000).toISOString(), level: 'error', source: 'pep', text: 'ancient failure beyond retention' },
        ...Array.from({ length: 30 }, (_, i) => ({
          at: new Date(now - (30 - i) * 60_000).toISOString(),
          level: i % 10 === 0 ? ('error' as const) : ('info' as const),
          source: 'pep' as const,
          stamp: 'Lab',
          run: { kind: 'rotation' as const, id: i < 20 ? 12 : 13 },
          text: `Action plan step ${i} on 10.0.0.${i % 2} with password=hunter2x${i}`,
        })),
      ]);
    } finally {
      store.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('searches with filters and prints the JSON contract, after applying retention', () => {
    const run = runCli(['--data-dir', dataDir, 'logs', 'search', 'action plan', '--run', '12', '--level', 'error', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { schemaVersion: number; total: number; events: { text: string; run: unknown; level: string }[] };
    expect(out.schemaVersion).toBe(1);
    expect(out.total).toBe(2);
    expect(out.events.map((e) => e.text.split(' on ')[0])).toEqual(['Action plan step 10', 'Action plan step 0']);
    expect(out.events[0]).toMatchObject({ level: 'error', run: { kind: 'rotation', id: 12 } });

    const limited = JSON.parse(runCli(['--data-dir', dataDir, 'logs', 'search', 'step', '--limit', '5', '--json']).stdout) as { total: number; events: unknown[] };
    expect(limited.total).toBe(30);
    expect(limited.events).toHaveLength(5);
    const ancient = JSON.parse(runCli(['--data-dir', dataDir, 'logs', 'search', 'ancient', '--json']).stdout) as { total: number };
    expect(ancient.total).toBe(0);

    const text = runCli(['--data-dir', dataDir, 'logs', 'search', 'step', '--stamp', 'lab', '--limit', '2']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('2 of 30 matching event(s)');
  });

  it('refuses bad flags with exit 2 and a one-line message', () => {
    for (const args of [['--level', 'loud'], ['--run', 'twelve'], ['--since', 'yesterday'], ['--limit', '0']]) {
      const run = runCli(['--data-dir', dataDir, 'logs', 'search', 'x', ...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).not.toMatch(/\bat .*\.m?js:\d+/);
    }
    // Nothing searchable (a lone quote, stars) would match every event: refused instead.
    for (const query of ['"', '***', '" "']) {
      const run = runCli(['--data-dir', dataDir, 'logs', 'search', query]);
      expect(run.code, query).toBe(2);
      expect(run.stderr).toContain('has no word to search for');
    }
  });

  it('exports CSV and JSON Lines with secrets removed', () => {
    const csv = path.join(dir, 'run12.csv');
    expect(runCli(['--data-dir', dataDir, 'logs', 'export', '--format', 'csv', '--out', csv, '--run', '12']).code).toBe(0);
    const lines = readFileSync(csv, 'utf8').replace(/^\ufeff/, '').trim().split('\n');
    expect(lines[0]).toBe('id,at,level,source,category,stamp,run,text');
    expect(lines).toHaveLength(21);
    expect(lines[1]).toContain('rotation:12');
    expect(readFileSync(csv, 'utf8')).not.toContain('hunter2');

    const jsonl = path.join(dir, 'errors.jsonl');
    const run = runCli(['--data-dir', dataDir, 'logs', 'export', '--format', 'jsonl', '--out', jsonl, '--level', 'error', '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ schemaVersion: 1, count: 3, format: 'jsonl' });
    const rows = readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { level: string });
    expect(rows.map((r) => r.level)).toEqual(['error', 'error', 'error']);
    expect(runCli(['--data-dir', dataDir, 'logs', 'export', '--format', 'xml', '--out', jsonl]).code).toBe(2);
  });

  it('creates a masked bundle (dry run first), verifies it, and refuses it once tampered', () => {
    const dry = runCli(['--data-dir', dataDir, 'bundle', 'create', '--run', '12', '--mask', 'ips', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    const preview = JSON.parse(dry.stdout) as { dryRun: boolean; eventCount: number; sample: string[]; maskedCounts: { ips: number } };
    expect(preview).toMatchObject({ dryRun: true, eventCount: 20, maskedCounts: { ips: 2 } });
    expect(preview.sample.join('\n')).not.toMatch(/10\.0\.0\.|hunter2/);

    const file = path.join(dir, 'support.zip');
    expect(runCli(['--data-dir', dataDir, 'bundle', 'create', '--out', file, '--run', '12', '--mask', 'ips']).code).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect(runCli(['bundle', 'verify', file]).code).toBe(0);
    const summary = runCli(['bundle', 'open-summary', file, '--json']);
    expect(JSON.parse(summary.stdout)).toMatchObject({ ok: true, runs: ['rotation:12'], eventCount: 20 });

    const bytes = readFileSync(file);
    const truncated = path.join(dir, 'truncated.zip');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 40));
    const refused = runCli(['bundle', 'verify', truncated, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, problem: 'truncated' });
    expect(refused.stderr).toMatch(/^azs-rotate: bundle refused: .*not a complete zip/);

    expect(runCli(['--data-dir', dataDir, 'bundle', 'create', '--out', file, '--mask', 'colours']).code).toBe(2);
    expect(runCli(['--data-dir', dataDir, 'bundle', 'create', '--out', path.join(dir, 'x.zip'), '--run', '999']).code).toBe(2);
    expect(runCli(['bundle', 'verify', path.join(dir, 'nope.zip')]).code).toBe(2);
  });
});
