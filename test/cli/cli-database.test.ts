/**
 * The CLI on a database a hostile world left behind: every refusal and storage failure is one line on stderr
 * with what to do, exit 2, no stack trace, and nothing already recorded is changed or lost.
 *
 * Realistic conditions where they need root: `setpriv` runs the CLI as `nobody` for a read-only database
 * and a folder it may not write, `unshare -m` mounts a tiny tmpfs for a disk that fills up. Each such test is
 * skipped, with the reason printed, where that is not possible. Also here: a rotation killed while its PEP
 * session was being opened, and hostile support bundles (a symbolic-link entry, a control character).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, createWriteStream, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import yazl from 'yazl';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../electron/services/store/store';
import { canMount } from '../unit/prep-helpers';
import { announcePwshSkip, PWSH } from '../support/pwsh';
import { CLI, nobodyCannotRunCli, runCli, runCliAsNobody } from './run-cli';

announcePwshSkip(__filename);

const work = mkdtempSync(path.join(tmpdir(), 'azs-cli-database-'));
// nobody must be able to enter the folders of the permission tests.
chmodSync(work, 0o755);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const stampArgs = ['--region', 'east', '--fqdn', 'azurestack.contoso.com', '--identity', 'adfs', '--version', '2108', '--ercs', '10.0.0.1,10.0.0.2,10.0.0.3'];
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A data folder of its own, with one stamp in its database. */
function seeded(name: string): string {
  const data = path.join(work, name);
  const add = runCli(['--data-dir', data, 'stamp', 'add', 'Lab', ...stampArgs]);
  expect(add.code, add.stderr).toBe(0);
  return data;
}

/** Expects the one-line refusal: exit 2, `azs-rotate: <text>` and nothing else. */
function expectRefused(run: { code: number; stdout: string; stderr: string }, text: string | RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.endsWith('\n')).toBe(true);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  if (typeof text === 'string') expect(run.stderr).toBe(`azs-rotate: ${text}\n`);
  else expect(run.stderr).toMatch(text);
  noStack(run.stderr);
}

