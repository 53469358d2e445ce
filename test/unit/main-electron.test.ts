/**
 * Loads the real `electron/main/main.ts` against a stubbed `electron` module and checks what it wires:
 * the window's security options, the web contents and session hardening, the menu, and one IPC handler
 * per contract channel behind the sender check.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/security';
import { IPC_CONTRACT, IPC_EVENT_CHANNEL } from '../../shared/ipc/contract';
import { tempDir } from './ipc-fixtures';

type Listener = (...args: unknown[]) => unknown;

const h = vi.hoisted(() => {
  class FakeWebContents {
    static nextId = 1;
    id = FakeWebContents.nextId++;
    listeners = new Map<string, Listener>();
    windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
    send = vi.fn();
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.windowOpenHandler = handler;
    }
    on(name: string, listener: Listener) {
      this.listeners.set(name, listener);
      return this;
    }
    isDestroyed() {
      return false;
    }
  }
  const state = {
    appListeners: new Map<string, Listener>(),
    paths: new Map<string, string>(),
    appPath: '',
    windows: [] as { options: Record<string, unknown>; webContents: InstanceType<typeof FakeWebContents>; loadFile: ReturnType<typeof vi.fn> }[],
    ipcHandlers: new Map<string, Listener>(),
    headersListener: null as Listener | null,
    permissionRequest: null as Listener | null,
    permissionCheck: null as Listener | null,
    menuTemplate: null as unknown,
    FakeWebContents,
  };
  return state;
});

vi.mock('electron', () => {
  class BrowserWindow {
    options: Record<string, unknown>;
    webContents: InstanceType<typeof h.FakeWebContents>;
    loadFile = vi.fn(async () => undefined);
    constructor(options: Record<string, unknown>) {
      this.options = options;
      this.webContents = new h.FakeWebContents();
      h.windows.push(this);
      // Electron announces every new web contents to the app; main.ts hardens it there.
      h.appListeners.get('web-contents-created')?.({}, this.webContents);
    }
    once() {
      return this;
    }
    on() {
      return this;
    }
    show() {}
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
    static getAllWindows() {
      return h.windows;
    }
  }
  const app = {
    isPackaged: false,
    on: vi.fn((name: string, listener: Listener) => {
      h.appListeners.set(name, listener);
      return app;
    }),
    whenReady: vi.fn(() => Promise.resolve()),
    getPath: vi.fn((name: string) => h.paths.get(name) ?? path.join(h.appPath, `path-${name}`)),
    setPath: vi.fn((name: string, value: string) => h.paths.set(name, value)),
    getAppPath: vi.fn(() => h.appPath),
    getVersion: vi.fn(() => '1.2.3'),
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
  };
  const electron = {
    app,
    BrowserWindow,
    ipcMain: {
      handle: vi.fn((channel: string, listener: Listener) => h.ipcHandlers.set(channel, listener)),
      removeHandler: vi.fn((channel: string) => h.ipcHandlers.delete(channel)),
    },
    Menu: {
      buildFromTemplate: vi.fn((template: unknown) => {
        h.menuTemplate = template;
        return { template };
      }),
      setApplicationMenu: vi.fn(),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: vi.fn((listener: Listener) => (h.headersListener = listener)) },
        setPermissionRequestHandler: vi.fn((listener: Listener) => (h.permissionRequest = listener)),
        setPermissionCheckHandler: vi.fn((listener: Listener) => (h.permissionCheck = listener)),
      },
    },
    dialog: {
      showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/shares/from-menu'] })),
      showSaveDialog: vi.fn(async () => ({ canceled: true })),
      showMessageBox: vi.fn(async () => ({ response: 0 })),
      showErrorBox: vi.fn(),
    },
    shell: { openExternal: vi.fn(async () => undefined), openPath: vi.fn(async () => '') },
  };
  return { ...electron, default: electron };
});

const electron = await import('electron');

describe('electron main', () => {
  let cleanup: () => void;
  let dataDir: string;
  let rendererUrl: string;

  beforeAll(async () => {
    const tmp = tempDir('main');
    cleanup = tmp.cleanup;
    h.appPath = tmp.dir;
    dataDir = path.join(tmp.dir, 'data');
    mkdirSync(path.join(tmp.dir, 'dist', 'renderer'), { recursive: true });
    rendererUrl = pathToFileURL(path.join(tmp.dir, 'dist', 'renderer', 'index.html')).href;
    vi.stubEnv('AZS_DATA_DIR', dataDir);
    // Refused senders are logged on purpose; keep the test output readable.
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await import('../../electron/main/main');
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
  });

  afterAll(() => {
    h.appListeners.get('will-quit')?.();
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    cleanup();
  });

  const win = () => h.windows[0]!;

  it('uses the data folder from AZS_DATA_DIR, sandboxes every renderer and holds a single-instance lock', () => {
    expect(electron.app.setPath).toHaveBeenCalledWith('userData', dataDir);
    expect(electron.app.enableSandbox).toHaveBeenCalled();
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalled();
  });

  it('creates the window with isolation, sandbox and no Node, and loads the built renderer', () => {
    const prefs = win().options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      preload: path.join(h.appPath, 'dist', 'electron', 'preload.cjs'),
    });
    expect(win().loadFile).toHaveBeenCalledWith(path.join(h.appPath, 'dist', 'renderer', 'index.html'));
  });

  it('denies new windows, handing https links to the browser', () => {
    const handler = win().webContents.windowOpenHandler!;
    expect(handler({ url: 'https://learn.microsoft.com/azure-stack/' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://learn.microsoft.com/azure-stack/');
    vi.mocked(electron.shell.openExternal).mockClear();
    expect(handler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('prevents navigation and webview attachment', () => {
    for (const name of ['will-navigate', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      win().webContents.listeners.get(name)!(event, 'https://evil.example/');
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
  });

  it('sets the CSP header on responses, replacing any other, and denies permissions', () => {
    const callback = vi.fn();
    h.headersListener!({ url: rendererUrl, responseHeaders: { 'content-security-policy': ["default-src *"], 'X-Other': ['1'] } }, callback);
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
    const decide = vi.fn();
    h.permissionRequest!({}, 'media', decide);
    expect(decide).toHaveBeenCalledWith(false);
    expect(h.permissionCheck!({}, 'clipboard-read')).toBe(false);
  });

  it('installs a File/Edit/View/Help menu whose items work', async () => {
    const template = h.menuTemplate as { label: string; submenu: { label?: string; role?: string; click?: () => void }[] }[];
    expect(template.map((m) => m.label.replace('&', ''))).toEqual(
      process.platform === 'darwin' ? ['Rotation Workbench for Azure Stack Hub', 'File', 'Edit', 'View', 'Help'] : ['File', 'Edit', 'View', 'Help'],
    );
    const menu = (label: string) => template.find((m) => m.label === `&${label}`)!.submenu;
    expect(menu('Edit').map((i) => i.role)).toEqual(expect.arrayContaining(['copy', 'paste', 'cut', 'undo', 'selectAll']));
    expect(menu('View').map((i) => i.role)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']));

    menu('Help').find((i) => i.label?.startsWith('About'))!.click!();
    expect(electron.dialog.showMessageBox).toHaveBeenCalledWith(win(), expect.objectContaining({ detail: expect.stringContaining('Version 1.2.3') }));

    menu('File').find((i) => i.label === 'Open share folder…')!.click!();
    await vi.waitFor(() =>
      expect(win().webContents.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, { name: 'app.shareFolderOpened', payload: { path: '/shares/from-menu' } }),
    );
  });

  it('registers ipcMain.handle for every contract channel', () => {
    expect([...h.ipcHandlers.keys()].sort()).toEqual(Object.keys(IPC_CONTRACT).sort());
  });

  it('answers our window’s top frame and refuses any other frame', async () => {
    const handler = h.ipcHandlers.get('app.getInfo')!;
    const ours = { sender: win().webContents, senderFrame: { url: rendererUrl, parent: null } };
    expect(await handler(ours, {})).toEqual({
      ok: true,
      value: { version: '1.2.3', dataDir, platform: process.platform, databasePath: path.join(dataDir, 'workbench.db') },
    });

    const refused = [
      { ...ours, sender: new h.FakeWebContents() },
      { ...ours, senderFrame: { url: rendererUrl, parent: { url: rendererUrl } } },
      { ...ours, senderFrame: { url: 'https://evil.example/', parent: null } },
      { ...ours, senderFrame: null },
    ];
    for (const event of refused) {
      expect(await handler(event, {})).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
    }
  });

  it('forwards backend events to the window on the event channel', async () => {
    const start = h.ipcHandlers.get('validation.start')!;
    const ours = { sender: win().webContents, senderFrame: { url: rendererUrl, parent: null } };
    const result = (await start(ours, {
      stampId: null,
      root: h.appPath,
      identity: 'aad',
      region: 'east',
      fqdn: 'azurestack.contoso.com',
      paasDir: null,
      password: 'x',
      currentCa: 'public',
      stampVersion: null,
    })) as { ok: boolean; value: { jobId: string } };
    expect(result.ok).toBe(true);
    await vi.waitFor(() =>
      expect(win().webContents.send).toHaveBeenCalledWith(
        IPC_EVENT_CHANNEL,
        expect.objectContaining({ name: 'validation.finished', payload: expect.objectContaining({ jobId: result.value.jobId }) }),
      ),
    );
  });
});
