import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentTypeFor } from '../media.js';

/**
 * Streams one file with its Content-Type and length. Resolves false, having sent nothing, when the
 * path is not a readable regular file, so the caller can answer 404.
 */
export async function sendFile(req: IncomingMessage, res: ServerResponse, path: string, cacheControl: string): Promise<boolean> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    size = info.size;
  } catch {
    return false;
  }
  res.writeHead(200, { 'Content-Type': contentTypeFor(path), 'Content-Length': size, 'Cache-Control': cacheControl });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(path);
    stream.on('error', () => {
      // Headers are gone already; cutting the connection tells the browser the file is incomplete.
      res.destroy();
      resolve();
    });
    stream.on('end', resolve);
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
  return true;
}
