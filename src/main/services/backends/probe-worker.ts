// Entry point of a backend probe (forked by probe.ts): starts one engine backend in a fresh process,
// since a process holds one backend for good, and says whether it could.
import { initBackend, type BackendChoice } from '../../engine/index.js';

/**
 * The engine's message, for a person: without the wrapper it adds around one backend's failure, and a
 * missing package said as such instead of Node's resolver message with this machine's paths.
 */
function reason(kind: string, error: unknown): string {
  let text = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  const wrapper = `no TensorFlow.js backend could start (${kind}: `;
  if (text.startsWith(wrapper) && text.endsWith(')')) text = text.slice(wrapper.length, -1);
  const missing = /Cannot find (?:package|module) '([^']+)'/.exec(text);
  return missing ? `the ${missing[1]} package is not installed` : text;
}

process.on('message', (kind: BackendChoice) => {
  initBackend({ backend: kind }).then(
    () => process.send!({ available: true, reason: null }),
    (error: unknown) => process.send!({ available: false, reason: reason(kind, error) }),
  );
});

process.on('disconnect', () => process.exit(0));
