import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';

export { CHROMIUM } from '../support/chromium.js';

/**
 * The web server (`dist/main/web/serve.js`, as `npm run serve` starts it) on a fresh data folder and
 * Debian's Chromium driven by playwright-core, with the page helpers an end-to-end test needs.
 * Page code is written as strings: this Node project has no DOM types.
 */

export const REPO = process.cwd();
const SERVE = join(REPO, 'dist', 'main', 'web', 'serve.js');
export const SAMPLES = resolve(REPO, '..', 'shared', 'images');

/**
 * Runs in the page before its own scripts, on every load: keeps a log of every toast shown (they
 * dismiss themselves, so a slow check could miss one) and reports Content-Security-Policy violations.
 */
const RECORDER = `
  window.__toasts = [];
  const seen = new WeakSet();
  const look = () => {
    for (const el of document.querySelectorAll('[data-testid="toast"]')) {
      if (seen.has(el)) continue;
      seen.add(el);
      const words = (selector) => (el.querySelector(selector)?.textContent ?? '').replace(/\\s+/g, ' ').trim();
      window.__toasts.push({ kind: el.dataset.kind, text: words('strong') + ' | ' + words('.message') });
    }
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true });
  document.addEventListener('securitypolicyviolation', (e) => window.__reportCsp(e.violatedDirective + ' ' + e.blockedURI));
`;

export interface Studio {
  root: string;
  dataDir: string;
  loginUrl: string;
  page: Page;
  pageErrors: string[];
  cspViolations: string[];
  serverLog(): string;
  byTestId(id: string): Locator;
  inPage<T>(expression: string): Promise<T>;
  /**
   * Polls a page expression until it is true (page.waitForFunction would eval in the page, which the
   * CSP refuses); gives up at once when `failIf` evaluates to something truthy, saying what it was.
   */
  waitInPage(expression: string, timeout?: number, failIf?: string): Promise<void>;
  /** A contract call over the page's own session, as the studio makes it; throws with the server's message when refused. */
  call<T>(service: string, method: string, payload: object): Promise<T>;
  /** GET a path of the server from inside the page (its session cookie), as the bytes it answered. */
  fetchBytes(path: string): Promise<Buffer>;
  /** Waits for a toast of this kind whose "title | message" contains `text`; returns that text. */
  toast(kind: 'success' | 'error' | 'info', text: string): Promise<string>;
  /** Screenshots at the current viewport into $TMPDIR/<shots>, never the repository. */
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface StudioOptions {
  /** The page's size at the start (default 1440×900). */
  viewport?: { width: number; height: number };
  /** Start the server without --samples, as a studio without the bundled samples. */
  noSamples?: boolean;
}

export async function startStudio(shotsFolder: string, options: StudioOptions = {}): Promise<Studio> {
  if (!existsSync(SERVE) || !existsSync(join(REPO, 'dist', 'renderer', 'index.html'))) {
    throw new Error(`the end-to-end tests need the built app (${SERVE} and dist/renderer); run \`npm run -s build\` first`);
  }
  const shots = join(tmpdir(), shotsFolder);
  await rm(shots, { recursive: true, force: true });
  await mkdir(shots, { recursive: true });
  const root = await mkdtemp(join(tmpdir(), 'atelier-e2e-'));
  const dataDir = join(root, 'data');
  let log = '';
  // The server exactly as a person starts it; its login address is the one line on stdout.
  const samples = options.noSamples ? [] : ['--samples', SAMPLES];
  const server: ChildProcess = spawn(process.execPath, [SERVE, '--port', '0', '--data', dataDir, ...samples], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const loginUrl = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the web server printed no address in 60 s:\n${log}`)), 60_000);
    server.once('exit', (code) => reject(new Error(`the web server exited (${code}) before printing its address:\n${log}`)));
    createInterface({ input: server.stdout! }).on('line', (line) => {
      log += `${line}\n`;
      const match = /^Atelier web mode: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    });
  });

  const browser: Browser = await launchChromium();
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1440, height: 900 } });
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.exposeFunction('__reportCsp', (violation: string) => cspViolations.push(violation));
  await page.addInitScript(RECORDER);
  page.setDefaultTimeout(15_000);

  const inPage = <T>(expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;
  async function waitInPage(expression: string, timeout = 15_000, failIf?: string): Promise<void> {
    const deadline = Date.now() + timeout;
    while (!(await page.evaluate(`!!(${expression})`))) {
      const failure = failIf && (await page.evaluate(failIf));
      if (failure) throw new Error(`gave up waiting for ${expression}: ${String(failure)}\n--- server log ---\n${log.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`waited ${timeout} ms in vain for: ${expression}\n--- server log ---\n${log.slice(-3000)}`);
      await new Promise((next) => setTimeout(next, 50));
    }
  }
  let shotNumber = 0;

  return {
    root, dataDir, loginUrl, page, pageErrors, cspViolations,
    serverLog: () => log,
    byTestId: (id) => page.getByTestId(id),
    inPage,
    waitInPage,
    // Through the page's own fetch, as the renderer calls the server: Chromium retries a request whose
    // reused keep-alive connection the server closed at that moment, where Playwright's request client
    // failed with ECONNRESET on a busy machine.
    async call<T>(service: string, method: string, payload: object) {
      const body = await page.evaluate(async ({ url, payload }) => {
        const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
        return response.json() as Promise<{ ok: boolean; value: unknown; error?: { message: string } }>;
      }, { url: `/api/${service}/${method}`, payload });
      if (!body.ok) throw new Error(`${service}:${method} failed: ${body.error?.message}`);
      return body.value as T;
    },
    async fetchBytes(path: string) {
      const base64 = await page.evaluate(async (url) => {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
        const bytes = new Uint8Array(await response.arrayBuffer());
        let binary = '';
        for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return btoa(binary);
      }, path);
      return Buffer.from(base64, 'base64');
    },
    async toast(kind, text) {
      const find = `window.__toasts.find((t) => t.kind === ${JSON.stringify(kind)} && t.text.includes(${JSON.stringify(text)}))`;
      await waitInPage(find);
      return inPage<string>(`${find}.text`);
    },
    async shot(name) {
      const size = page.viewportSize();
      const path = join(shots, `${String(++shotNumber).padStart(2, '0')}-${name}-${size?.width}x${size?.height}.png`);
      await page.screenshot({ path, animations: 'disabled' });
      return path;
    },
    async close() {
      await browser.close();
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((done) => server.once('exit', done));
        server.kill('SIGTERM');
        const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}
