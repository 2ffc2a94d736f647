// Run by crash.test.ts: changes the library as fast as it can until the test kills it with SIGKILL.
// Imports images, creates and renames pairs, adds and deletes renders. Prints one line per finished
// change, so the test knows what must survive the kill:
//   pair <id>      a pair was saved
//   image <id>     an image was imported
//   render <id>    a render was stored
//   deleting <id>  a render's delete has started (once it has, the render may be gone)
//   deleted <id>   a render was deleted
// Imports the library as compiled JavaScript.
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';

const [modulePath, dataDir] = process.argv.slice(2);
const { createLibrary } = await import(pathToFileURL(modulePath).href);
const library = await createLibrary({ dataDir });
const losses = { content: 1, style: 1, tv: 1, total: 3 };
const say = (what, id) => process.stdout.write(`${what} ${id}\n`);

/** A random 48×32 picture as PNG: every one is new bytes, so every import is a new image. */
function randomPicture() {
  return sharp(randomBytes(48 * 32 * 3), { raw: { width: 48, height: 32, channels: 3 } }).png().toBuffer();
}

async function save(name, id) {
  const pair = await library.savePair({ ...(id && { id }), name, contentId: null, styles: [], settings: { size: 64 }, presetId: null });
  say('pair', pair.id);
  return pair;
}

let pair = await save('pair 0');
let lastRender;
for (let n = 1; ; n++) {
  if (n % 7 === 0) {
    const { image } = await library.importImage({ name: `photo ${n}.png`, dataBase64: (await randomPicture()).toString('base64') });
    say('image', image.id);
  } else if (n % 5 === 0) {
    const now = new Date().toISOString();
    const data = new Uint8Array(randomBytes(48 * 32 * 3));
    lastRender = await library.addRender({
      pairId: pair.id, settings: pair.settings, startedAt: now, finishedAt: now, durationMs: 0, backend: 'cpu', cancelled: false,
      losses: { initial: losses, final: losses }, image: { width: 48, height: 32, data },
    });
    say('render', lastRender.id);
  } else if (n % 11 === 0 && lastRender) {
    say('deleting', lastRender.id);
    await library.deleteRender({ id: lastRender.id });
    say('deleted', lastRender.id);
    lastRender = undefined;
  } else if (n % 3 === 0) {
    pair = await save(`pair ${n} (renamed)`, pair.id);
  } else {
    pair = await save(`pair ${n}`);
  }
}
