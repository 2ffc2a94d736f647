import './zod-config.js';
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.js';

// The sandboxed preload's one job: hand the page a bridge limited to the contract (see bridge.ts).
contextBridge.exposeInMainWorld('atelier', createBridge(ipcRenderer));
