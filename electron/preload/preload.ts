/**
 * The preload: exposes `window.workbench` to the sandboxed renderer and nothing else.
 *
 * `ipcRenderer` itself never crosses the bridge — with it a compromised page could send anything on any
 * channel. The page gets one function per contract channel and `on(event, listener)` for main's events.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { buildWorkbenchApi, EVENT_CHANNEL, type IpcEventMessage, type SubscribeFn } from '../../shared/ipc/build-api';
import type { IpcEventName, IpcResult } from '../../shared/ipc/contract';

const listeners = new Set<(name: IpcEventName, payload: unknown) => void>();

// One IPC listener for the page's lifetime; page listeners are kept in a Set so unsubscribing is exact.
ipcRenderer.on(EVENT_CHANNEL, (_event: IpcRendererEvent, message: IpcEventMessage) => {
  if (!message || typeof message.name !== 'string') return;
  for (const listener of [...listeners]) {
    try {
      listener(message.name, message.payload);
    } catch (error) {
      // A failing page listener must not keep the event from the others.
      console.error(error);
    }
  }
});

const subscribe: SubscribeFn = (listener) => {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
};

contextBridge.exposeInMainWorld(
  'workbench',
  buildWorkbenchApi(
    (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<IpcResult<unknown>>,
    subscribe,
    // Dropped files carry no path since Electron 32; only the preload can ask for it.
    (file) => {
      try {
        return webUtils.getPathForFile(file as File) || null;
      } catch {
        return null;
      }
    },
  ),
);
