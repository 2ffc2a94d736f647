import cliProgress from 'cli-progress';
import type { RenderUpdate } from '../services/render/index.js';
import { formatDuration, formatLoss } from './parse.js';

/**
 * The render's progress on stderr: a live bar on a terminal, and a plain line per update when
 * stderr is a file or a pipe (CI logs), where redrawing would only add noise.
 */
export class RenderProgressBar {
  private readonly bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'stage {stage} {size}px |{bar}| {value}/{total} it | content {content} style {style} tv {tv} | {elapsed} elapsed, ETA {eta}',
      hideCursor: true,
      barsize: 24,
      etaBuffer: 1,
    },
    cliProgress.Presets.shades_classic,
  );
  private started = false;

  update(update: RenderUpdate): void {
    const fields = {
      stage: `${update.stage + 1}/${update.stages}`,
      size: update.stageSize,
      content: formatLoss(update.losses.content),
      style: formatLoss(update.losses.style),
      tv: formatLoss(update.losses.tv),
      elapsed: formatDuration(update.elapsedMs),
      eta: formatDuration(update.etaMs),
    };
    if (!process.stderr.isTTY) {
      process.stderr.write(`stage ${fields.stage} ${fields.size}px  ${update.done}/${update.total} it  content ${fields.content}  style ${fields.style}  tv ${fields.tv}  ${fields.elapsed} elapsed, ETA ${fields.eta}\n`);
      return;
    }
    if (!this.started) {
      this.bar.start(update.total, update.done, fields);
      this.started = true;
    } else {
      this.bar.update(update.done, fields);
    }
  }

  stop(): void {
    if (this.started) this.bar.stop();
  }
}