describe('a database that cannot be trusted is refused, not replaced', () => {
  it('refuses a 0-byte workbench.db (the history is gone) instead of starting a new one, for reads and writes alike', () => {
    const data = path.join(work, 'empty');
    mkdirSync(data);
    const file = path.join(data, 'workbench.db');
    writeFileSync(file, '');
    const message =
      `The database ${file} is empty (0 bytes): the history it held (stamps, runs, backups, audit log) is not in it, so it was not taken for a new database. ` +
      'Restore workbench.db from a backup, or move it aside to start a new history.';
    expectRefused(runCli(['--data-dir', data, 'runs', 'list']), message);
    expectRefused(runCli(['--data-dir', data, 'stamp', 'add', 'Lab', ...stampArgs]), message);
    // The --rerun rule reads the failed runs from history: a rotation must not start on an empty one.
    expectRefused(runCli(['--data-dir', data, 'rotate', 'internal', '--stamp', 'Lab', '--simulate', 'success'], { AZS_PEP_PASSWORD: 'x' }), message);
    expect(statSync(file).size).toBe(0);
  });

  it("refuses another program's file and an SQLite file without the workbench's tables, leaving both as they are", () => {
    const data = path.join(work, 'foreign');
    mkdirSync(data);
    const file = path.join(data, 'workbench.db');
    writeFileSync(file, 'PK\u0003\u0004 not a database but a zip, say'.repeat(20));
    expectRefused(
      runCli(['--data-dir', data, 'stamp', 'list']),
      `${file} is not a Rotation Workbench database: it is not an SQLite database file. It was left as it is. ` +
        `If it should hold the workbench's history, restore workbench.db from a backup; otherwise move the file aside to start a new history, or point --data-dir (or AZS_DATA_DIR) at another folder.`,
    );
    rmSync(file);
    const other = new Database(file);
    other.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me')");
    other.close();
    const before = sha256(file);
    expectRefused(runCli(['--data-dir', data, 'stamp', 'list']), /^azs-rotate: .+ is not a Rotation Workbench database: it is an SQLite database without the workbench's tables\. It was left as it is\. /);
    expect(sha256(file)).toBe(before);
  });

  it('finds damaged pages when it opens the database (quick_check), before writing anything, and says what to do', () => {
    const data = seeded('damaged');
    const file = path.join(data, 'workbench.db');
    const store = Store.open({ dataDir: data });
    store.transaction(() => {
      for (let i = 0; i < 300; i += 1) store.audit.append({ actor: 'cli:x', action: 'share.make-dirs', subject: `share:${i}`, detail: { pad: 'x'.repeat(200) } });
    });
    store.close();
    const db = new Database(file, { readonly: true });
    const { rootpage } = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'audit_events'").get() as { rootpage: number };
    db.close();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, (rootpage - 1) * 4096);
    closeSync(fd);
    const before = sha256(file);
    const run = runCli(['--data-dir', data, 'stamp', 'add', 'Second', ...stampArgs.map((a) => (a === 'azurestack.contoso.com' ? 'b.contoso.com' : a))]);
    expectRefused(
      run,
      /^azs-rotate: The database .+workbench\.db is damaged \(SQLite's integrity check found: .+\); nothing more is written to it\. Close Rotation Workbench and azs-rotate, keep a copy of workbench\.db and workbench\.db-wal for support, then restore workbench\.db from a backup, or move it aside to start a new history\.\n$/,
    );
    expect(sha256(file)).toBe(before);
  });

  const nobody = nobodyCannotRunCli();
  if (nobody) console.log(`Skipped the read-only database and unwritable folder tests: ${nobody}.`);

  it.skipIf(nobody !== null)('a read-only database and a folder this account may not write are named, with the fix', () => {
    const data = seeded('read-only');
    chmodSync(data, 0o755);
    const file = path.join(data, 'workbench.db');
    chmodSync(file, 0o644);
    const before = sha256(file);
    expectRefused(
      runCliAsNobody(['--data-dir', data, 'stamp', 'list']),
      `The database ${file} is read-only (the file, or the disk it is on), so nothing can be recorded in it. ` +
        'Make it writable for this account (clear the Read-only attribute, or chmod u+w), or point --data-dir (or AZS_DATA_DIR) at another folder holding a writable copy.',
    );
    expect(sha256(file)).toBe(before);

    const locked = path.join(work, 'locked');
    mkdirSync(locked, { mode: 0o755 });
    expectRefused(
      runCliAsNobody(['--data-dir', locked, 'stamp', 'list']),
      `This account may not create files in ${locked}, so the database ${path.join(locked, 'workbench.db')} cannot be used. ` +
        `Give this account read and write access to ${locked}, or point --data-dir (or AZS_DATA_DIR) at another folder it can write.`,
    );
    expectRefused(
      runCliAsNobody(['--data-dir', path.join(locked, 'sub'), 'stamp', 'list']),
      `This account may not create the data folder ${path.join(locked, 'sub')}, so the database ${path.join(locked, 'sub', 'workbench.db')} cannot be used. ` +
        `Give this account read and write access to ${locked}, or point --data-dir (or AZS_DATA_DIR) at another folder it can write.`,
    );
  });

  const mount = canMount();
  if (!mount) console.log('Skipped the full-disk test: it needs root on Linux with unshare and tmpfs.');

  it.runIf(mount)('a disk that fills up: the write is refused with what to do, and everything recorded before is kept', () => {
    const disk = path.join(work, 'small-disk');
    mkdirSync(disk);
    const cli = `${process.execPath} ${CLI} --data-dir ${disk}/data`;
    const script = [
      `mount -t tmpfs -o size=1m tmpfs "${disk}"`,
      `${cli} stamp add Lab ${stampArgs.join(' ')} >/dev/null`,
      // Fill what is left of the disk, as a download or a log would.
      `dd if=/dev/zero of="${disk}/filler" bs=4k 2>/dev/null; true`,
      `${cli} stamp add Second ${stampArgs.join(' ').replace('azurestack.contoso.com', 'b.contoso.com')} 2>"${work}/full.err"; echo "exit=$?"`,
      `rm "${disk}/filler"`,
      `${cli} stamp list --json`,
    ].join(' && ');
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const [exitLine, ...rest] = r.stdout.split('\n');
    expect(exitLine).toBe('exit=2');
    expectRefused(
      { code: 2, stdout: '', stderr: readFileSync(path.join(work, 'full.err'), 'utf8') },
      `The disk holding the database ${disk}/data/workbench.db is full: the change could not be recorded. Everything recorded before is kept. ` +
        'Free space on that disk (or point --data-dir (or AZS_DATA_DIR) at another folder on another disk), then try again.',
    );
    expect(JSON.parse(rest.join('\n')).stamps.map((s: { name: string }) => s.name)).toEqual(['Lab']);
  });
});

// The rehearsal runs in real PowerShell against the stand-in PEP.
describe.skipIf(PWSH === null)('a rotation killed before the rotation started', () => {
  it('is listed by the phase it died in, not as "outcome unknown"; a refused pre-flight is in the checks phase', async () => {
    const data = path.join(work, 'killed');
    expect(runCli(['--data-dir', data, 'stamp', 'add', 'Lab', ...stampArgs, '--rehearsal']).code).toBe(0);
    const refused = runCli(['--data-dir', data, 'rotate', 'bmc', '--stamp', 'Lab', '--rerun', '--json'], { AZS_PEP_PASSWORD: 'x', AZS_BMC_PASSWORD: 'Bmc-Pa55word' });
    expect(refused.code, refused.stderr).toBe(2);
    expect(JSON.parse(runCli(['--data-dir', data, 'runs', 'show', '1', '--json']).stdout)).toMatchObject({ state: 'failed', phase: 'checks' });

    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AZS_') || k === 'AZS_PWSH'));
    const child = spawn(process.execPath, [CLI, '--data-dir', data, 'rotate', 'internal', '--stamp', 'Lab', '--simulate', 'success', '--sim-seconds', '60'], {
      env: { ...base, AZS_PEP_PASSWORD: 'x' },
      detached: true,
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    try {
      // Killed with the PEP session open, before the readiness test passed and the rotation was started.
      for (let i = 0; i < 400 && !/PEP session opened/.test(stdout); i += 1) await new Promise((r) => setTimeout(r, 25));
      expect(stdout).toMatch(/PEP session opened/);
      expect(stdout).not.toMatch(/State: running/);
      child.kill('SIGKILL');
      await exited;
    } finally {
      // The simulator it started, if still there.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    const list = runCli(['--data-dir', data, 'runs', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/\n2\s+Lab\s+internal \(rehearsal\)\s+interrupted before the rotation started — check the PEP/);
    expect(list.stdout).not.toMatch(/outcome unknown/);
    const shown = JSON.parse(runCli(['--data-dir', data, 'runs', 'show', '2', '--json']).stdout);
    expect(shown).toMatchObject({ state: 'interrupted', phase: 'pep-session' });
    expect(shown.events.at(-1).text).toMatch(/^Interrupted before the rotation started: the process \d+ on .+ ended while PowerShell was opening the PEP session or running the readiness test\./);
    expect(runCli(['--data-dir', data, 'runs', 'show', '2']).stdout).toMatch(/→ Open a PEP session and run Get-ActionStatus Start-SecretRotation to make sure no action plan was started/);
  });
});

describe('hostile support bundles on the command line', () => {
  function zip(file: string, entries: { name: string; content: string; mode?: number }[]): Promise<void> {
    const z = new yazl.ZipFile();
    for (const e of entries) z.addBuffer(Buffer.from(e.content), e.name, e.mode === undefined ? {} : { mode: e.mode });
    z.end();
    return new Promise((resolve, reject) => {
      const out = createWriteStream(file);
      out.on('close', () => resolve());
      out.on('error', reject);
      z.outputStream.pipe(out);
    });
  }

  it('refuses a symbolic-link entry the manifest vouches for, and escapes a control character in a name', async () => {
    const target = '/etc/passwd';
    const manifest = {
      schemaVersion: 1,
      format: 'azs-rotation-workbench-support-bundle',
      createdAt: '2026-01-01T00:00:00.000Z',
      appVersion: '9.9.9',
      runs: [],
      eventCount: 0,
      redaction: { secrets: true, masked: { ips: false, hosts: false, users: false }, counts: { ips: 0, hosts: 0, users: 0 } },
      entries: [{ name: 'events.jsonl', size: target.length, sha256: createHash('sha256').update(target).digest('hex') }],
    };
    const link = path.join(work, 'link.zip');
    await zip(link, [
      { name: 'manifest.json', content: JSON.stringify(manifest) },
      { name: 'events.jsonl', content: target, mode: 0o120777 },
    ]);
    const run = runCli(['bundle', 'verify', link, '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, problem: 'special-entry' });
    expect(run.stderr).toBe(
      'azs-rotate: bundle refused: The bundle holds "events.jsonl" as a symbolic link, not a plain file: a zip tool that extracts it would recreate it as such (a link can point at any file on the machine).\n',
    );

    const named = path.join(work, 'named.zip');
    await zip(named, [{ name: 'manifest.json', content: JSON.stringify({ ...manifest, entries: [] }) }, { name: 'evilXXXXclear.txt', content: 'x' }]);
    const bytes = readFileSync(named);
    let at = bytes.indexOf('evilXXXX');
    while (at !== -1) {
      Buffer.from('evil\u001b[2J').copy(bytes, at);
      at = bytes.indexOf('evilXXXX', at + 1);
    }
    writeFileSync(named, bytes);
    const escaped = runCli(['bundle', 'verify', named]);
    expect(escaped.code).toBe(1);
    expect(escaped.stderr).toBe('azs-rotate: bundle refused: The bundle holds an entry with an unsafe name (a control character): "evil\\x1b[2Jclear.txt".\n');
  });
});
