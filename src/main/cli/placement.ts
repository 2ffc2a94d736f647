import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOnnxRuntime, onnxExecutor, onnxFastStyleLoader, stylize } from '../engine/runtime.js';
import { loadVggWeights, modelsLocation } from '../services/models/index.js';
import { loadFastStyleWeights } from '../services/models/fast-style.js';
import { pattern } from './pattern.js';

/** ORT's name for each device's execution provider, as its profiler reports it. */
const PROVIDER_NAMES: Record<string, string> = {
  cpu: 'CPUExecutionProvider',
  cuda: 'CUDAExecutionProvider',
  dml: 'DmlExecutionProvider',
  coreml: 'CoreMLExecutionProvider',
  webgpu: 'WebGpuExecutionProvider',
};

/** How many distinct nodes of one op type ran on one provider. */
export interface PlacedOps {
  provider: string;
  op: string;
  nodes: number;
}

export interface GraphPlacement {
  graph: string;
  ops: PlacedOps[];
  /** Nodes that ran on the CPU although another device was asked for (the copies' Memcpy nodes excluded). */
  onCpu: number;
  total: number;
}

/** One session's profile: the events ORT's profiler writes (chrome://tracing format). */
interface ProfileEvent {
  cat?: string;
  name?: string;
  args?: { op_name?: string; provider?: string };
}

/** Where the Gatys executor and an instant network write their profiles inside `dir`, for `readPlacements`. */
export function profilePrefixes(dir: string): { gatys: string; instant: string } {
  return { gatys: join(dir, 'gatys-'), instant: join(dir, 'instant-') };
}

/**
 * Where each node of the three graphs a render and an instant look run (the Gatys targets and objective
 * graphs at `size`, one instant network on a `size` picture) ran on `device`, read from ONNX Runtime's
 * own profiler: one iteration with profiling on, then the profile's node events, by provider and op.
 */
export async function measurePlacement(device: string, size: number): Promise<GraphPlacement[]> {
  const dir = await mkdtemp(join(tmpdir(), 'atelier-placement-'));
  try {
    const ort = await loadOnnxRuntime();
    const location = modelsLocation();
    const prefixes = profilePrefixes(dir);
    const executor = onnxExecutor({ ort, weights: await loadVggWeights('vgg19', location), executionProvider: device, profilePrefix: prefixes.gatys });
    await stylize(executor, { content: pattern(size, size, 1), styles: [pattern(size, size, 2)] }, { size, scales: [size], iterations: 1, optimizer: 'adam' }, { previews: false });
    const net = await onnxFastStyleLoader({ ort, executionProvider: device, profilePrefix: prefixes.instant })(await loadFastStyleWeights('wave', location));
    try {
      await net.stylize(pattern(size, size, 3));
    } finally {
      net.dispose();
    }
    return await readPlacements(dir, device);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The placements in the profiles under `dir` (see `profilePrefixes`): a Gatys stage and the wave
 * network, their sessions released (a session writes its profile when released, synchronously).
 */
export async function readPlacements(dir: string, device: string): Promise<GraphPlacement[]> {
  const graphs: [string, string][] = [['Gatys targets', 'gatys-targets'], ['Gatys objective', 'gatys-objective'], ['instant (wave)', 'instant-wave']];
  const files = await readdir(dir);
  return Promise.all(graphs.map(async ([graph, prefix]) => {
    const file = files.find((f) => f.startsWith(`${prefix}_`) && f.endsWith('.json'));
    if (!file) throw new Error(`ONNX Runtime wrote no profile for the ${graph} graph`);
    return placementOf(graph, JSON.parse(await readFile(join(dir, file), 'utf8')) as ProfileEvent[], device);
  }));
}

function placementOf(graph: string, events: ProfileEvent[], device: string): GraphPlacement {
  // A node runs once per run, and a session may run several times: count each node name once.
  const seen = new Map<string, { provider: string; op: string }>();
  for (const event of events) {
    if (event.cat === 'Node' && event.name && event.args?.provider && event.args.op_name) {
      seen.set(event.name, { provider: event.args.provider, op: event.args.op_name });
    }
  }
  const counts = new Map<string, PlacedOps>();
  for (const { provider, op } of seen.values()) {
    const key = `${provider}\0${op}`;
    const entry = counts.get(key) ?? { provider, op, nodes: 0 };
    entry.nodes += 1;
    counts.set(key, entry);
  }
  const ops = [...counts.values()].sort((a, b) => a.provider.localeCompare(b.provider) || b.nodes - a.nodes);
  const onCpu = device === 'cpu' ? 0 : ops.filter((o) => o.provider === PROVIDER_NAMES.cpu && !o.op.startsWith('Memcpy')).reduce((n, o) => n + o.nodes, 0);
  return { graph, ops, onCpu, total: seen.size };
}

/** A line per graph: all on the device, or which ops fell back to the CPU. */
export function describePlacement(placements: GraphPlacement[], device: string): string[] {
  return placements.map(({ graph, ops, onCpu, total }) => {
    if (onCpu === 0) return `${graph}: all ${total} nodes on ${PROVIDER_NAMES[device] ?? device}`;
    const fallen = ops.filter((o) => o.provider === PROVIDER_NAMES.cpu && !o.op.startsWith('Memcpy')).map((o) => `${o.op} ×${o.nodes}`);
    return `${graph}: ${onCpu} of ${total} nodes fell back to the CPU (${fallen.join(', ')})`;
  });
}
