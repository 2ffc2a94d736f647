import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Executor, NetworkImage, PreparedStage } from '../executor.js';
import { lossScale } from '../losses.js';
import type { RenderPlan } from '../plan.js';
import type { VggWeights } from '../vgg19.js';
import { providerFor } from './providers.js';
import type { OnnxRuntime } from './runtime.js';
import { objectiveGraph, targetsGraph } from './vgg-graph.js';

export interface OnnxExecutorOptions {
  /** The loaded onnxruntime-node module. */
  ort: OnnxRuntime;
  /** Weights for every layer of the network the render's settings name. */
  weights: VggWeights;
  /** Execution provider name as ORT spells it: 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'. */
  executionProvider: string;
  /** Threads for the CPU kernels (default: the machine's cores). */
  threads?: number;
  /**
   * Turns on ORT's profiler: each session writes where and how long each node ran to
   * `<profilePrefix>targets_<time>.json` or `<profilePrefix>objective_<time>.json` when released.
   */
  profilePrefix?: string;
}

/**
 * The objective on ONNX Runtime: per stage, a forward-only graph computes the targets once, then one
 * graph computes the loss terms and their gradient (backward pass written as graph nodes, vgg-graph.ts).
 * ORT's session.run blocks the thread for its duration: renders run in a worker, not the app's main loop.
 */
export function onnxExecutor({ ort, weights, executionProvider, threads, profilePrefix }: OnnxExecutorOptions): Executor {
  const sessionOptions: InferenceSession.SessionOptions = {
    executionProviders: [providerFor(executionProvider)],
    graphOptimizationLevel: 'all',
    // Every run frees and allocates the same tensors. Without the arena each large allocation is fresh
    // memory from the kernel, and faulting it in cost a fifth of an iteration (system time); the arena
    // keeps it. The memory pattern would plan one block per run instead, which the arena rounds up to
    // a power of two: 5.4 GB at 1024 px against 3.6 GB without it, for 4% less time.
    enableCpuMemArena: true,
    enableMemPattern: false,
    ...(threads && { intraOpNumThreads: threads }),
  };
  const create = (bytes: Uint8Array, graph: 'targets' | 'objective') => ort.InferenceSession.create(bytes, {
    ...sessionOptions,
    ...(profilePrefix && { enableProfiling: true, profileFilePrefix: `${profilePrefix}${graph}` }),
  });
  const tensor = (image: NetworkImage) => new ort.Tensor('float32', image.data, [1, image.height, image.width, 3]);

  return {
    kind: 'onnx',
    async prepare({ plan, stage, content, styles }): Promise<PreparedStage> {
      const network = { network: plan.settings.network, weights, pooling: plan.settings.pooling };
      const targetsModel = targetsGraph(network, plan, content, styles);
      const targets: Record<string, Tensor> = {};
      if (targetsModel.shapes.content.size + targetsModel.shapes.grams.size > 0) {
        const session = await create(targetsModel.bytes, 'targets');
        try {
          const feeds: Record<string, Tensor> = {};
          if (session.inputNames.includes('content')) feeds.content = tensor(content!);
          styles.forEach((style, s) => {
            if (session.inputNames.includes(`style${s}`)) feeds[`style${s}`] = tensor(style);
          });
          Object.assign(targets, await session.run(feeds));
        } finally {
          await session.release();
        }
      }
      const session = await create(objectiveGraph(network, plan, stage, targetsModel.shapes, layerScales(plan, targets)), 'objective');
      const shape = [1, stage.height, stage.width, 3];
      return {
        async evaluate(image) {
          const out = await session.run({ ...targets, image: new ort.Tensor('float32', image, shape) }, ['terms', 'grad']);
          const [content = 0, style = 0, tv = 0] = out.terms!.data as Float32Array;
          const grad = out.grad!.data as Float32Array;
          return { terms: { content, style, tv, total: content + style + tv }, grad };
        },
        dispose() {
          void session.release();
          for (const t of Object.values(targets)) t.dispose();
        },
      };
    },
  };
}

/** Each loss layer's `lossScale`, from the targets the targets graph computed (norms summed in float64). */
function layerScales(plan: RenderPlan, targets: Record<string, Tensor>): Map<string, number> {
  const normalization = plan.settings.lossNormalization;
  const scales = new Map<string, number>();
  for (const [name, tensor] of Object.entries(targets)) {
    const values = tensor.data as Float32Array;
    let squaredNorm = 0;
    if (normalization !== 'paper') for (const value of values) squaredNorm += value * value;
    const [kind, layer] = name.startsWith('gram_') ? ['style', name.slice(5)] : ['content', name.slice(8)];
    scales.set(`${kind}:${layer}`, kind === 'style' ? lossScale.style(normalization, tensor.dims[0]!, squaredNorm) : lossScale.content(normalization, values.length, squaredNorm));
  }
  return scales;
}
