import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./utility-process-child.mjs', import.meta.url));

/**
 * A stand-in for Electron's `utilityProcess` (the Electron binary is not installed here): `fork` runs the
 * module in a forked Node with a parentPort shaped like Electron's (utility-process-child.mjs), messages
 * structured-cloned as Electron's are. `onFork` hears each start.
 */
export function utilityProcessStandIn(onFork: (serviceName: string | undefined, modulePath: string) => void) {
  return {
    fork(modulePath: string, args: string[], options: { serviceName?: string }) {
      onFork(options.serviceName, modulePath);
      const child = fork(CHILD, [modulePath, ...args], { serialization: 'advanced', execArgv: [] });
      return {
        postMessage: (message: unknown) => child.send(message as object),
        on(event: 'message' | 'exit', listener: (value: unknown) => void) {
          if (event === 'message') child.on('message', listener);
          else child.on('exit', (code) => listener(code ?? 1));
          return this;
        },
        kill: () => child.kill(),
      };
    },
  };
}
