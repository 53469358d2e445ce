import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { createIpcRegistry, describeIssues, type Logger } from '../../electron/main/ipc-registry';
import { isTrustedUrl } from '../../electron/main/sender-trust';
import { AppError, INTERNAL_ERROR_MESSAGE } from '../../electron/services/errors';
import { buildWorkbenchApi, EVENT_CHANNEL, IPC_CHANNEL_NAMES, IPC_EVENT_NAMES } from '../../shared/ipc/build-api';
import { IPC_CONTRACT, IPC_EVENT_CHANNEL, IPC_EVENTS, type IpcEventName } from '../../shared/ipc/contract';
import { stampInput, trustedSender } from './ipc-fixtures';

const rendererDir = path.resolve('/opt/workbench/dist/renderer');
const sender = trustedSender(rendererDir);

function setup(options: { validateResponses?: boolean; trustedOrigins?: string[] } = {}) {
  const logger = { error: vi.fn<Logger['error']>(), warn: vi.fn<Logger['warn']>() };
  const registry = createIpcRegistry({ trust: { rendererDir, trustedOrigins: options.trustedOrigins }, logger, validateResponses: options.validateResponses ?? true });
  return { registry, logger };
}

const info = { version: '1.0.0', dataDir: '/d', platform: 'linux', databasePath: '/d/workbench.db' };

