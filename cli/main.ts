#!/usr/bin/env node
/**
 * The `outguard` command. Each subcommand lives in its own module; this file only wires them to
 * commander and to the shared exit-status handling in runtime.ts.
 */
import { Command, Option } from 'commander';
import { CONFIDENCES } from '../detectors/types.js';
import { detectCommand } from './detect.js';
import { doctorCommand } from './doctor.js';
import { discardCommand, heldCommand, releaseCommand } from './held.js';
import { run } from './runtime.js';
import { scanCommand } from './scan.js';
import { startCommand } from './start.js';

const program = new Command()
  .name('outguard')
  .description('Outbound-mail data-loss prevention milter for Postfix')
  .version('0.1.0')
  // Usage errors exit 2, like bad settings.
  .exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

program
  .command('start')
  .description('run the milter and the web service (SQLite in the data folder unless DATABASE_URL is set)')
  .action(() => run(startCommand));

program
  .command('scan')
  .description('inspect a message file with the same pipeline as the milter')
  .argument('<file>', 'an RFC 5322 message (.eml)')
  .option('--json', 'print the result as JSON')
  .option('--policy <file>', 'use this policy YAML instead of the configured one')
  .action((file: string, options) => run(() => scanCommand(file, options)));

program
  .command('detect')
  .description('find personal data, company keywords and patterns in text read from stdin')
  .option('--json', 'print findings as a JSON array')
  .addOption(new Option('--jsonl', 'read one JSON string per line, print one findings array per line'))
  .option('--reveal', 'include the clear value of each finding (never use on shared terminals)')
  .addOption(
    new Option('--min-confidence <level>', 'print findings at this confidence or above (default: detection.minConfidence, medium)')
      .choices(CONFIDENCES),
  )
  .action((options) => run(() => detectCommand(options)));

program
  .command('held')
  .description('list messages held in the Postfix hold queue by Outguard')
  .option('--json', 'print as JSON')
  .action((options) => run(() => heldCommand(options)));

program
  .command('release')
  .description('release a held message: postsuper -H, then postqueue -i')
  .argument('<id>', 'Outguard message id or Postfix queue id')
  .option('--actor <name>', 'who releases it, for the record', process.env.SUDO_USER ?? process.env.USER ?? 'cli')
  .action((id: string, options) => run(() => releaseCommand(id, options)));

program
  .command('discard')
  .description('delete a held message: postsuper -d')
  .argument('<id>', 'Outguard message id or Postfix queue id')
  .option('--actor <name>', 'who discards it, for the record', process.env.SUDO_USER ?? process.env.USER ?? 'cli')
  .option('--reason <text>', 'why, for the record')
  .action((id: string, options) => run(() => discardCommand(id, options)));

program
  .command('doctor')
  .description('check the Postfix settings Outguard relies on and say what to change')
  .option('--json', 'print as JSON')
  .action((options) => run(() => doctorCommand(options)));

await program.parseAsync(process.argv);
