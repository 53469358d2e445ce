import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildBundle, openReview, verifyBundle, writeBundle, type BundleProblem, type BuiltBundle } from '../../electron/services/bundle/index';
import { MANIFEST_NAME } from '../../electron/services/bundle/bundle-format';
import { Store } from '../../electron/services/store/store';
import { tempDir } from './ipc-fixtures';

const MASK_ALL = { ips: true, hosts: true, users: true };

/** Writes a zip of exactly these entries (names and Unix modes as given), for hand-made hostile bundles. */
function writeZip(file: string, entries: { name: string; content: Buffer | string; mode?: number }[]): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(Buffer.isBuffer(e.content) ? e.content : Buffer.from(e.content), e.name, e.mode === undefined ? {} : { mode: e.mode });
  zip.end();
  return new Promise((resolve, reject) => {
    const out = createWriteStream(file);
    out.on('close', () => resolve());
    out.on('error', reject);
    zip.outputStream.pipe(out);
  });
}

/** The entries of a built bundle, manifest first, as `writeZip` takes them. */
function entriesOf(bundle: BuiltBundle): { name: string; content: Buffer | string }[] {
  return [{ name: MANIFEST_NAME, content: JSON.stringify(bundle.manifest) }, ...bundle.entries.map((e) => ({ name: e.name, content: e.content }))];
}

/** Replaces every occurrence of `from` with the same-length `to` in a file (local header and central directory). */
function patchName(file: string, from: string, to: string): void {
  expect(from.length).toBe(to.length);
  const bytes = readFileSync(file);
  const a = Buffer.from(from);
  let at = bytes.indexOf(a);
  let n = 0;
  while (at !== -1) {
    Buffer.from(to).copy(bytes, at);
    n += 1;
    at = bytes.indexOf(a, at + 1);
  }
  expect(n).toBe(2);
  writeFileSync(file, bytes);
}

async function refusal(file: string, maxEntryBytes?: number): Promise<BundleProblem | 'accepted'> {
  try {
    await verifyBundle(file, maxEntryBytes ? { maxEntryBytes } : {});
    return 'accepted';
  } catch (error) {
    return (error as { problem?: BundleProblem }).problem ?? (error as Error).message as BundleProblem;
  }
}

