import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { errorData } from '../../common/errors.js';
import { explainDiskFull } from '../services/files/disk-full.js';
import { registerBenchCommand } from './bench-command.js';
import { registerCheckGpuCommand } from './check-gpu-command.js';
import { registerInstantCommand } from './instant-command.js';
import { registerModelsCommand } from './models-command.js';
import { registerRenderCommand } from './render-command.js';
import { USAGE_EXIT_CODE, usageExitCode } from '../../common/exit-codes.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

// Set before the commands are registered: commander copies these settings into each subcommand.
const program = new Command('atelier')
  .description('Atelier: neural style transfer (Gatys et al. 2015) on VGG19 with TensorFlow.js')
  .version(version)
  // A bad option is one line naming it and what it accepts (commander's words, our prefix), not the help.
  .configureOutput({ outputError: (text, write) => write(`atelier: ${text.replace(/^error: /, '')}`) })
  .exitOverride();
registerRenderCommand(program);
registerInstantCommand(program);
registerBenchCommand(program);
registerCheckGpuCommand(program);
registerModelsCommand(program);

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) {
    // Already printed by commander; --help and --version end here too, with exit code 0.
    process.exitCode = error.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
  } else {
    const { code, message } = errorData(await explainDiskFull(error));
    process.stderr.write(`atelier: ${message}${code === 'INTERNAL' && error instanceof Error && error.stack ? `\n${error.stack}` : ''}\n`);
    process.exitCode = usageExitCode(code);
  }
}
