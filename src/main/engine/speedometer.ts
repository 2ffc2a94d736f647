/**
 * Time left in a render. Plain arithmetic with no TensorFlow import, so the studio's estimate before a
 * render and the engine's during it are one model: an iteration costs a rate times its pixel count.
 */

/** Iterations × pixels over the stages: what a render's time is proportional to. */
export function pixelIterations(stages: readonly { width: number; height: number; iterations: number }[]): number {
  return stages.reduce((sum, s) => sum + s.iterations * s.width * s.height, 0);
}

/**
 * The rate starts at the one the estimate before the render used (`expectedMsPerPixelIteration`, this
 * machine's measured speed for the backend) and moves toward what this render measures as it goes: the
 * expected rate counts as much as the render's whole work, so half-way through the render the two count
 * equally. Without an expected rate the measured one is used alone. Time left then never jumps
 * from the figure shown before Render to one extrapolated from a few warm-up iterations.
 */
export class Speedometer {
  readonly total: number;
  private readonly work: number;
  /** Milliseconds and pixel-iterations of the stages finished, and of the running one so far (its first iteration not counted). */
  private finishedMs = 0;
  private finishedWork = 0;
  private stageMs = 0;
  private stageWork = 0;
  /**
   * Per stage started: the time to its first iteration's end. A stage's setup (the style's features,
   * onnx's session for the size) is a fixed cost the per-pixel rate does not describe; stages not yet
   * started are expected to cost what the started ones did.
   */
  private readonly setups: number[] = [];

  constructor(
    private readonly stages: readonly { width: number; height: number; iterations: number }[],
    private readonly expectedMsPerPixelIteration?: number,
  ) {
    this.total = stages.reduce((sum, s) => sum + s.iterations, 0);
    this.work = pixelIterations(stages);
  }

  /** `elapsedMs` since stage `stage` started, after its iteration `iteration` (0-based). */
  record(stage: number, elapsedMs: number, iteration: number): void {
    const { width, height } = this.stages[stage]!;
    if (iteration === 0) this.setups[stage] = elapsedMs;
    this.stageMs = elapsedMs - this.setups[stage]!;
    this.stageWork = iteration * width * height;
  }

  /** Stage `stage` is over: what it took counts from now on. */
  finishStage(): void {
    this.finishedMs += this.stageMs;
    this.finishedWork += this.stageWork;
    this.stageMs = 0;
    this.stageWork = 0;
  }

  /** Iterations done over all stages, `iteration` of them in stage `stage`. */
  done(stage: number, iteration: number): number {
    return this.stages.slice(0, stage).reduce((sum, s) => sum + s.iterations, 0) + iteration;
  }

  /** Milliseconds per pixel-iteration to expect for what is left. */
  rate(): number {
    const ms = this.finishedMs + this.stageMs;
    const work = this.finishedWork + this.stageWork;
    const expected = this.expectedMsPerPixelIteration;
    if (expected !== undefined && expected > 0) return (expected * this.work + ms) / (this.work + work);
    return work > 0 ? ms / work : 0;
  }

  /** Estimated milliseconds to finish, `iteration` iterations into stage `stage`. */
  eta(stage: number, iteration: number): number {
    const current = this.stages[stage]!;
    const later = this.stages.slice(stage + 1);
    const left = (current.iterations - iteration) * current.width * current.height + pixelIterations(later);
    const measured = this.setups.filter((ms) => ms !== undefined);
    const setup = measured.length > 0 ? measured.reduce((a, b) => a + b, 0) / measured.length : 0;
    return left * this.rate() + later.length * setup;
  }
}
