/**
 * The IPC gate in the browser: the page's `window.workbench` is the real `buildWorkbenchApi` object, and
 * the registry's sender check refuses a call made from a frame other than the app's top frame.
 */
import { expect, test } from './harness';

test('exposes a frozen, namespaced window.workbench and refuses calls from a child frame', async ({ app, mode }) => {
  test.skip(mode !== 'chromium', 'Frames are created through the page here; the Electron project checks the sender in unit tests.');
  const { page } = app;
  const shape = await page.evaluate(() => {
    const api = (window as unknown as { workbench: Record<string, unknown> }).workbench;
    return {
      frozen: Object.isFrozen(api),
      domains: Object.keys(api).sort(),
      hasRawIpc: 'ipcRenderer' in api || 'invoke' in api,
      unknownEvent: (() => {
        try {
          (api.on as (e: string, l: () => void) => void)('no.such.event', () => undefined);
          return 'accepted';
        } catch (error) {
          return (error as Error).message;
        }
      })(),
    };
  });
  expect(shape.frozen).toBe(true);
  expect(shape.domains).toEqual(expect.arrayContaining(['app', 'stamps', 'validation', 'rotation', 'logs', 'on']));
  expect(shape.hasRawIpc).toBe(false);
  expect(shape.unknownEvent).toMatch(/Unknown event "no\.such\.event"/);

  // The top frame is trusted…
  const fromTop = await page.evaluate(() => (window as unknown as { workbench: { stamps: { list(): Promise<{ ok: boolean }> } } }).workbench.stamps.list());
  expect(fromTop.ok).toBe(true);
  // …a child frame of the same origin is not, even with the pipe in reach.
  await page.evaluate(async () => {
    const frame = document.createElement('iframe');
    frame.src = `${location.origin}/index.html?child`;
    frame.title = 'child frame';
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
  });
  const child = page.frames().find((f) => f !== page.mainFrame())!;
  const fromChild = await child.evaluate(() =>
    (window as unknown as { __workbenchInvoke: (c: string, p: unknown) => Promise<{ ok: boolean; error?: { code: string } }> }).__workbenchInvoke('stamps.list', {}),
  );
  expect(fromChild).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
});
