import { createRequire } from 'node:module';
import { Command } from 'commander';
import { errorData } from '../../common/errors.js';
import { registerBenchCommand } from './bench-command.js';
import { registerCheckGpuCommand } from './check-gpu-command.js';
import { registerInstantCommand } from './instant-command.js';
import { registerModelsCommand } from './models-command.js';
import { registerRenderCommand } from './render-command.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

const program = new Command('atelier')
  .description('Atelier: neural style transfer (Gatys et al. 2015) on VGG19 with TensorFlow.js')
  .version(version)
  .showHelpAfterError();
registerRenderCommand(program);
registerInstantCommand(program);
registerBenchCommand(program);
registerCheckGpuCommand(program);
registerModelsCommand(program);

try {
  await program.parseAsync();
} catch (error) {
  const { code, message } = errorData(error);
  process.stderr.write(`atelier: ${message}${code === 'INTERNAL' && error instanceof Error && error.stack ? `\n${error.stack}` : ''}\n`);
  process.exitCode = 1;
}
