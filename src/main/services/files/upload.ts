/**
 * A file a person hands over in one call (an image to import, one to read settings from): its bytes as
 * base64, as the contract carries them over IPC; or, in web mode, a file the server streamed to disk as
 * the request arrived (see web/upload.ts), so a large upload is never held in memory whole.
 */
export type Upload = { name: string; dataBase64: string } | StagedUpload;

export interface StagedUpload {
  name: string;
  /** A file in the library's staging folder; the service that takes it moves or removes it. */
  path: string;
}
