import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A helper process as the backends service sees it, whichever kind it is: a forked Node (web mode, the
 * tests) or, in the desktop app, Electron's utility process (RunAsNode is fused off there, so forking the
 * app binary would not start). Messages are plain JSON-like data.
 */
export interface HelperProcess {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process has gone or could not start, with a few words on how. */
  onGone(listener: (detail: string) => void): void;
  kill(): void;
}

/** Starts the compiled helper at `path`. */
export type StartHelper = (path: string, name: string) => HelperProcess;

/** The compiled worker `file` of this folder; under vitest (running .ts sources) the copy the build put in dist/, as for the render worker. */
export function helperPath(file: 'probe-worker.js'): string {
  const fromSource = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(fromSource ? `../../../../dist/main/services/backends/${file}` : `./${file}`, import.meta.url));
}

export const forkHelper: StartHelper = (path) => {
  // Not the parent's flags: an inspector port or a test runner's loader would clash or not apply.
  const child = fork(path, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    send: (message) => void (child.connected && child.send(message as object)),
    onMessage: (listener) => void child.on('message', listener),
    onGone: (listener) => {
      child.on('exit', (code, signal) => listener(signal ? `killed by ${signal}` : `exit code ${code}`));
      child.on('error', (error) => listener(error.message));
    },
    kill: () => void child.kill('SIGKILL'),
  };
};

/** Inside a helper: Electron's utility process talks through `process.parentPort`, a forked Node through process.send. */
export function parentChannel<In, Out>(receive: (message: In) => void): (message: Out) => void {
  const parentPort = (process as { parentPort?: { on(event: 'message', listener: (event: { data: In }) => void): void; postMessage(message: Out): void } }).parentPort;
  if (parentPort) {
    // Electron ends a utility process with its parent, so it needs no orphan guard.
    parentPort.on('message', (event) => receive(event.data));
    return (message) => parentPort.postMessage(message);
  }
  process.on('message', (message: In) => receive(message));
  // An orphan must not linger: when the parent goes away (quit, crash), so does the channel.
  process.on('disconnect', () => process.exit(0));
  return (message) => process.send!(message);
}
