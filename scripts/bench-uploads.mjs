// `npm run bench:uploads`: the web server's memory under many uploads at once. Starts the built server
// (`dist/main/web/serve.js`) on a throw-away data folder, sends N different ~5 MB PNGs to
// library:importImage at the same time, as the studio sends them (JSON, the file as base64), and prints
// the server's resident memory before, its peak (the kernel's high-water mark, VmHWM), and 5 s after.
// Usage: node scripts/bench-uploads.mjs [--uploads 50] [--megabytes 5] [--json]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';

const { values } = parseArgs({ options: { uploads: { type: 'string', default: '50' }, megabytes: { type: 'string', default: '5' }, json: { type: 'boolean' } } });
const uploads = Number(values.uploads);
const megabytes = Number(values.megabytes);
const MB = 1024 * 1024;

/** Resident and peak resident memory of a process, from /proc (Linux). */
async function memory(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)[1]) * 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

/** A PNG of random pixels, which does not compress: `bytes` on disk, give or take the headers. */
async function noisePng(bytes) {
  const side = Math.round(Math.sqrt(bytes / 3));
  return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
}

const data = await mkdtemp(join(tmpdir(), 'atelier-bench-uploads-'));
const server = spawn(process.execPath, [resolve('dist/main/web/serve.js'), '--port', '0', '--data', join(data, 'data')], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const loginUrl = await new Promise((done, fail) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const found = /(http:\/\/127\.0\.0\.1:\d+\/)\?token=([A-Za-z0-9_-]+)/.exec(out);
      if (found) done(found);
    });
    server.once('exit', (code) => fail(new Error(`the server stopped (exit code ${code})`)));
  });
  const [, base, token] = loginUrl;
  const bodies = [];
  for (let i = 0; i < uploads; i++) bodies.push(JSON.stringify({ name: `noise-${i}.png`, dataBase64: (await noisePng(megabytes * MB)).toString('base64') }));
  const fileBytes = Math.round(bodies.reduce((sum, body) => sum + body.length, 0) / uploads * 3 / 4);

  const before = await memory(server.pid);
  let sampledPeak = before.rss;
  const sampler = setInterval(() => memory(server.pid).then((m) => (sampledPeak = Math.max(sampledPeak, m.rss)), () => undefined), 20);
  const started = Date.now();
  const answers = await Promise.all(bodies.map((body) => fetch(`${base}api/library/importImage`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body,
  }).then((response) => response.json())));
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  const peak = (await memory(server.pid)).peak;
  await new Promise((done) => setTimeout(done, 5000));
  const after = await memory(server.pid);
  const imported = answers.filter((answer) => answer.ok && !answer.value.duplicate).length;
  const failures = answers.filter((answer) => !answer.ok).map((answer) => `${answer.error.code}: ${answer.error.message}`);

  const result = {
    uploads, fileBytes, imported, seconds, rssBeforeBytes: before.rss, peakRssBytes: peak, sampledPeakRssBytes: sampledPeak, rssAfter5sBytes: after.rss,
    failures: [...new Set(failures)],
  };
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else {
    const mb = (bytes) => `${Math.round(bytes / MB)} MB`;
    console.log(`${uploads} concurrent uploads of ${(fileBytes / MB).toFixed(1)} MB each: ${imported} imported in ${seconds.toFixed(1)} s`);
    console.log(`server resident memory: ${mb(before.rss)} before, peak ${mb(peak)} (VmHWM), ${mb(after.rss)} 5 s after`);
    for (const failure of result.failures) console.log(`failed: ${failure}`);
  }
  if (imported !== uploads) process.exitCode = 1;
} finally {
  server.kill('SIGTERM');
  await new Promise((done) => server.once('exit', done));
  await rm(data, { recursive: true, force: true });
}
