// Entry point of a backend probe (forked by probe.ts): tries backends in the order given until one
// starts, and says for each whether it could. A process holds one backend for good, so the ones after
// a success are left for another probe process.
import type { BackendStatus } from '../../../common/contract/index.js';
import type { BackendChoice } from '../../engine/index.js';
import { initBackend, onnxDeviceStatuses } from '../../engine/runtime.js';
import { parentChannel } from './helper-process.js';

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

const send = parentChannel<BackendChoice[], BackendStatus[]>((kinds) => void probe(kinds));

async function probe(kinds: BackendChoice[]): Promise<void> {
  const results: BackendStatus[] = [];
  for (const kind of kinds) {
    try {
      const started = await initBackend({ backend: kind });
      // Each of onnx's providers is tried too, for the studio's device picker.
      const devices = kind === 'onnx' && { devices: await onnxDeviceStatuses(), autoDevice: started.device! };
      results.push({ name: kind, available: true, reason: null, ...devices });
      break;
    } catch (error) {
      results.push({ name: kind, available: false, reason: reason(kind, error) });
    }
  }
  send(results);
}
