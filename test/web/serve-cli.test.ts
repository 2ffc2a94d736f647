// `npm run serve` as a person runs it: the built entry point in a child process.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support.js';

const SERVE = join(process.cwd(), 'dist', 'main', 'web', 'serve.js');
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => ({ dir, cleanup } = await tempDir('serve')));
afterAll(async () => cleanup?.());

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [SERVE, ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const line = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /Atelier web mode: (\S+)\n/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.on('close', () => reject(new Error(`serve exited: ${stderr}`)));
  });
  // Awaited only where a URL is expected; a run meant to fail must not leave an unhandled rejection.
  line.catch(() => undefined);
  return { child, line, exited, output: () => ({ stdout, stderr }) };
}

// Built by `npm run build:node` (which `npm test` runs first).
describe.skipIf(!existsSync(SERVE))('npm run serve (dist/main/web/serve.js)', () => {
  it('prints the token URL, answers on 127.0.0.1 and stops cleanly on SIGTERM', async () => {
    const server = run(['--port', '0', '--samples', join(dir, 'no-samples')], { ATELIER_DATA_DIR: join(dir, 'data') });
    const url = await server.line;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    const { origin, searchParams } = new URL(url);
    const info = await fetch(`${origin}/api/app/info`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${searchParams.get('token')}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(await info.json()).toMatchObject({ ok: true, value: { mode: 'web', samplesAvailable: false } });
    expect(existsSync(join(dir, 'data'))).toBe(true);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('refuses a bad port with a message', async () => {
    const server = run(['--port', 'eighty', '--data', join(dir, 'data')]);
    expect(await server.exited).toBe(2);
    expect(server.output().stderr).toMatch(/--port must be a whole number/);
  });

  it('refuses an unknown option in one line, exit code 2', async () => {
    const server = run(['--prot', '80']);
    expect(await server.exited).toBe(2);
    const { stderr } = server.output();
    expect(stderr).toMatch(/^atelier: Unknown option '--prot'/);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
