import type { EventName, EventPayload, Subscribe } from '../../common/contract/index.js';

type Listener = (payload: unknown) => void;

/**
 * Fans events from one source out to listeners by name. The source is attached with the first
 * listener and detached with the last, so an idle renderer holds no bridge listener (or stream).
 */
export function createEventHub(attach: (deliver: (name: string, payload: unknown) => void) => () => void): Subscribe {
  const listeners = new Map<string, Set<Listener>>();
  let detach: (() => void) | null = null;
  const deliver = (name: string, payload: unknown): void => {
    // Copied so a listener that unsubscribes while being called does not disturb the loop.
    for (const listener of [...(listeners.get(name) ?? [])]) listener(payload);
  };
  return <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => {
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    // Each subscription gets its own entry, so subscribing the same function twice needs two removals.
    const entry: Listener = (payload) => listener(payload as EventPayload<E>);
    set.add(entry);
    detach ??= attach(deliver);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      set.delete(entry);
      if (set.size === 0) listeners.delete(event);
      if (listeners.size === 0 && detach) {
        detach();
        detach = null;
      }
    };
  };
}