describe('ipc registry', () => {
  it('runs a handler with the parsed request and wraps its answer', async () => {
    const { registry } = setup();
    const handler = vi.fn((request: unknown) => ({ ...stampInput(), ...(request as object), id: 1, createdAt: 't', updatedAt: 't' }));
    registry.handle('stamps.create', handler);
    const { rehearsal: _omitted, ...input } = stampInput();
    const result = await registry.invoke('stamps.create', input, sender);
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ id: 1, name: 'Lab East' }) });
    // zod defaults are applied before the handler sees the request.
    expect(handler.mock.calls[0]![0]).toMatchObject({ rehearsal: false });
  });

  it('refuses an unknown channel, including prototype names', async () => {
    const { registry } = setup();
    for (const channel of ['stamps.drop', 'constructor', '__proto__', 'toString']) {
      const result = await registry.invoke(channel, {}, sender);
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    }
  });

  it('refuses untrusted senders before looking at the channel', async () => {
    const { registry, logger } = setup();
    registry.handle('app.getInfo', () => info);
    const untrusted = [
      { ...sender, trusted: false },
      { ...sender, isMainFrame: false },
      { ...sender, url: 'https://evil.example/index.html' },
      { ...sender, url: pathToFileURL('/etc/passwd').href },
      { ...sender, url: `${pathToFileURL(rendererDir).href}/../../../../etc/x.html` },
      { ...sender, url: pathToFileURL(`${rendererDir}-evil/index.html`).href },
      { ...sender, url: 'not a url' },
      { ...sender, url: 'data:text/html,<p>x' },
    ];
    for (const s of untrusted) {
      expect(await registry.invoke('app.getInfo', {}, s), s.url).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
    }
    expect(await registry.invoke('no.such', {}, { ...sender, trusted: false })).toMatchObject({ error: { code: 'untrusted-sender' } });
    expect(logger.warn).toHaveBeenCalled();
  });

  it('consults the request gate only after the sender and channel checks, and before the handler', async () => {
    const { registry } = setup();
    const handler = vi.fn(() => info);
    registry.handle('app.getInfo', handler);
    const gate = vi.fn(() => ({ ok: false as const, error: { code: 'conflict' as const, message: 'Review mode is read-only.', hint: 'Close review mode.' } }));
    registry.setGate(gate);
    // An untrusted frame is refused as such: the gate, which knows the app's state, is not even asked.
    expect(await registry.invoke('app.getInfo', {}, { ...sender, trusted: false })).toMatchObject({ error: { code: 'untrusted-sender' } });
    expect(await registry.invoke('no.such', {}, sender)).toMatchObject({ error: { code: 'unknown-channel' } });
    expect(gate).not.toHaveBeenCalled();
    expect(await registry.invoke('app.getInfo', {}, sender)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(gate).toHaveBeenCalledWith('app.getInfo');
    expect(handler).not.toHaveBeenCalled();
    registry.setGate(() => null);
    expect(await registry.invoke('app.getInfo', {}, sender)).toEqual({ ok: true, value: info });
  });

  it('accepts an allow-listed origin for tests', async () => {
    const { registry } = setup({ trustedOrigins: ['http://127.0.0.1:5173', pathToFileURL('/tmp/e2e-renderer/').href] });
    registry.handle('app.getInfo', () => info);
    expect(await registry.invoke('app.getInfo', {}, { ...sender, url: 'http://127.0.0.1:5173/#/stamps' })).toMatchObject({ ok: true });
    expect(await registry.invoke('app.getInfo', {}, { ...sender, url: pathToFileURL('/tmp/e2e-renderer/index.html').href })).toMatchObject({ ok: true });
    expect(await registry.invoke('app.getInfo', {}, { ...sender, url: 'http://127.0.0.1:5174/' })).toMatchObject({ error: { code: 'untrusted-sender' } });
  });

  it('answers invalid-request naming every bad field', async () => {
    const { registry } = setup();
    const handler = vi.fn();
    registry.handle('stamps.create', handler);
    const result = await registry.invoke('stamps.create', { ...stampInput(), name: '', region: 'not a label!', colour: 'red' }, sender);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-request');
    expect(result.error.message).toContain('Invalid request for stamps.create');
    expect(result.error.message).toContain('name: Enter a name for the stamp.');
    expect(result.error.message).toMatch(/region: "not a label!" is not a DNS label/);
    expect(result.error.message).toContain('unexpected field "colour"');
    expect(handler).not.toHaveBeenCalled();

    const notAnObject = await registry.invoke('stamps.create', 'hello', sender);
    expect(notAnObject).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('never echoes a password field in an invalid-request message', async () => {
    const { registry } = setup();
    registry.handle('validation.start', () => ({ jobId: 'x' }));
    const result = await registry.invoke(
      'validation.start',
      { stampId: null, root: '', identity: 'aad', region: 'east', fqdn: 'f.example', paasDir: null, password: 12345, currentCa: 'public', stampVersion: null },
      sender,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    if (result.ok) return;
    expect(result.error.message).toContain('root: Choose the share folder first.');
    expect(result.error.message).toContain('password: invalid value');
    expect(result.error.message).not.toContain('12345');
  });

  it('maps a thrown AppError to its code, message and hint', async () => {
    const { registry, logger } = setup();
    registry.handle('stamps.remove', () => {
      throw new AppError('conflict', 'The stamp is in use.', 'Wait for the run to finish.');
    });
    expect(await registry.invoke('stamps.remove', { id: 3 }, sender)).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'The stamp is in use.', hint: 'Wait for the run to finish.' },
    });
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('maps any other error to internal without a stack, and logs the detail', async () => {
    const { registry, logger } = setup();
    const boom = new Error('SQLITE_CORRUPT at /home/op/secret/path.db');
    registry.handle('stamps.list', async () => {
      throw boom;
    });
    const result = await registry.invoke('stamps.list', {}, sender);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', message: INTERNAL_ERROR_MESSAGE } });
    const text = JSON.stringify(result);
    expect(text).not.toContain('SQLITE_CORRUPT');
    expect(text).not.toMatch(/\bat .*\.ts:\d+/);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('stamps.list'), boom);
  });

  it('checks responses against the contract when asked to', async () => {
    const strict = setup({ validateResponses: true });
    strict.registry.handle('app.getInfo', () => ({ version: 1 }) as never);
    expect(await strict.registry.invoke('app.getInfo', {}, sender)).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(strict.logger.error).toHaveBeenCalled();

    const lax = setup({ validateResponses: false });
    lax.registry.handle('app.getInfo', () => ({ version: 1 }) as never);
    expect(await lax.registry.invoke('app.getInfo', {}, sender)).toEqual({ ok: true, value: { version: 1 } });
  });

  it('refuses registering a channel twice or one outside the contract, and reports missing ones', () => {
    const { registry } = setup();
    registry.handle('app.getInfo', () => info);
    expect(() => registry.handle('app.getInfo', () => info)).toThrow(/already registered/);
    expect(() => registry.handle('nope' as never, () => info as never)).toThrow(/not a channel/);
    expect(registry.missingChannels()).toEqual(Object.keys(IPC_CONTRACT).filter((c) => c !== 'app.getInfo'));
  });

  it('fans events out, survives a throwing listener and stops after unsubscribe', () => {
    const { registry, logger } = setup();
    const seen: string[] = [];
    registry.onEvent(() => {
      throw new Error('window gone');
    });
    const off = registry.onEvent((name) => seen.push(name));
    registry.emit('validation.progress', { jobId: 'j', done: 1, total: 2, file: 'a.pfx' });
    off();
    registry.emit('validation.progress', { jobId: 'j', done: 2, total: 2, file: null });
    expect(seen).toEqual(['validation.progress']);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('listener'), expect.any(Error));
  });

  it('drops an event whose payload breaks the contract when validating', () => {
    const { registry, logger } = setup();
    const listener = vi.fn();
    registry.onEvent(listener);
    registry.emit('validation.progress', { jobId: 'j' } as never);
    expect(listener).not.toHaveBeenCalled();
    expect(logger.error).toHaveBeenCalled();
  });

  it('describes nested issues with their path', () => {
    expect(describeIssues([{ code: 'custom', path: ['ercsIps', 1], message: 'bad', input: undefined }] as never)).toBe('ercsIps.1: bad');
  });
});

