// The engine's single import of TensorFlow.js. `@tensorflow/tfjs-core` alone registers no gradient
// functions (tf.grad fails with "gradient function not found"); the union package registers them into
// the same global registry, along with the plain JS 'cpu' backend.
import '@tensorflow/tfjs';

export * from '@tensorflow/tfjs-core';
