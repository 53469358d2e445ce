/**
 * Connects Electron's `ipcMain` to the backend: one `ipcMain.handle` per contract channel.
 *
 * Builds the sender description from the Electron event, so the registry's trust check sees the real
 * frame — not anything the page could claim about itself.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_CONTRACT, type IpcChannel } from '../../shared/ipc/contract';
import type { Backend } from './backend';
import type { IpcSender } from './sender-trust';

/**
 * Describes who sent an invoke.
 *
 * `isMainFrame` holds only for a top frame; `trusted` only when the sending web contents is one of ours.
 * A frame that is gone (navigated or closed before the message arrived) is untrusted.
 */
export function senderOf(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, isOwnContents: (contents: WebContents) => boolean): IpcSender {
  const frame = event.senderFrame;
  if (!frame) return { url: '', isMainFrame: false, trusted: false };
  return { url: frame.url, isMainFrame: frame.parent === null, trusted: isOwnContents(event.sender) };
}

/**
 * Registers a handler per channel; returns a function that removes them all.
 *
 * Channels come from `IPC_CONTRACT`, so a channel added to the contract is wired here without more code.
 */
export function registerIpcHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  backend: Pick<Backend, 'invoke'>,
  isOwnContents: (contents: WebContents) => boolean,
): () => void {
  const channels = Object.keys(IPC_CONTRACT) as IpcChannel[];
  for (const channel of channels) {
    ipcMain.handle(channel, (event, payload: unknown) => backend.invoke(channel, payload, senderOf(event, isOwnContents)));
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
