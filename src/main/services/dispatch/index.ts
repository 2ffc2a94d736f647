export { createDispatcher, failure, type Dispatch } from './dispatcher.js';
