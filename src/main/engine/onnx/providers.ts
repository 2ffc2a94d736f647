import type { InferenceSession } from 'onnxruntime-node';

/**
 * CoreML's flag for the ML Program format (COREML_FLAG_CREATE_MLPROGRAM in ORT's
 * coreml_provider_factory.h, passed through the binding's `coreMlFlags`). Its op list is the one the
 * graphs are checked against (provider-ops.ts); the older NeuralNetwork format, ORT's default, lacks
 * ops both graphs need (Slice, ReduceSum, InstanceNormalization, ConvTranspose).
 */
const COREML_FLAG_CREATE_MLPROGRAM = 0x010;

/** The execution provider entry for a device as the CLI names it ('cpu', 'cuda', 'dml', 'coreml', 'webgpu'). */
export function providerFor(device: string): InferenceSession.ExecutionProviderConfig {
  return device === 'coreml' ? { name: 'coreml', coreMlFlags: COREML_FLAG_CREATE_MLPROGRAM } : device;
}
