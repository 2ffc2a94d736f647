import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/**
 * The web server (`dist/main/web/serve.js`, as `npm run serve` starts it) on a fresh data folder and
 * Debian's Chromium driven by playwright-core, with the page helpers an end-to-end test needs.
 * Page code is written as strings: this Node project has no DOM types.
 */

export const REPO = process.cwd();
export const CHROMIUM = '/usr/bin/chromium';
const SERVE = join(REPO, 'dist', 'main', 'web', 'serve.js');
export const SAMPLES = resolve(REPO, '..', 'shared', 'images');

/** Keeps a log of every toast shown in the page (they dismiss themselves, so a slow check could miss one). */
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
`;

export interface Studio {
  root: string;
  dataDir: string;
  loginUrl: string;
  page: Page;
  pageErrors: string[];
  serverLog(): string;
  byTestId(id: string): Locator;
  inPage<T>(expression: string): Promise<T>;
  /** Polls a page expression until it is true (page.waitForFunction would eval in the page, which the CSP refuses). */
  waitInPage(expression: string, timeout?: number): Promise<void>;
  /** Waits for a toast of this kind whose "title | message" contains `text`; returns that text. */
  toast(kind: 'success' | 'error' | 'info', text: string): Promise<string>;
  /** Screenshots at the current viewport into $TMPDIR/<shots>, never the repository. */
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startStudio(shotsFolder: string): Promise<Studio> {
  if (!existsSync(SERVE) || !existsSync(join(REPO, 'dist', 'renderer', 'index.html'))) {
    throw new Error(`the end-to-end tests need the built app (${SERVE} and dist/renderer); run \`npm run -s build\` first`);
  }
  const shots = join(tmpdir(), shotsFolder);
  await rm(shots, { recursive: true, force: true });
  await mkdir(shots, { recursive: true });
  const root = await mkdtemp(join(tmpdir(), 'atelier-e2e-'));
  const dataDir = join(root, 'data');
  let log = '';
  const server: ChildProcess = spawn(process.execPath, [SERVE, '--port', '0', '--data', dataDir, '--samples', SAMPLES], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
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

  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.addInitScript(RECORDER);
  page.setDefaultTimeout(15_000);

  const inPage = <T>(expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;
  async function waitInPage(expression: string, timeout = 15_000): Promise<void> {
    const deadline = Date.now() + timeout;
    while (!(await page.evaluate(`!!(${expression})`))) {
      if (Date.now() > deadline) throw new Error(`waited ${timeout} ms in vain for: ${expression}\n--- server log ---\n${log.slice(-3000)}`);
      await new Promise((next) => setTimeout(next, 50));
    }
  }
  let shotNumber = 0;

  return {
    root, dataDir, loginUrl, page, pageErrors,
    serverLog: () => log,
    byTestId: (id) => page.getByTestId(id),
    inPage,
    waitInPage,
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
