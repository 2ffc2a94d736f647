/** One weight as a tfjs weights manifest lists it. */
export interface WeightShardEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

export interface DecodedWeight {
  shape: number[];
  values: Float32Array;
}

const BYTES: Record<NonNullable<WeightShardEntry['quantization']>['dtype'] | 'float32', number> = { float32: 4, uint16: 2, float16: 2, uint8: 1 };

/**
 * A tfjs weights manifest group's shards as float32 values by weight name, quantized weights expanded
 * (affine uint8/uint16: min + scale · q; float16: IEEE half). The format is a plain little-endian
 * concatenation in manifest order, so reading it needs no TensorFlow.js and no backend: the models
 * service verifies and loads weights in processes that never start a runtime.
 */
export function decodeWeightShards(shards: ArrayBuffer[], entries: WeightShardEntry[]): Map<string, DecodedWeight> {
  const bytes = concat(shards);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoded = new Map<string, DecodedWeight>();
  let offset = 0;
  for (const { name, shape, quantization } of entries) {
    const count = shape.reduce((a, b) => a * b, 1);
    const size = count * BYTES[quantization?.dtype ?? 'float32'];
    if (offset + size > bytes.byteLength) throw new Error(`the shards end before weight "${name}" (${offset + size} bytes needed, ${bytes.byteLength} there)`);
    const values = new Float32Array(count);
    const { scale = 1, min = 0 } = quantization ?? {};
    for (let i = 0; i < count; i++) {
      switch (quantization?.dtype) {
        case undefined: values[i] = view.getFloat32(offset + 4 * i, true); break;
        case 'uint8': values[i] = min + scale * view.getUint8(offset + i); break;
        case 'uint16': values[i] = min + scale * view.getUint16(offset + 2 * i, true); break;
        case 'float16': values[i] = halfToFloat(view.getUint16(offset + 2 * i, true)); break;
      }
    }
    decoded.set(name, { shape, values });
    offset += size;
  }
  if (offset !== bytes.byteLength) throw new Error(`the shards hold ${bytes.byteLength - offset} bytes more than the manifest lists`);
  return decoded;
}

function concat(shards: ArrayBuffer[]): Uint8Array {
  const all = new Uint8Array(shards.reduce((sum, shard) => sum + shard.byteLength, 0));
  let at = 0;
  for (const shard of shards) {
    all.set(new Uint8Array(shard), at);
    at += shard.byteLength;
  }
  return all;
}

/** An IEEE 754 half-precision value (as its 16 bits) as a number. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
