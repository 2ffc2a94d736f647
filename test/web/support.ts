import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createStudio, type Studio } from '../../src/main/studio.js';

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `atelier-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A small PNG with a gradient (so each seed gives different bytes, hence a different image id). */
export async function samplePng(seed = 0, width = 64, height = 48): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([(x * 4 + seed) & 255, (y * 5) & 255, (x + y + seed * 7) & 255], (y * width + x) * 3);
  }
  return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** A real studio (every service) on a fresh data folder. */
export async function tempStudio(mode: 'desktop' | 'web'): Promise<{ studio: Studio; dataDir: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = await tempDir('studio');
  const dataDir = join(dir, 'data');
  await mkdir(dataDir);
  const studio = await createStudio({ dataDir, mode });
  return {
    studio,
    dataDir,
    cleanup: async () => {
      await studio.dispose();
      await cleanup();
    },
  };
}

/** A stand-in for dist/renderer: an index page, one hashed asset, and a secret beside (outside) it. */
export async function fakeRenderer(root: string): Promise<string> {
  const rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Atelier</title><script type="module" src="./assets/app-1234.js"></script>');
  await writeFile(join(rendererDir, 'assets', 'app-1234.js'), 'console.log("atelier")');
  await writeFile(join(root, 'secret.txt'), 'outside the renderer');
  return rendererDir;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One HTTP request with the path sent exactly as given (fetch would normalize `..` away) and any Host.
 */
export function raw(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
