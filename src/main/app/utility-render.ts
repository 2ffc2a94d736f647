import { utilityProcess } from 'electron';
import type { StartHelper } from '../services/backends/index.js';
import type { FromWorker, ToWorker } from '../services/queue/messages.js';
import { renderWorkerPath, type RenderLauncher } from '../services/queue/render-process.js';

/**
 * Starts `path` in Electron's utility process: the supported way to run Node work beside the main
 * process, which keeps working when the RunAsNode fuse is off (child_process.fork of the app binary
 * would not). Renders and the backends' probe processes all start here.
 */
function utilityChannel<In, Out>(path: string, serviceName: string) {
  const child = utilityProcess.fork(path, [], { serviceName, execArgv: [] });
  let gone = false;
  return {
    send: (message: In) => {
      if (!gone) child.postMessage(message);
    },
    onMessage: (listener: (message: Out) => void) => void child.on('message', listener),
    onGone: (listener: (detail: string) => void) => {
      child.on('exit', (code) => {
        gone = true;
        listener(`exit code ${code}`);
      });
    },
    kill: () => void child.kill(),
  };
}

export const utilityRenderProcess: RenderLauncher = () => utilityChannel<ToWorker, FromWorker>(renderWorkerPath(), 'Atelier render');

export const utilityHelper: StartHelper = (path, name) => utilityChannel<unknown, unknown>(path, name);