describe('sender trust', () => {
  it('compares Windows paths without regard to case', () => {
    const policy = { rendererDir: 'C:\\Program Files\\Workbench\\resources\\app.asar\\dist\\renderer' };
    expect(isTrustedUrl('file:///c:/program%20files/workbench/resources/app.asar/dist/renderer/index.html', policy, 'win32')).toBe(true);
    expect(isTrustedUrl('file:///C:/Program%20Files/Workbench/resources/app.asar/dist/other.html', policy, 'win32')).toBe(false);
    expect(isTrustedUrl('file://attacker/share/index.html', policy, 'win32')).toBe(false);
  });
});

describe('buildWorkbenchApi', () => {
  it('lists exactly the contract channels and events', () => {
    expect([...IPC_CHANNEL_NAMES].sort()).toEqual(Object.keys(IPC_CONTRACT).sort());
    expect([...IPC_EVENT_NAMES].sort()).toEqual(Object.keys(IPC_EVENTS).sort());
    expect(EVENT_CHANNEL).toBe(IPC_EVENT_CHANNEL);
  });

  it('has one method per channel that invokes it, with {} for an omitted request', async () => {
    const invoke = vi.fn(async () => ({ ok: true as const, value: 'v' }));
    const api = buildWorkbenchApi(invoke, () => () => {});
    for (const channel of IPC_CHANNEL_NAMES) {
      const [domain, method] = channel.split('.') as [string, string];
      expect(typeof (api as unknown as Record<string, Record<string, unknown>>)[domain]![method], channel).toBe('function');
    }
    await api.stamps.remove({ id: 4 });
    await (api.app.getInfo as unknown as () => Promise<unknown>)();
    expect(invoke.mock.calls).toEqual([
      ['stamps.remove', { id: 4 }],
      ['app.getInfo', {}],
    ]);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('turns a broken transport into an internal error result', async () => {
    const api = buildWorkbenchApi(() => Promise.reject(new Error('pipe closed')), () => () => {});
    expect(await api.stamps.list({})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('delivers only the subscribed event and unsubscribes', () => {
    const listeners = new Set<(name: IpcEventName, payload: unknown) => void>();
    const api = buildWorkbenchApi(
      async () => ({ ok: true, value: null }),
      (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    );
    const got: unknown[] = [];
    const off = api.on('validation.finished', (p) => got.push(p));
    for (const l of listeners) l('validation.progress', { n: 1 });
    for (const l of listeners) l('validation.finished', { n: 2 });
    off();
    expect(listeners.size).toBe(0);
    expect(got).toEqual([{ n: 2 }]);
    expect(() => api.on('nope' as never, () => {})).toThrow(/Unknown event/);
  });
});
