// Run by crash.test.ts: changes the library as fast as it can until the test kills it with SIGKILL.
// Creates pairs, renames them and adds renders; prints "<pair id>" once a save has resolved, so the
// test knows which pairs must survive the kill. Imports the library as compiled JavaScript.
import { pathToFileURL } from 'node:url';

const [modulePath, dataDir] = process.argv.slice(2);
const { createLibrary } = await import(pathToFileURL(modulePath).href);
const library = await createLibrary({ dataDir });
const picture = { width: 48, height: 32, data: new Uint8Array(48 * 32 * 3).fill(128) };
const losses = { content: 1, style: 1, tv: 1, total: 3 };

async function save(name, id) {
  const pair = await library.savePair({ ...(id && { id }), name, contentId: null, styles: [], settings: { size: 64 }, presetId: null });
  process.stdout.write(`${pair.id}\n`);
  return pair;
}

let pair = await save('pair 0');
for (let n = 1; ; n++) {
  if (n % 5 === 0) {
    const now = new Date().toISOString();
    await library.addRender({
      pairId: pair.id, settings: pair.settings, startedAt: now, finishedAt: now, durationMs: 0, backend: 'cpu', cancelled: false,
      losses: { initial: losses, final: losses }, image: picture,
    });
  } else if (n % 3 === 0) {
    pair = await save(`pair ${n} (renamed)`, pair.id);
  } else {
    pair = await save(`pair ${n}`);
  }
}
