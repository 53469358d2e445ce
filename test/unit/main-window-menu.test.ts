import { describe, expect, it, vi } from 'vitest';
import { senderOf } from '../../electron/main/ipc-bridge';
import { buildMenuTemplate } from '../../electron/main/menu-template';
import { createNativeDialogs } from '../../electron/main/native-dialogs';
import { CONTENT_SECURITY_POLICY, hardenWebContents, installSessionSecurity, withContentSecurityPolicy } from '../../electron/main/security';
import { buildWindowOptions } from '../../electron/main/window-options';

const noop = () => {};
const menuInput = { appName: 'Rotation Workbench for Azure Stack Hub', onOpenShareFolder: noop, onShowDataFolder: noop, onAbout: noop };
type Item = { label?: string; role?: string; submenu?: Item[] };
const roles = (items: Item[]): string[] => items.flatMap((i) => [...(i.role ? [i.role] : []), ...roles(i.submenu ?? [])]);

describe('window options', () => {
  it('locks the renderer down and turns DevTools off when packaged', () => {
    const packaged = buildWindowOptions({ preloadPath: '/app/dist/electron/preload.cjs', isPackaged: true, title: 'T' });
    expect(packaged.webPreferences).toEqual(
      expect.objectContaining({
        preload: '/app/dist/electron/preload.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        navigateOnDragDrop: false,
        devTools: false,
      }),
    );
    expect(packaged.show).toBe(false);
    expect(buildWindowOptions({ preloadPath: 'p', isPackaged: false, title: 'T' }).webPreferences?.devTools).toBe(true);
  });
});

describe('menu template', () => {
  it('offers reload and DevTools only in development', () => {
    const dev = buildMenuTemplate({ ...menuInput, isPackaged: false, platform: 'win32' }) as Item[];
    const packaged = buildMenuTemplate({ ...menuInput, isPackaged: true, platform: 'win32' }) as Item[];
    expect(roles(dev)).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
    expect(roles(packaged)).not.toEqual(expect.arrayContaining(['toggleDevTools']));
    expect(roles(packaged)).not.toContain('reload');
    expect(roles(packaged)).toEqual(expect.arrayContaining(['quit', 'togglefullscreen', 'zoomIn']));
    expect(packaged.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
  });

  it('adds the app menu on macOS and wires the click callbacks', () => {
    const onAbout = vi.fn();
    const onOpenShareFolder = vi.fn();
    const mac = buildMenuTemplate({ ...menuInput, onAbout, onOpenShareFolder, isPackaged: true, platform: 'darwin' }) as (Item & { submenu: (Item & { click?: () => void })[] })[];
    expect(mac.map((m) => m.label)).toEqual(['Rotation Workbench for Azure Stack Hub', '&File', '&Edit', '&View', '&Help']);
    mac[0]!.submenu[0]!.click!();
    mac[1]!.submenu[0]!.click!();
    expect(onAbout).toHaveBeenCalledOnce();
    expect(onOpenShareFolder).toHaveBeenCalledOnce();
  });
});

describe('security helpers', () => {
  it('replaces CSP headers of any spelling and keeps the others', () => {
    expect(withContentSecurityPolicy({ 'Content-Security-Policy': ['x'], 'CONTENT-SECURITY-POLICY': ['y'], ETag: ['1'] })).toEqual({
      ETag: ['1'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
    expect(withContentSecurityPolicy(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('installs handlers on the objects passed in', () => {
    const on = vi.fn();
    const setWindowOpenHandler = vi.fn();
    hardenWebContents({ on, setWindowOpenHandler } as never);
    expect(on.mock.calls.map((c) => c[0])).toEqual(['will-navigate', 'will-attach-webview']);
    expect(setWindowOpenHandler.mock.calls[0]![0]({ url: 'https://x' })).toEqual({ action: 'deny' });

    const session = { webRequest: { onHeadersReceived: vi.fn() }, setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
    installSessionSecurity(session as never);
    expect(session.webRequest.onHeadersReceived).toHaveBeenCalledOnce();
    expect(session.setPermissionRequestHandler).toHaveBeenCalledOnce();
    expect(session.setPermissionCheckHandler.mock.calls[0]![0]()).toBe(false);
  });
});

describe('ipc bridge', () => {
  it('describes the sender from the real frame, untrusted when the frame is gone', () => {
    const contents = {};
    const own = (c: unknown) => c === contents;
    expect(senderOf({ sender: contents, senderFrame: { url: 'file:///a', parent: null } } as never, own)).toEqual({ url: 'file:///a', isMainFrame: true, trusted: true });
    expect(senderOf({ sender: {}, senderFrame: { url: 'file:///a', parent: null } } as never, own)).toMatchObject({ trusted: false });
    expect(senderOf({ sender: contents, senderFrame: { url: 'file:///a', parent: {} } } as never, own)).toMatchObject({ isMainFrame: false });
    expect(senderOf({ sender: contents, senderFrame: null } as never, own)).toEqual({ url: '', isMainFrame: false, trusted: false });
  });
});

describe('native dialogs', () => {
  it('maps Electron dialog results to paths or null, attached to the window', async () => {
    const owner = {};
    const dialog = {
      showOpenDialog: vi.fn().mockResolvedValueOnce({ canceled: false, filePaths: ['/s'] }).mockResolvedValueOnce({ canceled: true, filePaths: [] }),
      showSaveDialog: vi.fn().mockResolvedValueOnce({ canceled: false, filePath: '/docs/r.html' }).mockResolvedValueOnce({ canceled: true, filePath: '' }),
    };
    const dialogs = createNativeDialogs(dialog as never, () => owner as never, () => '/docs');
    expect(await dialogs.openFolder('Pick')).toBe('/s');
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(owner, expect.objectContaining({ title: 'Pick', properties: expect.arrayContaining(['openDirectory']) }));
    expect(await dialogs.openFolder()).toBeNull();
    expect(await dialogs.saveFile('r.html', [{ name: 'HTML report', extensions: ['html'] }])).toBe('/docs/r.html');
    expect(dialog.showSaveDialog.mock.calls[0]![1]).toMatchObject({ defaultPath: expect.stringMatching(/[\\/]docs[\\/]r\.html$/) });
    expect(await dialogs.saveFile('r.html', [])).toBeNull();
  });

  it('opens a file (support bundles) with the given filters', async () => {
    const dialog = { showOpenDialog: vi.fn().mockResolvedValueOnce({ canceled: false, filePaths: ['/in/bundle.zip'] }).mockResolvedValueOnce({ canceled: true, filePaths: [] }), showSaveDialog: vi.fn() };
    const dialogs = createNativeDialogs(dialog as never, () => null, () => '/docs');
    const filters = [{ name: 'Support bundle', extensions: ['zip'] }];
    expect(await dialogs.openFile!('Open a support bundle', filters)).toBe('/in/bundle.zip');
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(expect.objectContaining({ title: 'Open a support bundle', filters, properties: expect.arrayContaining(['openFile']) }));
    expect(await dialogs.openFile!('Open', filters)).toBeNull();
  });
});
