import type { Invoke, WireResult } from '../../common/contract/index.js';
import type { ErrorCode } from '../../common/errors.js';
import { apiRoute, WEB_ROUTES } from '../../common/wire.js';
import { createEventHub } from './event-hub.js';
import type { Transport } from './ipc-transport.js';

/** The parts of the browser's EventSource the transport uses (typed here so Node tests can supply one). */
export interface EventStream {
  onmessage: ((message: { data: string }) => void) | null;
  close(): void;
}
export type EventStreamFactory = (url: string) => EventStream;
type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body: string; credentials: 'same-origin' }) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}>;

export interface WebTransportOptions {
  /** Origin and path prefix of the server, without a trailing slash; '' for the page's own origin. */
  baseUrl?: string;
  fetch?: Fetch;
  eventStream?: EventStreamFactory;
  /** Extra request headers, e.g. `Authorization: Bearer …` for clients outside the page. */
  headers?: Record<string, string>;
}

function failure(code: ErrorCode, message: string): WireResult<unknown> {
  return { ok: false, error: { code, message } };
}

/**
 * Web mode: `service:method` becomes POST /api/service/method with the payload as JSON, answered with
 * the same WireResult the IPC handler returns; events arrive as Server-Sent Events from /api/events.
 * The session cookie authenticates both, so the page itself never holds the token.
 */
export function createWebTransport(options: WebTransportOptions = {}): Transport {
  const base = options.baseUrl ?? '';
  const doFetch: Fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const openStream: EventStreamFactory =
    options.eventStream ??
    ((url) => {
      const EventSourceImpl = (globalThis as unknown as { EventSource: new (url: string) => EventStream }).EventSource;
      return new EventSourceImpl(url);
    });

  const invoke: Invoke = async (channel, payload) => {
    const [service, method] = channel.split(':');
    let response: Awaited<ReturnType<Fetch>>;
    try {
      response = await doFetch(`${base}${apiRoute(service ?? '', method ?? '')}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...options.headers },
        body: JSON.stringify(payload ?? {}),
        credentials: 'same-origin',
      });
    } catch (error) {
      return failure('NETWORK', `Atelier's server did not answer (${error instanceof Error ? error.message : String(error)}).`);
    }
    if (!(response.headers.get('content-type') ?? '').includes('application/json')) {
      return failure(response.status === 401 ? 'UNAUTHORIZED' : 'NETWORK', `Atelier's server answered ${response.status}.`);
    }
    const body = (await response.json()) as WireResult<unknown>;
    if (typeof body !== 'object' || body === null || typeof body.ok !== 'boolean') {
      return failure('NETWORK', `Atelier's server sent an unexpected answer (${response.status}).`);
    }
    return body;
  };

  const subscribe = createEventHub((deliver) => {
    const stream = openStream(`${base}${WEB_ROUTES.events}`);
    stream.onmessage = (message) => {
      let event: { name?: unknown; payload?: unknown };
      try {
        event = JSON.parse(message.data) as typeof event;
      } catch {
        return;
      }
      if (typeof event.name === 'string') deliver(event.name, event.payload);
    };
    return () => stream.close();
  });

  return { invoke, subscribe };
}
