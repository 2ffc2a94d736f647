import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { dialog, type BrowserWindow } from 'electron';
import type { Dispatch } from '../services/dispatch/index.js';

const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'tif', 'tiff', 'gif', 'avif'];

/**
 * File ▸ Open Photos…: the native dialog, then each file goes through the same validated library
 * call the page uses, so a bad file is refused the same way; the page refreshes on 'library:changed'.
 */
export async function openPhotos(window: BrowserWindow | undefined, dispatch: Dispatch): Promise<void> {
  const options: Electron.OpenDialogOptions = {
    title: 'Open photos and paintings',
    properties: ['openFile', 'multiSelections'],
    filters: [{ name: 'Images', extensions: IMAGE_EXTENSIONS }],
  };
  const { canceled, filePaths } = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  if (canceled) return;
  const problems: string[] = [];
  for (const path of filePaths) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      problems.push(`${basename(path)}: ${(error as Error).message}`);
      continue;
    }
    const result = await dispatch('library:importImage', { name: basename(path), dataBase64: bytes.toString('base64') });
    if (!result.ok) problems.push(result.error.message);
  }
  if (problems.length > 0) {
    const message = { type: 'warning' as const, message: `${problems.length} of ${filePaths.length} files could not be imported`, detail: problems.join('\n') };
    await (window ? dialog.showMessageBox(window, message) : dialog.showMessageBox(message));
  }
}
