/**
 * `azs-rotate share-test`: proves the account can list, create, read back and delete a file in a share.
 *
 * The rotation needs all four (the PEP reads the share; placing, restoring and cleaning write and delete),
 * and each failure has one problem code with a message that says what was refused and what to check:
 * `not-found`, `access-denied`, `read-only`, `no-space`, `other`. With a credential on Windows the share
 * is connected with `net use` first (password on stdin) and disconnected afterwards; it is never stored.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors';
import type { PrepContext } from './context';
import { audit } from './context';
import type { CommandRunner } from './net-use';
import { buildNetUseConnect, buildNetUseDisconnect, isUncPath, netUseProblem, spawnRunner } from './net-use';
import { errnoOf } from './safe-files';

/** Problem codes of the share test (CLI contract). */
export const SHARE_PROBLEM_CODES = ['not-found', 'access-denied', 'read-only', 'no-space', 'other'] as const;
/** A problem code. */
export type ShareProblemCode = (typeof SHARE_PROBLEM_CODES)[number];

/** The steps, in order (`connect` only with a credential on Windows). */
export type ShareStep = 'connect' | 'list' | 'create' | 'read' | 'delete';

/** One step's outcome. */
export interface ShareStepResult {
  readonly step: ShareStep;
  readonly status: 'ok' | 'fail' | 'skipped';
  readonly ms: number;
}

/** The `share-test --json` document (schemaVersion 1). */
export interface ShareTestResult {
  readonly schemaVersion: 1;
  readonly path: string;
  readonly ok: boolean;
  readonly steps: ShareStepResult[];
  readonly problem: { readonly code: ShareProblemCode; readonly step: ShareStep; readonly message: string; readonly hint: string } | null;
  /** A probe file left behind because it could not be deleted. */
  readonly leftover: string | null;
}

/** The file operations the test uses; tests substitute failing ones. */
export interface ShareFs {
  list(dir: string): Promise<unknown>;
  create(file: string, data: Buffer): Promise<void>;
  read(file: string): Promise<Buffer>;
  remove(file: string): Promise<void>;
  isDirectory(target: string): Promise<boolean>;
}

