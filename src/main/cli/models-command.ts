import { Option, type Command } from 'commander';
import {
  DEFAULT_NETWORKS,
  NETWORKS,
  installModels,
  verifyModels,
  type InstallProgress,
  type Network,
} from '../services/models/index.js';

interface InstallCommandOptions {
  from?: string;
  to?: string;
  only?: Network;
}

interface VerifyCommandOptions {
  dir?: string;
  only?: Network;
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Turns install progress into stderr lines, a download's at every tenth of the file. */
function progressPrinter(write: (line: string) => void): (event: InstallProgress) => void {
  let lastTenth = -1;
  return (event) => {
    switch (event.step) {
      case 'file':
        // A line per file helps for VGG19's few large shards; fast-style's 49 small files per network would drown it.
        if (event.total <= 10) write(`${event.network}: checked ${event.file} (${event.done}/${event.total})`);
        break;
      case 'download': {
        const tenth = event.totalBytes ? Math.floor((10 * event.receivedBytes) / event.totalBytes) : -1;
        if (tenth !== lastTenth && event.totalBytes) {
          lastTenth = tenth;
          write(`${event.network}: downloading ${event.file} ${tenth * 10}% of ${megabytes(event.totalBytes)}`);
        }
        break;
      }
      case 'convert':
        write(`${event.network}: converting ${event.file} to the app's format`);
        break;
      case 'installed':
        write(`${event.network}: installed ${event.files} files in ${event.dir}`);
        break;
    }
  };
}

/**
 * `atelier models install` and `atelier models verify`. Failures are thrown as the models service's
 * coded errors; the CLI's entry point prints their message and exits non-zero.
 */
export function registerModelsCommand(program: Command): void {
  const models = program.command('models').description('install and check the network weights');
  const onlyOption = () => new Option('--only <network>', 'just this network (vgg16 is installed only when asked for)').choices(NETWORKS);

  models
    .command('install')
    .description('install the weights from a local folder, or download them from their public sources')
    .option('--from <dir>', 'a folder laid out like shared/models (vgg19/, fast-style/<name>/, vgg16/<Keras .h5>) instead of downloading')
    .option('--to <dir>', 'the models folder to install into (default: the models folder of this checkout)')
    .addOption(onlyOption())
    .action(async (options: InstallCommandOptions, command: Command) => {
      const { writeErr = (text: string) => process.stderr.write(text) } = command.configureOutput();
      await installModels({
        from: options.from,
        to: options.to,
        networks: options.only ? [options.only] : DEFAULT_NETWORKS,
        onProgress: progressPrinter((line) => writeErr(`${line}\n`)),
      });
    });

  models
    .command('verify')
    .description('check the installed weights against their checksums')
    .option('--dir <dir>', 'the models folder to check (default: the models folder of this checkout)')
    .addOption(onlyOption())
    .action(async (options: VerifyCommandOptions, command: Command) => {
      const { writeOut = (text: string) => process.stdout.write(text) } = command.configureOutput();
      const verified = await verifyModels({ dir: options.dir, networks: options.only ? [options.only] : DEFAULT_NETWORKS });
      for (const { network, files, dir } of verified) writeOut(`${network}: ${files.length} files ok in ${dir}\n`);
    });
}
