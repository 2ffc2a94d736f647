import { channels, type WireResult } from '../../common/contract/index.js';
import { EVENT_CHANNEL } from '../../common/wire.js';
import type { Dispatch } from '../services/dispatch/index.js';

/** The parts of an `ipcMain.handle` event the handler reads (Electron's IpcMainInvokeEvent). */
export interface InvokeEventLike {
  senderFrame: { url: string } | null;
}
/** The parts of Electron's ipcMain used here, so tests can pass a recording fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}
/** A renderer that can receive events (Electron's WebContents). */
export interface EventTarget {
  send(channel: string, ...args: unknown[]): void;
  getURL(): string;
  isDestroyed(): boolean;
}

export interface TrustedPages {
  /** file:// URL of dist/renderer/index.html. */
  rendererIndexUrl: string;
  /** The Vite dev server's URL, in an unpackaged app started with VITE_DEV_SERVER_URL. */
  devServerUrl?: string;
}

/**
 * True for our own page only: the built index.html (any hash or query) or the dev server's origin.
 * A frame that navigated elsewhere, or an embedded one, gets no access to the studio.
 */
export function isTrustedPage(url: string, pages: TrustedPages): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'file:') {
    const index = new URL(pages.rendererIndexUrl);
    return index.protocol === 'file:' && parsed.host === index.host && parsed.pathname === index.pathname;
  }
  if (!pages.devServerUrl) return false;
  return parsed.origin === new URL(pages.devServerUrl).origin;
}

/**
 * Registers one `ipcMain.handle` per contract channel, each handing its payload to `dispatch` (which
 * validates it against the contract). Calls from any frame but our page are refused. Returns the
 * function that removes the handlers again.
 */
export function registerIpc(ipcMain: IpcMainLike, dispatch: Dispatch, pages: TrustedPages): () => void {
  const list = channels();
  for (const channel of list) {
    ipcMain.handle(channel, async (event, payload): Promise<WireResult<unknown>> => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedPage(url, pages)) {
        return { ok: false, error: { code: 'FORBIDDEN', message: `IPC call refused from ${url || 'an unknown frame'}` } };
      }
      return dispatch(channel, payload);
    });
  }
  return () => {
    for (const channel of list) ipcMain.removeHandler(channel);
  };
}

/** Sends one event to every live renderer showing our page. */
export function sendEvent(targets: Iterable<EventTarget>, pages: TrustedPages, name: string, payload: unknown): void {
  for (const target of targets) {
    if (target.isDestroyed() || !isTrustedPage(target.getURL(), pages)) continue;
    target.send(EVENT_CHANNEL, name, payload);
  }
}
