import { errorData } from '../../../common/errors.js';
import { methodSchema, type Handlers, type WireResult } from '../../../common/contract/index.js';
import { explainDiskFull } from '../files/disk-full.js';

export type Dispatch = (channel: string, payload: unknown) => Promise<WireResult<unknown>>;

/**
 * Routes a call to its handler after validating the payload against the contract. The desktop IPC
 * handler and the web server both use this, so a payload is checked the same way whichever door it
 * came in by; a bad one is answered with BAD_REQUEST and never reaches a service. This is also where
 * every thrown error becomes `{ code, message }`: a full disk is told as DISK_FULL, measured on the disk
 * holding `dataDir` (or the folder the failed write named).
 */
export function createDispatcher(handlers: Handlers, { dataDir }: { dataDir: string }): Dispatch {
  const table = handlers as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
  return async (channel, payload) => {
    const schema = methodSchema(channel);
    if (!schema) return { ok: false, error: { code: 'BAD_REQUEST', message: `unknown call "${channel}"` } };
    const [service, name] = channel.split(':') as [string, string];
    // Everything, validation included, inside the try: whatever goes wrong is answered as data.
    try {
      const parsed = schema.input.safeParse(payload ?? {});
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
        return { ok: false, error: { code: 'BAD_REQUEST', message: `invalid ${channel} request: ${detail}` } };
      }
      return { ok: true, value: await table[service]![name]!(parsed.data) };
    } catch (error) {
      return failure(error, dataDir);
    }
  };
}

/**
 * A thrown error as a call's answer: `{ code, message }`, a full disk worded with the space to free on
 * the disk holding `dataDir` (or the folder the failed write named). Every door answers through this.
 */
export async function failure(error: unknown, dataDir: string): Promise<WireResult<never>> {
  return { ok: false, error: errorData(await explainDiskFull(error, dataDir)) };
}
