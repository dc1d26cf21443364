/**
 * What every CLI command needs: settings, a logger, the policy, the store; and one place that
 * turns known failures into a one-line message and an exit status.
 *
 * Exit statuses: 0 done; 1 the operation failed (message not found, Postfix refused…);
 * 2 bad usage or bad settings (config, policy file).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createLogger, type Logger } from '../log/logger.js';
import { loadPolicyFile, PolicyError } from '../policies/load.js';
import type { Policy } from '../policies/types.js';
import { PostfixToolError } from '../mta/index.js';
import { openStore, SQLITE_FILE, type Store } from '../store/index.js';

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
  // Only our own faults: what a command reports to its user it says in its own line.
  return createLogger({ level: config.log.level === 'debug' ? 'debug' : 'error', stream: process.stderr });
}

/**
 * Open the configured store. Commands that act on the daemon's records pass `mustExist`, so a
 * command run from another folder (a relative data folder resolves elsewhere) says so instead
 * of creating an empty store and reporting nothing held.
 */
export async function storeFrom(config: Config, logger: Logger, options: { mustExist?: boolean } = {}): Promise<Store> {
  if (options.mustExist && !config.databaseUrl && !existsSync(path.join(config.dataDir, SQLITE_FILE))) {
    throw new CliError(
      `no Outguard store in ${config.dataDir}: set OUTGUARD_DATA_DIR (or DATABASE_URL) as for the daemon`,
      2,
    );
  }
  try {
    return await openStore({
      dataDir: config.dataDir,
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
      logger,
    });
  } catch (err) {
    throw new CliError(`cannot open the store (${config.databaseUrl ? 'DATABASE_URL' : config.dataDir}): ${firstLine(err)}`, 2);
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
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
  if (err instanceof PostfixToolError) {
    process.stderr.write(`outguard: Postfix tools: ${firstLine(err)}\n`);
    return 1;
  }
  if (err instanceof CliError) {
    process.stderr.write(`outguard: ${err.message}\n`);
    return err.exitCode;
  }
  process.stderr.write(`outguard: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}
