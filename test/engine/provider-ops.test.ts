// Every node of the Gatys graphs and the instant network against the kernel tables ONNX Runtime
// publishes for CUDA, DirectML and CoreML (src/main/engine/onnx/provider-ops.ts cites them): a node a
// provider lacks would run on the CPU with copies both ways each iteration. None of these providers
// can run here; WebGPU's placement is measured for real in webgpu.test.ts.
import { describe, expect, it } from 'vitest';
import type { RenderSettingsInput } from '../../src/common/settings.js';
import { VARIABLE_SHAPES } from '../../src/main/engine/fast-style/architecture.js';
import { fastStyleGraph } from '../../src/main/engine/fast-style/onnx-net.js';
import { GraphBuilder } from '../../src/main/engine/onnx/graph-builder.js';
import { PROVIDER_TABLES, unsupportedNodes, type TabledProvider } from '../../src/main/engine/onnx/provider-ops.js';
import { objectiveGraph, targetsGraph } from '../../src/main/engine/onnx/vgg-graph.js';
import { planRender } from '../../src/main/engine/plan.js';
import { randomArray, randomVggWeights, seededRandom } from './support.js';

const PROVIDERS = Object.keys(PROVIDER_TABLES) as TabledProvider[];
const weights = randomVggWeights(1);
const random = seededRandom(2);

/** The two graphs of a stage, as a render with these settings builds them (odd sizes: the padded paths too). */
function stageGraphs(settings: RenderSettingsInput): Uint8Array[] {
  const [content, styles] = [{ width: 37, height: 29 }, [{ width: 33, height: 31 }, { width: 30, height: 30 }]];
  const plan = planRender({ size: 37, scales: [37], ...settings }, { content, styles });
  const network = { network: plan.settings.network, weights, pooling: plan.settings.pooling };
  const hasContent = plan.settings.mode !== 'texture';
  const targets = targetsGraph(network, plan, hasContent ? content : undefined, styles);
  // The layers' loss scales only set constants: any value builds the same ops.
  const scales = new Map([...plan.contentLayers.map((l) => `content:${l}`), ...plan.styleLayers.map(({ layer }) => `style:${layer}`)].map((key) => [key, 1]));
  return [targets.bytes, objectiveGraph(network, plan, plan.stages[0]!, targets.shapes, scales)];
}

const GRAPHS: { name: string; bytes: () => Uint8Array[] }[] = [
  { name: 'Gatys, defaults (max pooling, L1 TV)', bytes: () => stageGraphs({ styleBlend: [1, 1] }) },
  { name: 'Gatys, average pooling, squared TV', bytes: () => stageGraphs({ pooling: 'avg', tvKind: 'squared', styleBlend: [1, 1] }) },
  { name: 'Gatys, texture mode', bytes: () => stageGraphs({ mode: 'texture', styleBlend: [1, 1] }) },
  {
    name: 'instant network',
    bytes: () => [fastStyleGraph({ name: 'random', variables: VARIABLE_SHAPES.map((shape) => ({ shape, values: randomArray(shape.reduce((a, b) => a * b, 1), random, 0.1) })) })],
  },
];

describe('the graphs against ONNX Runtime’s kernel tables', () => {
  it.each(GRAPHS.flatMap((graph) => PROVIDERS.map((provider) => ({ ...graph, provider }))))('$name: every node runs on $provider', ({ bytes, provider }) => {
    for (const model of bytes()) expect(unsupportedNodes(model, provider)).toEqual([]);
  });

  it('finds what would fall back: float64 sums, Sign, a Gemm on computed values, ConvTranspose with a kernel_shape', () => {
    const g = new GraphBuilder();
    const x = g.input('x', [4, 4]);
    const sum = g.op('ReduceSumSquare', [g.op('Cast', [x], { to: 11 })], { keepdims: 0 });
    g.output(g.op('Mul', [sum, g.scalar(2, 'float64')]), 'sum', [], 'float64');
    g.output(g.op('Sign', [x]), 'sign', [4, 4]);
    g.output(g.op('Gemm', [x, x], { transB: 1 }), 'gram', [4, 4]);
    const image = g.input('image', [1, 1, 4, 4]);
    g.output(g.op('ConvTranspose', [image, g.constant(new Float32Array(9), [1, 1, 3, 3])], { kernel_shape: [3, 3] }), 'up', [1, 1, 6, 6]);
    const found = (provider: TabledProvider) => unsupportedNodes(g.toBytes(), provider).map(({ op, why }) => `${op}: ${why}`).sort();
    // CUDA has float64 kernels for all of these.
    expect(found('cuda')).toEqual([]);
    expect(found('dml')).toEqual(['Mul: float64, which this kernel does not take', 'ReduceSumSquare: float64, which this kernel does not take']);
    expect(found('coreml')).toEqual([
      'Cast: float64, which this kernel does not take',
      'ConvTranspose: attribute kernel_shape is refused',
      'Gemm: input 1 must be a constant',
      'Identity: float64, which this kernel does not take',
      'Mul: float64, which this kernel does not take',
      'ReduceSumSquare: not in the coreml table',
      'Sign: not in the coreml table',
    ]);
  });
});