/** The real file system: create is exclusive and flushed, so a full disk shows at create, not later. */
export const nodeShareFs: ShareFs = {
  list: (dir) => readdir(dir),
  async create(file, data) {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  read: (file) => readFile(file),
  remove: (file) => unlink(file),
  isDirectory: async (target) => (await stat(target)).isDirectory(),
};

/** Inputs of {@link testShareAccess}. */
export interface ShareTestOptions {
  readonly path: string;
  /** Share credential (Windows only): connects with `net use` first. Never stored. */
  readonly credential?: { readonly user: string; readonly password: string } | null;
  readonly platform?: NodeJS.Platform;
  readonly runner?: CommandRunner;
  readonly fs?: ShareFs;
  /** Size of the probe file (default 64 KiB: larger than any PFX, small enough to be quick). */
  readonly probeBytes?: number;
}

const HINTS: Record<ShareProblemCode, string> = {
  'not-found': 'Check the path (the share, and the folder inside it), that the file server is reachable, and on Windows that the share is connected.',
  'access-denied': 'Give this account read and write access to the share and the folder (share permissions and NTFS permissions), or run as an account that has it.',
  'read-only': 'The rotation needs write access for placing and cleaning files: make the folder or share writable for this account (share and NTFS permissions, read-only attribute, read-only mount).',
  'no-space': 'Free space on the share (or raise the quota): PFX files are small, but nothing can be written now.',
  other: 'Check the share and the network, then test again; run with --debug for the system error code.',
};

function classify(step: ShareStep, code: string | undefined, target: string): { code: ShareProblemCode; message: string } {
  const c = code ?? 'unknown';
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return step === 'list'
      ? { code: 'not-found', message: code === 'ENOTDIR' ? `${target} is not a folder (a part of the path is a file).` : `${target} does not exist or the share is not reachable.` }
      : { code: 'not-found', message: `${target} disappeared during the test (${step}): the share dropped or the folder was removed.` };
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') return { code: 'no-space', message: `No space left on ${target}: the probe file could not be written (${c}${code === 'EDQUOT' ? ', quota exceeded' : ''}).` };
  if (code === 'EROFS') return { code: 'read-only', message: `${target} is on a read-only file system: files can be listed but not created.` };
  if (code === 'EACCES' || code === 'EPERM') {
    switch (step) {
      case 'list':
        return { code: 'access-denied', message: `This account may not list ${target} (permission denied).` };
      case 'create':
        return { code: 'read-only', message: `This account can list ${target} but not create files in it: the folder or share is read-only for it.` };
      case 'read':
        return { code: 'access-denied', message: `This account can create files in ${target} but not read them back (permission denied on read).` };
      default:
        return { code: 'access-denied', message: `This account can create files in ${target} but not delete them (permission denied on delete); cleaning the share after a rotation would fail.` };
    }
  }
  if (code === 'EEXIST') return { code: 'other', message: `A probe file name collided in ${target}; run the test again.` };
  return { code: 'other', message: `The ${step} step failed on ${target} (${c}).` };
}

/**
 * Runs the test and returns its result; never throws for an access problem (that is the result).
 *
 * Throws `invalid-request` when a credential is given where it cannot be used (not Windows, not UNC).
 */
export async function testShareAccess(options: ShareTestOptions, ctx?: PrepContext): Promise<ShareTestResult> {
  const fs = options.fs ?? nodeShareFs;
  const platform = options.platform ?? process.platform;
  const runner = options.runner ?? spawnRunner;
  const target = options.path;
  const steps: ShareStepResult[] = [];
  const order: ShareStep[] = options.credential ? ['connect', 'list', 'create', 'read', 'delete'] : ['list', 'create', 'read', 'delete'];
  // Held in an object: closures set it, and TypeScript does not track assignments made inside them.
  const state: { problem: ShareTestResult['problem']; leftover: string | null } = { problem: null, leftover: null };

  if (options.credential) {
    if (platform !== 'win32') {
      throw new AppError(
        'invalid-request',
        'A share credential is used with net use on Windows only.',
        'On this system mount the share first (for example mount -t cifs //server/share /mnt/share -o username=…) and test the mount point without a credential.',
      );
    }
    if (!isUncPath(target)) throw new AppError('invalid-request', `${target} is not a UNC path; a share credential needs \\\\server\\share\\….`, 'Give the share as \\\\server\\share\\folder, or drop the credential for a local or mapped path.');
  }

  const fail = (step: ShareStep, code: ShareProblemCode, message: string) => {
    state.problem = { code, step, message, hint: HINTS[code] };
  };
  const timed = async (step: ShareStep, work: () => Promise<void>): Promise<boolean> => {
    if (state.problem) {
      steps.push({ step, status: 'skipped', ms: 0 });
      return false;
    }
    const started = performance.now();
    try {
      await work();
      steps.push({ step, status: 'ok', ms: Math.round(performance.now() - started) });
      return true;
    } catch (error) {
      steps.push({ step, status: 'fail', ms: Math.round(performance.now() - started) });
      if (!state.problem) {
        const c = classify(step, errnoOf(error), target);
        fail(step, c.code, c.message);
      }
      return false;
    }
  };

  let connected = false;
  const probe = path.join(target, `.azs-share-probe-${randomBytes(6).toString('hex')}.tmp`);
  const data = randomBytes(options.probeBytes ?? 64 * 1024);
  try {
    if (options.credential) {
      await timed('connect', async () => {
        let outcome;
        try {
          outcome = await runner(buildNetUseConnect(target, options.credential!.user, options.credential!.password));
        } catch (error) {
          const message = `net.exe could not be started (${errnoOf(error) ?? 'error'}); the share cannot be connected with a credential.`;
          fail('connect', 'other', message);
          throw new Error(message, { cause: error });
        }
        if (outcome.code !== 0) {
          const p = netUseProblem(outcome);
          fail('connect', p.code, p.message);
          throw new Error(p.message);
        }
        connected = true;
      });
    }
    await timed('list', async () => {
      if (!(await fs.isDirectory(target))) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      await fs.list(target);
    });
    const created = await timed('create', () => fs.create(probe, data));
    await timed('read', async () => {
      const back = await fs.read(probe);
      if (!back.equals(data)) {
        fail('read', 'other', `The probe file read back from ${target} differs from what was written (${back.length} of ${data.length} bytes, content changed): the share corrupts or truncates files.`);
        throw new Error('mismatch');
      }
    });
    if (created) {
      // Delete even after a failed read: the probe must not stay in the share.
      const started = performance.now();
      try {
        await fs.remove(probe);
        steps.push({ step: 'delete', status: 'ok', ms: Math.round(performance.now() - started) });
      } catch (error) {
        state.leftover = probe;
        steps.push({ step: 'delete', status: 'fail', ms: Math.round(performance.now() - started) });
        if (!state.problem) {
          const c = classify('delete', errnoOf(error), target);
          fail('delete', c.code, c.message);
        }
      }
    } else {
      steps.push({ step: 'delete', status: 'skipped', ms: 0 });
    }
  } finally {
    if (connected) await runner(buildNetUseDisconnect(target)).catch(() => undefined);
  }
  const ordered = order.map((step) => steps.find((s) => s.step === step) ?? { step, status: 'skipped' as const, ms: 0 });
  const result: ShareTestResult = { schemaVersion: 1, path: target, ok: state.problem === null, steps: ordered, problem: state.problem, leftover: state.leftover };
  if (ctx) {
    const p = result.problem;
    audit(ctx, 'share.test', `share:${target}`, { path: target, ok: result.ok, problem: p ? p.code : null, step: p ? p.step : null, withCredential: !!options.credential });
  }
  return result;
}
