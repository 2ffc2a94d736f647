// Stands in for Electron's utility-process runtime around a module: Electron gives it a
// `process.parentPort` whose 'message' events carry the message as `data` and whose postMessage answers
// the parent. Here that port rides on a forked Node's IPC channel.
import { pathToFileURL } from 'node:url';

process.parentPort = {
  on(event, listener) {
    if (event === 'message') process.on('message', (data) => listener({ data }));
  },
  postMessage(message) {
    process.send(message);
  },
};
await import(pathToFileURL(process.argv[2]).href);
