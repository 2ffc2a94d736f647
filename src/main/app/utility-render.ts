import { utilityProcess } from 'electron';
import { renderWorkerPath, type RenderLauncher } from '../services/queue/render-process.js';

/**
 * Renders in Electron's utility process: the supported way to run Node work beside the main process,
 * which keeps working when the RunAsNode fuse is off (child_process.fork of the app binary would not).
 */
export const utilityRenderProcess: RenderLauncher = () => {
  const child = utilityProcess.fork(renderWorkerPath(), [], { serviceName: 'Atelier render', execArgv: [] });
  let gone = false;
  return {
    send: (message) => {
      if (!gone) child.postMessage(message);
    },
    onMessage: (listener) => void child.on('message', listener),
    onGone: (listener) => {
      child.on('exit', (code) => {
        gone = true;
        listener(`exit code ${code}`);
      });
    },
    kill: () => void child.kill(),
  };
};
