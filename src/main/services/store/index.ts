export { JsonStore } from './json-store.js';
