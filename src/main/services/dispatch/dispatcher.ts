import { errorData } from '../../../common/errors.js';
import { methodSchema, type Handlers, type WireResult } from '../../../common/contract/index.js';

export type Dispatch = (channel: string, payload: unknown) => Promise<WireResult<unknown>>;

/**
 * Routes a call to its handler after validating the payload against the contract. The desktop IPC
 * handler and the web server both use this, so a payload is checked the same way whichever door it
 * came in by; a bad one is answered with BAD_REQUEST and never reaches a service.
 */
export function createDispatcher(handlers: Handlers): Dispatch {
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
      return { ok: false, error: errorData(error) };
    }
  };
}
