import { createWriteStream, type WriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Transform, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import parser from 'stream-json/parser.js';
import { MAX_UPLOAD_BYTES, uploadSchema } from '../../common/contract/index.js';
import { AtelierError } from '../../common/errors.js';

type Token = { name: string; value?: unknown };

const BASE64 = /^[A-Za-z0-9+/=]*$/;
const megabytes = (bytes: number) => `${Math.floor(bytes / 1024 / 1024)} MB`;

function tooLarge(channel: string): AtelierError {
  return new AtelierError('TOO_LARGE', `the file is larger than ${megabytes(MAX_UPLOAD_BYTES)}, the most Atelier takes in one upload (${channel})`);
}

function badBody(channel: string, why: string): AtelierError {
  // The dispatcher's words for a payload the contract refuses, so both doors read the same.
  return new AtelierError('BAD_REQUEST', `invalid ${channel} request: ${why} (expected { "name": string, "dataBase64": string })`);
}

/**
 * Takes the parser's tokens for `{ "name": …, "dataBase64": … }` (in any order, nothing else), keeps
 * the name, and decodes the base64 into `out` as it arrives, waiting whenever the disk is behind: the
 * memory an upload holds is a few chunks, whatever the file's size.
 */
class UploadWriter extends Writable {
  name: string | undefined;
  private depth = 0;
  private key: 'name' | 'dataBase64' | undefined;
  private inString = false;
  private seenData = false;
  private ended = false;
  private pending = '';
  private bytes = 0;

  constructor(private readonly out: WriteStream, private readonly channel: string) {
    super({ objectMode: true });
    out.on('error', (error) => this.destroy(error));
  }

  override _write(token: Token, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    try {
      const data = this.take(token);
      if (data && data.length > 0 && !this.out.write(data)) return void this.out.once('drain', () => done());
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.out.destroy();
    done(error);
  }

  override _final(done: (error?: Error | null) => void): void {
    if (!this.ended) return done(badBody(this.channel, 'the JSON object is not complete'));
    if (this.name === undefined || !this.seenData) return done(badBody(this.channel, '"name" and "dataBase64" are both needed'));
    this.out.end();
    // Done once the file is on disk, or failed with the write's error (a full disk).
    finished(this.out).then(() => done(), done);
  }

  /** Follows one token; returns the bytes it decoded, if any. */
  private take(token: Token): Buffer | undefined {
    if (this.ended) throw badBody(this.channel, 'something follows the JSON object');
    switch (token.name) {
      case 'startObject':
        if (this.depth++ !== 0) throw badBody(this.channel, 'fields hold strings, not objects');
        return undefined;
      case 'endObject':
        this.depth--;
        this.ended = true;
        return undefined;
      case 'keyValue': {
        const key = token.value;
        if (key !== 'name' && key !== 'dataBase64') throw badBody(this.channel, `unexpected field ${JSON.stringify(key)}`);
        if ((key === 'name' && this.name !== undefined) || (key === 'dataBase64' && this.seenData)) throw badBody(this.channel, `"${key}" is given twice`);
        this.key = key;
        return undefined;
      }
      case 'startString':
        if (this.depth !== 1 || this.key === undefined) throw badBody(this.channel, 'the body is not an object');
        this.inString = true;
        if (this.key === 'name') this.name = '';
        else this.seenData = true;
        return undefined;
      case 'stringChunk':
        if (!this.inString) throw badBody(this.channel, 'unexpected text');
        if (this.key === 'name') {
          this.name = `${this.name ?? ''}${String(token.value)}`;
          // Checked as it grows: a name cannot be the way to send a large body.
          if (this.name.length > 255) throw badBody(this.channel, '"name" is longer than 255 characters');
          return undefined;
        }
        return this.decode(String(token.value));
      case 'endString': {
        this.inString = false;
        const rest = this.key === 'dataBase64' && this.pending !== '' ? this.count(Buffer.from(this.pending, 'base64')) : undefined;
        this.pending = '';
        this.key = undefined;
        return rest;
      }
      default:
        throw badBody(this.channel, this.depth === 0 ? 'the body is not an object' : '"name" and "dataBase64" must be strings');
    }
  }

  /** Whole groups of four base64 characters decode on their own; the rest waits for the next chunk. */
  private decode(chunk: string): Buffer {
    if (!BASE64.test(chunk)) throw badBody(this.channel, '"dataBase64" is not base64');
    const text = this.pending + chunk;
    const whole = text.length - (text.length % 4);
    this.pending = text.slice(whole);
    return this.count(Buffer.from(text.slice(0, whole), 'base64'));
  }

  private count(bytes: Buffer): Buffer {
    this.bytes += bytes.length;
    if (this.bytes > MAX_UPLOAD_BYTES) throw tooLarge(this.channel);
    return bytes;
  }
}

/**
 * Receives the body of a call that carries a file (`uploadSchema`, JSON with the file as base64) into
 * the new file `path`, as it arrives: refused at once when its Content-Length is past `maxBodyBytes`,
 * and while it streams when its running total, or the decoded file, passes the limits. Resolves with
 * the upload's name once the whole file is on disk. Throws AtelierError TOO_LARGE or BAD_REQUEST for
 * the body; a write failure (a full disk) as it is. The request is left readable to its end either way,
 * so the caller can still answer.
 */
export async function receiveUpload(req: IncomingMessage, path: string, channel: string, maxBodyBytes: number): Promise<{ name: string }> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBodyBytes) throw tooLarge(channel);

  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      done(received > maxBodyBytes ? tooLarge(channel) : null, chunk);
    },
  });
  const writer = new UploadWriter(createWriteStream(path, { flags: 'wx' }), channel);
  const cutOff = () => {
    if (!req.complete) counter.destroy(new AtelierError('BAD_REQUEST', 'the upload was cut off before its end'));
  };
  req.on('close', cutOff);
  req.pipe(counter);
  try {
    await pipeline(counter, parser.asStream({ packKeys: true, streamKeys: false, packStrings: false, streamStrings: true }), writer);
  } catch (error) {
    // Not a JSON text: the parser's own error, worded for the person like the rest.
    if (error instanceof AtelierError || (error as { code?: unknown }).code !== undefined) throw error;
    throw badBody(channel, 'the body is not valid JSON');
  } finally {
    req.off('close', cutOff);
    req.unpipe(counter);
    // Whatever is left of a refused body is read and dropped, so the answer can still be sent.
    req.resume();
  }
  const name = uploadSchema.shape.name.safeParse(writer.name);
  if (!name.success) throw badBody(channel, '"name" must be 1 to 255 characters');
  return { name: name.data };
}
