import { AtelierError } from '../errors.js';
import { contract, type Api, type EventName, type EventPayload, type ServiceName, type WireResult } from './contract.js';

/** Sends one call over some transport (IPC in the desktop app, HTTP in web mode). */
export type Invoke = (channel: string, payload: unknown) => Promise<WireResult<unknown>>;
export type Subscribe = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;

/**
 * The typed API the renderer uses, built from the contract over any transport: a failed call throws
 * an AtelierError with the code and message that crossed the boundary.
 */
export function createApi(invoke: Invoke): Api {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const service of Object.keys(contract) as ServiceName[]) {
    api[service] = {};
    for (const name of Object.keys(contract[service])) {
      api[service][name] = async (input: unknown) => {
        const result = await invoke(`${service}:${name}`, input ?? {});
        if (!result.ok) throw new AtelierError(result.error.code, result.error.message);
        return result.value;
      };
    }
  }
  return api as unknown as Api;
}
