export { createQueue, type NewRender, type QueueLibrary, type QueueOptions, type QueueService } from './queue.js';
