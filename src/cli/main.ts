import { Command } from 'commander';
import { ConfigError } from '../server/config.ts';
import { registerDataCommands } from './data-commands.ts';
import { registerExportCommands } from './export-commands.ts';
import { registerImportCommands } from './import-commands.ts';
import { registerUserCommands } from './user-commands.ts';
import { serve } from './serve.ts';

const program = new Command()
  .name('jobforge')
  .description(
    'Job Forge: your job search workspace. Configuration comes from the environment (see docs/configuration.md).',
  )
  .showHelpAfterError();

program
  .command('serve', { isDefault: true })
  .description('run the web server (applies migrations first)')
  .action(serve);

registerDataCommands(program);
registerUserCommands(program);
registerImportCommands(program);
registerExportCommands(program);

try {
  await program.parseAsync();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error(`jobforge: ${(err as Error).message}`);
  }
  process.exitCode = 1;
}
