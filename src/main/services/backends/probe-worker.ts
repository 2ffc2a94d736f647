// Entry point of a backend probe (forked by probe.ts): starts one engine backend in a fresh process,
// since a process holds one backend for good, and says whether it could.
import { initBackend, type BackendChoice } from '../../engine/index.js';

process.on('message', (kind: BackendChoice) => {
  initBackend({ backend: kind }).then(
    () => process.send!({ available: true, reason: null }),
    (error: unknown) => process.send!({ available: false, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) }),
  );
});

process.on('disconnect', () => process.exit(0));
