export { createDispatcher, type Dispatch } from './dispatcher.js';
