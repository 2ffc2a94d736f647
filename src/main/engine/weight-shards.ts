import * as tf from './tf.js';

/** One weight as a tfjs weights manifest lists it. */
export interface WeightShardEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

/**
 * A tfjs weights manifest group's shards as float32 values by weight name, quantized weights
 * expanded. TensorFlow.js decodes them (the format is its own), so this lives in the engine; no
 * tensor outlives the call.
 */
export function decodeWeightShards(shards: ArrayBuffer[], entries: WeightShardEntry[]): Map<string, { shape: number[]; values: Float32Array }> {
  const tensors = tf.io.decodeWeights(shards, entries);
  try {
    return new Map(Object.entries(tensors).map(([name, tensor]) => [name, { shape: tensor.shape, values: tensor.dataSync() as Float32Array }]));
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
