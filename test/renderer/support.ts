import type { WebServer } from '../../src/main/web/index.js';
import { readEventStream } from '../support/server-sent-events.js';

/**
 * Points the renderer's own web transport (src/renderer/api, which uses the page's `fetch` and
 * `EventSource`) at a real web-mode server from Node: relative URLs are resolved against the server
 * and carry its token, as the session cookie would in a browser; Node 20 has no EventSource, so a
 * small one reads the event stream with fetch. Returns the function that puts the globals back.
 */
export function connectRendererTo(server: WebServer): () => void {
  const origin = server.url.replace(/\/$/, '');
  const auth = { Authorization: `Bearer ${server.token}` };
  const realFetch = globalThis.fetch;
  const resolve = (input: string | URL | Request): string | URL | Request => (typeof input === 'string' && input.startsWith('/') ? origin + input : input);

  const pageFetch = ((input: string | URL | Request, init: RequestInit = {}) =>
    realFetch(resolve(input), { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...auth } })) as typeof fetch;

  class NodeEventSource {
    onmessage: ((message: { data: string }) => void) | null = null;
    private readonly controller = new AbortController();

    constructor(url: string) {
      void this.read(String(resolve(url))).catch(() => undefined);
    }

    private async read(url: string): Promise<void> {
      const response = await realFetch(url, { headers: auth, signal: this.controller.signal });
      await readEventStream(response, (_block, data) => {
        if (data) this.onmessage?.({ data });
      });
    }

    close(): void {
      this.controller.abort();
    }
  }

  const globals = globalThis as unknown as { fetch: typeof fetch; EventSource?: unknown };
  const previousEventSource = globals.EventSource;
  globals.fetch = pageFetch;
  globals.EventSource = NodeEventSource;
  return () => {
    globals.fetch = realFetch;
    globals.EventSource = previousEventSource;
  };
}

/** Waits until `check` holds (polling), or fails with `what`. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
