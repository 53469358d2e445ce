/**
 * The share access test: one problem code per failing step, the probe never left behind when it can be
 * deleted, and the Windows path — `net use` with the password on stdin only, always disconnected.
 *
 * Real permission cases (another user, read-only mounts, a full disk) run in `test/cli/cli-prepare.test.ts`;
 * here failures are injected through the file-system seam so every code and step is covered anywhere.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../electron/services/preparation/net-use';
import { buildNetUseConnect, buildNetUseDisconnect, isUncPath, netUseProblem, spawnRunner, uncShareRoot } from '../../electron/services/preparation/net-use';
import type { ShareFs } from '../../electron/services/preparation/share-access';
import { nodeShareFs, testShareAccess } from '../../electron/services/preparation/share-access';
import { tempDir } from './ipc-fixtures';
import { openContext } from './prep-helpers';

const errno = (code: string) => Object.assign(new Error(code), { code });

/** The real file system with one operation replaced. */
function failing(op: keyof ShareFs, code: string): ShareFs {
  return { ...nodeShareFs, [op]: () => Promise.reject(errno(code)) };
}

describe('testShareAccess', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('prep-share')));
  afterEach(() => cleanup());

  it('passes on a writable folder, removes its probe and records the test', async () => {
    const ctx = openContext(path.join(dir, 'data'));
    try {
      const result = await testShareAccess({ path: dir }, ctx);
      expect(result).toMatchObject({ schemaVersion: 1, ok: true, problem: null, leftover: null });
      expect(result.steps.map((s) => [s.step, s.status])).toEqual([
        ['list', 'ok'],
        ['create', 'ok'],
        ['read', 'ok'],
        ['delete', 'ok'],
      ]);
      expect(readdirSync(dir)).toEqual(['data']);
      expect(ctx.store.audit.list()[0]).toMatchObject({ action: 'share.test', detail: { ok: true, problem: null } });
    } finally {
      ctx.store.close();
    }
  });

  it('not-found: a missing folder, a file instead of a folder', async () => {
    const missing = await testShareAccess({ path: path.join(dir, 'nope') });
    expect(missing.problem).toMatchObject({ code: 'not-found', step: 'list' });
    expect(missing.problem!.message).toMatch(/does not exist or the share is not reachable/);
    expect(missing.steps.map((s) => s.status)).toEqual(['fail', 'skipped', 'skipped', 'skipped']);
    writeFileSync(path.join(dir, 'file'), 'x');
    const file = await testShareAccess({ path: path.join(dir, 'file') });
    expect(file.problem).toMatchObject({ code: 'not-found', step: 'list' });
    expect(file.problem!.message).toMatch(/is not a folder/);
  });

  it.each([
    ['list', 'EACCES', 'access-denied', /may not list/],
    ['create', 'EACCES', 'read-only', /can list .* but not create files in it/],
    ['create', 'EPERM', 'read-only', /read-only for it/],
    ['create', 'EROFS', 'read-only', /read-only file system/],
    ['create', 'ENOSPC', 'no-space', /No space left/],
    ['create', 'EDQUOT', 'no-space', /quota exceeded/],
    ['create', 'ENOENT', 'not-found', /disappeared during the test \(create\)/],
    ['read', 'EACCES', 'access-denied', /not read them back/],
    ['read', 'EIO', 'other', /The read step failed .*EIO/],
    ['remove', 'EPERM', 'access-denied', /not delete them/],
    ['create', 'ETIMEDOUT', 'other', /The create step failed .*ETIMEDOUT/],
  ] as const)('%s failing with %s is %s', async (op, code, expected, message) => {
    const result = await testShareAccess({ path: dir, fs: failing(op, code) });
    const step = op === 'remove' ? 'delete' : op;
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ code: expected, step });
    expect(result.problem!.message).toMatch(message);
    expect(result.problem!.hint.length).toBeGreaterThan(20);
    if (op === 'remove') {
      expect(result.leftover).toMatch(/\.azs-share-probe-[0-9a-f]+\.tmp$/);
      expect(existsSync(result.leftover!)).toBe(true);
    } else {
      expect(result.leftover).toBeNull();
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('other: content that reads back different, and the probe is still deleted', async () => {
    const fs: ShareFs = { ...nodeShareFs, read: async (file) => (await nodeShareFs.read(file)).subarray(1) };
    const result = await testShareAccess({ path: dir, fs });
    expect(result.problem).toMatchObject({ code: 'other', step: 'read' });
    expect(result.problem!.message).toMatch(/differs from what was written/);
    expect(result.steps.find((s) => s.step === 'delete')!.status).toBe('ok');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('net use (Windows)', () => {
  it('builds the connect command with the password on stdin only, never in the arguments', () => {
    const spec = buildNetUseConnect('\\\\fs01\\rotation\\Certificates', 'CONTOSO\\svc-rotate', 'S3cret!pass');
    expect(spec).toEqual({ command: 'net', args: ['use', '\\\\fs01\\rotation', '*', '/user:CONTOSO\\svc-rotate', '/persistent:no'], stdin: 'S3cret!pass\r\n' });
    expect(spec.args.join(' ')).not.toContain('S3cret');
    expect(buildNetUseDisconnect('\\\\fs01\\rotation\\x')).toEqual({ command: 'net', args: ['use', '\\\\fs01\\rotation', '/delete', '/y'], stdin: null });
  });

  it('refuses quotes and line breaks, and non-UNC paths', () => {
    expect(() => buildNetUseConnect('\\\\fs01\\share', 'bad"user', 'x')).toThrow(/quote or a line break/);
    expect(() => buildNetUseConnect('\\\\fs01\\share', 'user', 'two\nlines')).toThrow(/line break/);
    expect(() => uncShareRoot('/mnt/share')).toThrow(/not a UNC path/);
    expect(isUncPath('\\\\fs01\\share\\dir')).toBe(true);
    expect(isUncPath('C:\\share')).toBe(false);
  });

  it.each([
    ['System error 53 has occurred.\r\n\r\nThe network path was not found.', 'not-found'],
    ['System error 67 has occurred.', 'not-found'],
    ['System error 5 has occurred.\r\n\r\nAccess is denied.', 'access-denied'],
    ['System error 1326 has occurred.\r\n\r\nThe user name or password is incorrect.', 'access-denied'],
    ['System error 86 has occurred.', 'access-denied'],
    ['System error 1219 has occurred.', 'other'],
    ['something else', 'other'],
  ] as const)('maps %j to %s', (stderr, code) => {
    expect(netUseProblem({ code: 2, stdout: '', stderr }).code).toBe(code);
  });

  it('on win32 connects first, runs the steps and always disconnects', async () => {
    const calls: CommandSpec[] = [];
    const { dir, cleanup } = tempDir('prep-netuse');
    try {
      mkdirSync(path.join(dir, 'share'));
      // The UNC path is served by a local folder through the file-system seam.
      const local = (p: string) => p.replace('\\\\fs01\\rotation', path.join(dir, 'share')).replace(/\\/g, '/');
      const fs: ShareFs = {
        list: (d) => nodeShareFs.list(local(d)),
        create: (f, data) => nodeShareFs.create(local(f), data),
        read: (f) => nodeShareFs.read(local(f)),
        remove: (f) => nodeShareFs.remove(local(f)),
        isDirectory: (d) => nodeShareFs.isDirectory(local(d)),
      };
      const runner = async (spec: CommandSpec) => {
        calls.push(spec);
        return { code: 0, stdout: 'The command completed successfully.', stderr: '' };
      };
      const ok = await testShareAccess({ path: '\\\\fs01\\rotation', credential: { user: 'CONTOSO\\svc', password: 'pw-123' }, platform: 'win32', runner, fs });
      expect(ok.ok).toBe(true);
      expect(ok.steps.map((s) => s.step)).toEqual(['connect', 'list', 'create', 'read', 'delete']);
      expect(calls.map((c) => c.args[2])).toEqual(['*', '/delete']);

      calls.length = 0;
      const denied = await testShareAccess({
        path: '\\\\fs01\\rotation',
        credential: { user: 'CONTOSO\\svc', password: 'bad' },
        platform: 'win32',
        runner: async (spec) => {
          calls.push(spec);
          return { code: 2, stdout: '', stderr: 'System error 1326 has occurred.' };
        },
        fs,
      });
      expect(denied.problem).toMatchObject({ code: 'access-denied', step: 'connect' });
      expect(denied.steps.map((s) => s.status)).toEqual(['fail', 'skipped', 'skipped', 'skipped', 'skipped']);
      expect(calls).toHaveLength(1);
    } finally {
      cleanup();
    }
  });

  it('the real runner gives the child no secret: no AZS_* secret variable, no variable holding the stdin password', async () => {
    const planted: Record<string, string> = {
      AZS_SHARE_PASSWORD: 'share-secret-4411',
      AZS_PFX_PASSWORD: 'pfx-secret-4412',
      AZS_NEW_PFX_PASSWORD: 'new-pfx-secret-4413',
      AZS_KEY_PASSPHRASE: 'passphrase-secret-4414',
      AZS_PEP_PASSWORD: 'pep-secret-4415',
      AZS_BMC_PASSWORD: 'bmc-secret-4416',
      AZS_FUTURE_SECRET: 'future-secret-4417',
      // Not named like a secret, but carrying the very password net use gets on stdin.
      SOME_TOOL_TOKEN: 'stdin-password-4418',
      AZS_DATA_DIR: '/kept/because/not/secret',
    };
    const saved = Object.fromEntries(Object.keys(planted).map((k) => [k, process.env[k]]));
    Object.assign(process.env, planted);
    try {
      // Node stands in for net.exe: it prints its whole environment and echoes the stdin line count.
      const outcome = await spawnRunner({
        command: process.execPath,
        args: ['-e', "let n='';process.stdin.on('data',(d)=>n+=d).on('end',()=>console.log(JSON.stringify({env:process.env,stdinBytes:n.length})))"],
        stdin: 'stdin-password-4418\r\n',
      });
      expect(outcome.code, outcome.stderr).toBe(0);
      const seen = JSON.parse(outcome.stdout) as { env: Record<string, string>; stdinBytes: number };
      expect(seen.stdinBytes).toBe('stdin-password-4418\r\n'.length);
      for (const [key, value] of Object.entries(planted)) {
        if (key === 'AZS_DATA_DIR') continue;
        expect(seen.env, key).not.toHaveProperty(key);
        expect(JSON.stringify(seen.env)).not.toContain(value);
      }
      expect(seen.env.AZS_DATA_DIR).toBe('/kept/because/not/secret');
      expect(seen.env.PATH).toBe(process.env.PATH);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('says so when net.exe cannot be started', async () => {
    const result = await testShareAccess({
      path: '\\\\fs01\\rotation',
      credential: { user: 'u', password: 'p' },
      platform: 'win32',
      runner: () => Promise.reject(Object.assign(new Error('spawn net ENOENT'), { code: 'ENOENT' })),
    });
    expect(result.problem).toMatchObject({ code: 'other', step: 'connect', message: expect.stringMatching(/net\.exe could not be started \(ENOENT\)/) });
  });

  it('refuses a credential off Windows or without a UNC path', async () => {
    await expect(testShareAccess({ path: '/mnt/share', credential: { user: 'u', password: 'p' }, platform: 'linux' })).rejects.toThrow(/net use on Windows only/);
    await expect(testShareAccess({ path: 'C:\\share', credential: { user: 'u', password: 'p' }, platform: 'win32' })).rejects.toThrow(/not a UNC path/);
  });
});
