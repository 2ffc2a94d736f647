/**
 * Geometry of the loss chart: the total loss per progress event on a log scale (the loss falls over
 * orders of magnitude, so a linear axis would show one cliff and a flat line). Pure, so it is tested
 * without a DOM.
 */

export interface ChartBox {
  width: number;
  height: number;
  /** Inner margin, so the line and its end dot are not clipped. */
  pad: number;
}

export interface ChartTick {
  y: number;
  label: string;
}

export interface LossChartGeometry {
  /** For an SVG <polyline points="…">; empty when there is nothing to draw. */
  points: string;
  /** The last point, for a marker. */
  last: { x: number; y: number } | null;
  /** Horizontal guides at powers of ten inside the range. */
  ticks: ChartTick[];
  min: number;
  max: number;
}

/**
 * A loss for a table: as formatLoss, but a value below a millionth (the content loss of a render that
 * starts from the photo, rounding noise around 1e-8) reads as what it is, zero.
 */
export function formatLossValue(value: number): string {
  return Number.isFinite(value) && Math.abs(value) < 1e-6 ? '≈ 0' : formatLoss(value);
}

/** 1234 → "1.2e3"; 0.5 → "0.5": short labels for a log axis. */
export function formatLoss(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value !== 0 && (Math.abs(value) >= 1e4 || Math.abs(value) < 1e-2)) {
    const [mantissa, exponent] = value.toExponential(1).split('e');
    return `${mantissa!.replace(/\.0$/, '')}e${Number(exponent)}`;
  }
  return Number(value.toPrecision(3)).toString();
}

export function lossChartGeometry(values: readonly number[], box: ChartBox): LossChartGeometry {
  // Log scale: only positive, finite values can be placed.
  const usable = values.map((v, i) => ({ i, v })).filter(({ v }) => Number.isFinite(v) && v > 0);
  if (usable.length === 0) return { points: '', last: null, ticks: [], min: Number.NaN, max: Number.NaN };
  const logs = usable.map(({ v }) => Math.log10(v));
  let lo = Math.min(...logs);
  let hi = Math.max(...logs);
  if (hi - lo < 1e-9) {
    // A flat line sits in the middle rather than dividing by zero.
    lo -= 0.5;
    hi += 0.5;
  }
  const innerW = Math.max(1, box.width - 2 * box.pad);
  const innerH = Math.max(1, box.height - 2 * box.pad);
  const span = Math.max(1, values.length - 1);
  const xOf = (i: number) => box.pad + (values.length === 1 ? innerW / 2 : (i / span) * innerW);
  const yOf = (log: number) => box.pad + (1 - (log - lo) / (hi - lo)) * innerH;
  const coords = usable.map(({ i }, k) => ({ x: round(xOf(i)), y: round(yOf(logs[k]!)) }));

  const ticks: ChartTick[] = [];
  for (let p = Math.ceil(lo); p <= Math.floor(hi); p++) ticks.push({ y: round(yOf(p)), label: formatLoss(10 ** p) });

  return {
    points: coords.map(({ x, y }) => `${x},${y}`).join(' '),
    last: coords[coords.length - 1] ?? null,
    ticks,
    min: 10 ** Math.min(...logs),
    max: 10 ** Math.max(...logs),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
