import type { IncomingMessage, ServerResponse } from 'node:http';

export type EventSourceFn = (listener: (name: string, payload: unknown) => void) => () => void;

/**
 * One Server-Sent Events stream: each studio event as `data: {"name","payload"}`, a comment every
 * `keepAliveMs` so proxies and the browser keep the connection, and every listener released when the
 * browser goes away. Returns the function that ends the stream from the server's side.
 */
export function openEventStream(req: IncomingMessage, res: ServerResponse, onEvent: EventSourceFn, keepAliveMs: number): () => void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    // Tells buffering reverse proxies (nginx) to pass events through as they come.
    'X-Accel-Buffering': 'no',
  });
  // The browser reconnects after this many ms when the stream drops.
  res.write('retry: 2000\n: connected\n\n');

  const unsubscribe = onEvent((name, payload) => {
    res.write(`data: ${JSON.stringify({ name, payload })}\n\n`);
  });
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs);
  keepAlive.unref();

  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(keepAlive);
    unsubscribe();
    if (!res.writableEnded) res.end();
  };
  req.on('close', close);
  res.on('close', close);
  res.on('error', close);
  return close;
}