describe('support bundle verification', () => {
  let dir: string;
  let cleanup: () => void;
  let store: Store;
  let bundle: BuiltBundle;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('bundle-verify'));
    store = Store.open({ dataDir: path.join(dir, 'data') });
    store.events.ingest(
      Array.from({ length: 500 }, (_, i) => ({
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        level: 'info' as const,
        source: 'pep' as const,
        run: { kind: 'rotation' as const, id: 1 },
        category: i % 2 === 0 ? 'stamp.info' : 'share.test',
        text: `step ${i} on ercs 10.0.0.${i % 3} as AZS\\CloudAdmin password=Sup3r$ecret host azs-ercs01.azurestack.contoso.com`,
      })),
    );
    bundle = buildBundle(store, { runs: [], mask: MASK_ALL, appVersion: '9.9.9', now: new Date('2026-02-01T00:00:00Z') });
  });
  afterEach(() => {
    store.close();
    cleanup();
  });

  it('accepts a bundle as written, redacted, and opens it in a separate review database', async () => {
    const file = path.join(dir, 'ok.zip');
    await writeBundle(bundle, file);
    const verified = await verifyBundle(file, { keep: () => true });
    expect(verified.manifest.eventCount).toBe(500);
    const events = verified.kept.get('events.jsonl')?.toString('utf8') ?? '';
    expect(events).not.toContain('Sup3r$ecret');
    expect(events).not.toContain('10.0.0.1');
    expect(events).not.toContain('CloudAdmin');
    expect(events).not.toContain('contoso');
    expect(events).toContain('ip-2');
    expect(events).toContain('host-1');
    expect(events).toContain('user-1');
    // The app's own event names look like host names ending in .info / .test, and must survive masking.
    expect(events).toContain('"category":"stamp.info"');
    expect(events).toContain('"category":"share.test"');

    const review = await openReview(file, path.join(dir, 'data'));
    try {
      expect(review.store.databasePath).not.toBe(store.databasePath);
      expect(review.summary).toMatchObject({ bundleName: 'ok.zip', eventCount: 500, appVersion: '9.9.9' });
      expect(review.store.events.count({})).toBe(500);
      expect(review.store.events.count({ query: 'host-1' })).toBe(500);
    } finally {
      review.store.close();
    }
  });

  it('refuses a changed entry', async () => {
    const file = path.join(dir, 'tampered.zip');
    const entries = entriesOf(bundle).map((e) => (e.name === 'events.jsonl' ? { ...e, content: Buffer.from(String(e.content).replace('step 1 ', 'step X ')) } : e));
    await writeZip(file, entries);
    expect(await refusal(file)).toBe('changed-entry');
  });

  it('refuses a missing entry, an extra entry and a bundle without a manifest', async () => {
    const missing = path.join(dir, 'missing.zip');
    await writeZip(missing, entriesOf(bundle).filter((e) => e.name !== 'stamps.json'));
    expect(await refusal(missing)).toBe('missing-entry');
    const extra = path.join(dir, 'extra.zip');
    await writeZip(extra, [...entriesOf(bundle), { name: 'run-me.ps1', content: 'Remove-Item C:\\ -Recurse' }]);
    expect(await refusal(extra)).toBe('extra-entry');
    const bare = path.join(dir, 'bare.zip');
    await writeZip(bare, entriesOf(bundle).filter((e) => e.name !== MANIFEST_NAME));
    expect(await refusal(bare)).toBe('no-manifest');
  });

  it('refuses a truncated zip and a file that is not a zip', async () => {
    const file = path.join(dir, 'ok.zip');
    await writeBundle(bundle, file);
    const bytes = readFileSync(file);
    for (const cut of [bytes.length - 10, Math.floor(bytes.length / 2), 30]) {
      const truncated = path.join(dir, `cut-${cut}.zip`);
      writeFileSync(truncated, bytes.subarray(0, cut));
      expect(await refusal(truncated)).toBe('truncated');
    }
    const text = path.join(dir, 'text.zip');
    writeFileSync(text, 'not a zip at all');
    expect(await refusal(text)).toBe('truncated');
  });

  it('refuses zip-slip names: parent segments, absolute paths and backslashes', async () => {
    const cases: [string, string][] = [
      ['aa/evil.json', '../evil.json'],
      ['aevil.json', '/evil.json'],
      ['aa/evil.json', 'aa\\evil.json'],
      ['aaevil.json', 'C:evil.json'],
    ];
    for (const [placeholder, name] of cases) {
      const file = path.join(dir, `slip-${cases.findIndex((c) => c[1] === name)}.zip`);
      await writeZip(file, [...entriesOf(bundle), { name: placeholder, content: 'x' }]);
      patchName(file, placeholder, name);
      expect(await refusal(file), name).toBe('unsafe-name');
    }
  });

  it('refuses duplicate names and oversized entries', async () => {
    const dup = path.join(dir, 'dup.zip');
    const entries = entriesOf(bundle);
    await writeZip(dup, [...entries, entries.find((e) => e.name === 'stamps.json') as { name: string; content: Buffer }]);
    expect(await refusal(dup)).toBe('duplicate-name');
    const file = path.join(dir, 'ok.zip');
    await writeBundle(bundle, file);
    expect(await refusal(file, 1024)).toBe('oversized');
    expect(await refusal(file)).toBe('accepted');
  });

  it('accepts a bundle re-zipped with folder entries (as `zip -r` writes them), but not an unsafe folder name', async () => {
    const rezip = (file: string, folder: string) => {
      const zip = new yazl.ZipFile();
      zip.addEmptyDirectory(folder);
      for (const e of entriesOf(bundle)) zip.addBuffer(Buffer.isBuffer(e.content) ? e.content : Buffer.from(e.content), e.name);
      zip.end();
      return new Promise<void>((resolve, reject) => {
        const out = createWriteStream(file);
        out.on('close', () => resolve());
        out.on('error', reject);
        zip.outputStream.pipe(out);
      });
    };
    const withFolders = path.join(dir, 'folders.zip');
    await rezip(withFolders, 'runs/');
    expect(await refusal(withFolders)).toBe('accepted');
    const slip = path.join(dir, 'folder-slip.zip');
    await rezip(slip, 'aa/');
    patchName(slip, 'aa/', '../');
    expect(await refusal(slip)).toBe('unsafe-name');
  });

  it('refuses an entry that is a symbolic link (or a device, a pipe), even when the manifest vouches for it', async () => {
    // A self-consistent hostile bundle: the manifest lists the link text's real size and SHA-256, so only
    // the entry's type gives it away. Extracted by unzip, events.jsonl would be a link to /etc/passwd.
    const target = Buffer.from('/etc/passwd');
    const manifest = {
      ...bundle.manifest,
      entries: bundle.manifest.entries.map((e) => (e.name === 'events.jsonl' ? { name: e.name, size: target.length, sha256: createHash('sha256').update(target).digest('hex') } : e)),
    };
    const entries = (mode: number) => [
      { name: MANIFEST_NAME, content: JSON.stringify(manifest) },
      ...bundle.entries.map((e) => (e.name === 'events.jsonl' ? { name: e.name, content: target, mode } : { name: e.name, content: e.content })),
    ];
    const link = path.join(dir, 'symlink.zip');
    await writeZip(link, entries(0o120777));
    await expect(verifyBundle(link)).rejects.toMatchObject({
      problem: 'special-entry',
      message: 'The bundle holds "events.jsonl" as a symbolic link, not a plain file: a zip tool that extracts it would recreate it as such (a link can point at any file on the machine).',
    });
    await expect(openReview(link, path.join(dir, 'data'))).rejects.toMatchObject({ problem: 'special-entry' });
    for (const [mode, what] of [[0o020644, 'a character device'], [0o010644, 'a named pipe'], [0o040755, 'a folder']] as const) {
      const file = path.join(dir, `special-${mode.toString(8)}.zip`);
      await writeZip(file, entries(mode));
      await expect(verifyBundle(file)).rejects.toMatchObject({ problem: 'special-entry', message: expect.stringContaining(`"events.jsonl" as ${what},`) });
    }
    // The same bytes as a plain file (mode 0100644, or 0 as Windows tools write it) match the manifest: only the type was wrong.
    for (const mode of [0o100644, 0]) {
      const plain = path.join(dir, `plain-${mode}.zip`);
      await writeZip(plain, entries(mode));
      expect(await refusal(plain)).toBe('accepted');
    }
  });

  it('escapes control characters of a hostile entry name in the refusal', async () => {
    const file = path.join(dir, 'control.zip');
    const placeholder = 'evilXXXXname.json';
    await writeZip(file, [...entriesOf(bundle), { name: placeholder, content: 'x' }]);
    patchName(file, placeholder, 'evil\u001b[2Jname.json');
    let message = '';
    try {
      await verifyBundle(file);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('The bundle holds an entry with an unsafe name (a control character): "evil\\x1b[2Jname.json".');
    expect([...message].filter((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)).toEqual([]);
  });

  it('will not build a bundle its own reader would refuse as oversized', () => {
    expect(() => buildBundle(store, { runs: [], mask: MASK_ALL, appVersion: '9.9.9', maxEntryBytes: 1024 })).toThrow(/events\.jsonl would be \d+ bytes, above the 1024-byte limit/);
  });

  it('refuses to open a tampered bundle for review and creates no review database', async () => {
    const file = path.join(dir, 'tampered.zip');
    await writeZip(file, entriesOf(bundle).map((e) => (e.name === 'environment.json' ? { ...e, content: '{}' } : e)));
    await expect(openReview(file, path.join(dir, 'data'))).rejects.toMatchObject({ problem: 'changed-entry', code: 'invalid-request' });
  });
});
