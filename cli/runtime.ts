/**
 * What every CLI command needs: settings, a logger, the policy, the store; and one place that
 * turns known failures into a one-line message and an exit status.
 *
 * Exit statuses: 0 done; 1 the operation failed (message not found, Postfix refused…);
 * 2 bad usage or bad settings (config, policy file).
 */
import { ConfigError, loadConfig, type LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createLogger, type Logger } from '../log/logger.js';
import { loadPolicyFile, PolicyError } from '../policies/load.js';
import type { Policy } from '../policies/types.js';
import { openStore, type Store } from '../store/index.js';

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
  }
}

export function settings(): LoadedConfig {
  return loadConfig(process.env);
}

export function policyFrom(config: Config, override?: string): Policy {
  return loadPolicyFile(override ?? config.policyFile);
}

/** Logger for commands whose stdout is their answer: JSON log lines go to stderr. */
export function commandLogger(config: Config): Logger {
  return createLogger({ level: config.log.level === 'debug' ? 'debug' : 'warn', stream: process.stderr });
}

export async function storeFrom(config: Config, logger: Logger): Promise<Store> {
  return openStore({
    dataDir: config.dataDir,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    logger,
  });
}

/** Run a command body; print known errors as one line and exit with their status. */
export async function run(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    process.exitCode = report(err);
  }
}

function report(err: unknown): number {
  if (err instanceof ConfigError || err instanceof PolicyError) {
    process.stderr.write(`outguard: ${err.message}\n`);
    return 2;
  }
  if (err instanceof CliError) {
    process.stderr.write(`outguard: ${err.message}\n`);
    return err.exitCode;
  }
  process.stderr.write(`outguard: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}
