import { MAX_UPLOAD_BYTES, uploadTooLargeMessage } from '../../common/contract/index.js';
import { AtelierError } from '../../common/errors.js';

/**
 * A file as the contract's upload payload, refused before it is read when it is past the one upload
 * limit: the service would refuse it too, after the whole file had been read, encoded and sent.
 */
export async function uploadOf(file: File): Promise<{ name: string; dataBase64: string }> {
  const name = file.name || 'image';
  if (file.size > MAX_UPLOAD_BYTES) throw new AtelierError('IMAGE_TOO_LARGE', uploadTooLargeMessage(name, file.size));
  return { name, dataBase64: await blobToBase64(file) };
}

/**
 * Bytes cross the contract as base64. Reads a File (or any Blob) with `arrayBuffer()`, which browsers
 * and Node both have, and encodes it in chunks so a large photo never builds one giant argument list.
 */
async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const CHUNK = 0x8000;
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** "tubingen.final.jpg" → "tubingen.final": a name for display and for default export names. */
export function baseName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}
