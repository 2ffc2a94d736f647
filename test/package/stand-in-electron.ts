import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** @electron/fuses finds the fuse wire after this marker in the Electron binary. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/**
 * The wire as Electron ships it (fuse wire version 1, eight fuses, '1' on and '0' off): RunAsNode on,
 * cookie encryption off, NODE_OPTIONS on, --inspect on, asar integrity off, only-asar off,
 * browser-process snapshot off, file:// privileges on.
 */
const STOCK_WIRE = '10110001';

/**
 * An unpacked "Electron distribution" for electron-builder's electronDist option: a shell script named
 * `electron` that carries a stock fuse wire, so the build's fuse step has something real to flip and
 * the test can read the result. It is not Electron: nothing here can start the app.
 */
export async function makeStandInElectron(dir: string, version: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL), Buffer.from([1, STOCK_WIRE.length]), Buffer.from(STOCK_WIRE)]);
  const script = Buffer.concat([Buffer.from('#!/bin/sh\necho "a stand-in for Electron, not Electron" >&2\nexit 1\n# '), wire, Buffer.from('\n')]);
  await writeFile(join(dir, 'electron'), script);
  await chmod(join(dir, 'electron'), 0o755);
  await writeFile(join(dir, 'version'), version);
  return dir;
}
