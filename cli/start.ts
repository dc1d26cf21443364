/**
 * `outguard start` — the milter and the web service in one process, on the embedded default
 * (SQLite under the data folder) unless DATABASE_URL points at PostgreSQL.
 *
 * Mail is extracted and scanned in a pool of child processes (engine/scan-pool.ts, settings
 * `extraction.pool`), so a crashing or hanging extractor costs one message, never the daemon.
 *
 * SIGHUP re-reads the policy, and the settings' `detection` section with its word files (the
 * rest of the settings needs a restart); the new detector set goes to every scan worker. If
 * either is bad, the error is logged and the previous version stays in force. SIGTERM and
 * SIGINT stop accepting, let in-flight messages finish, stop the scan workers, then close the
 * store.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import path from 'node:path';
import { createAdminApp } from '../admin/app.js';
import { formatListen, parseListen, type ListenAddress } from '../config/listen.js';
import { compileDetection } from '../config/detection.js';
import { extractionLimits } from '../config/extraction.js';
import type { LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createMilterHandler } from '../engine/milter-handler.js';
import type { SendableDetectionOptions } from '../engine/scan-protocol.js';
import { ScanPool } from '../engine/scan-pool.js';
import { createLogger, type Logger } from '../log/logger.js';
import { startMilterServer, type MilterServer } from '../milter/index.js';
import { policyLabels } from '../policies/evaluate.js';
import type { Policy } from '../policies/types.js';
import { CliError, policyFrom, settings, storeFrom } from './runtime.js';

export async function startCommand(): Promise<void> {
  const { config, file } = settings();
  const logger = createLogger({ level: config.log.level });
  let policy = policyFrom(config);
  let detecting = setUpDetection({ config, file });
  const limits = extractionLimits(config);
  if (limits.timeBudgetMs >= config.milter.scanTimeoutMs) {
    logger.warn('extraction.timeBudgetMs is not below milter.scanTimeoutMs: a slow file fails the whole message', {
      timeBudgetMs: limits.timeBudgetMs,
      scanTimeoutMs: config.milter.scanTimeoutMs,
    });
  }
  const store = await storeFrom(config, logger);
  // The milter server makes its own folder in it once bound, and removes what daemons that died
  // mid-message left there (Postfix still has those messages).
  const spoolDir = path.join(config.dataDir, 'spool');
  const pool = scanPoolFrom(config, detecting.options, logger);
  // Bind both listeners before serving anything; if either fails, release what was opened and
  // exit, rather than run a milter with no web service (or the reverse).
  let milter: MilterServer | null = null;
  let web: Server;
  try {
    const running = await startMilterServer({
      listen: parseListen(config.milter.listen),
      handler: createMilterHandler({
        store,
        policy: () => policy,
        scanner: pool,
        limits,
        logger,
        settings: config.milter,
      }),
      logger,
      maxPacketBytes: config.milter.maxPacketBytes,
      maxMessageBytes: config.milter.maxMessageBytes,
      progressIntervalMs: config.milter.progressIntervalMs,
      spool: { dir: spoolDir, fromBytes: config.milter.spoolFromBytes },
    });
    milter = running;
    const app = createAdminApp({
      store,
      logger,
      status: () => ({ milter: formatListen(running.address), milterConnections: running.connectionCount }),
    });
    web = await listenHttp(createServer(app), parseListen(config.web.listen, { allowBare: true }));
  } catch (err) {
    await milter?.close();
    await pool.close(0);
    await store.close();
    throw new CliError(`cannot listen: ${(err as Error).message}`, 1);
  }
  logger.info('outguard started', {
    milter: formatListen(milter.address),
    web: config.web.listen,
    store: store.dialect,
    dataDir: config.dataDir,
    config: file ?? '(defaults)',
    policy: config.policyFile ?? '(shipped default)',
    scanWorkers: pool.stats().workers,
    ...detectionSummary(config),
  });
  warnUnknownLabels(policy, detecting, logger);

  process.on('SIGHUP', () => {
    policy = reloadPolicy(config, policy, logger);
    const next = reloadDetection(detecting, logger);
    if (next !== detecting) pool.setDetection(next.options);
    detecting = next;
    warnUnknownLabels(policy, detecting, logger);
  });
  const stop = async (signal: string) => {
    logger.info('outguard stopping', { signal });
    web.close();
    await milter.close();
    await pool.close();
    await store.close();
    logger.info('outguard stopped');
  };
  await Promise.race([once(process, 'SIGTERM'), once(process, 'SIGINT')]).then(([signal]) =>
    stop(String(signal ?? 'signal')),
  );
}

function reloadPolicy(config: Config, current: Policy, logger: Logger): Policy {
  try {
    const next = policyFrom(config);
    logger.info('policy reloaded', { rules: next.rules.length });
    return next;
  } catch (err) {
    logger.warn('policy reload refused, keeping the previous policy', { err: (err as Error).message });
    return current;
  }
}

interface DetectionSetUp {
  /** What the scan workers build their detector set from (word lists read already). */
  readonly options: SendableDetectionOptions;
  /** Dictionary and pattern names: the labels its findings can carry. */
  readonly labels: ReadonlySet<string>;
}

/**
 * The detection options, checked by compiling them once here (a bad pattern must stop the start
 * or the reload, not a worker); the compiled set is dropped, as the workers build their own.
 */
function setUpDetection({ config, file }: LoadedConfig): DetectionSetUp {
  const { dictionaries, patterns } = detectionSummary(config);
  const { options } = compileDetection(config, file);
  return { options, labels: new Set([...dictionaries, ...patterns]) };
}

function scanPoolFrom(config: Config, detection: SendableDetectionOptions, logger: Logger): ScanPool {
  const settings = config.extraction.pool;
  return new ScanPool({
    ...(settings.size !== undefined ? { size: settings.size } : {}),
    maxQueue: settings.maxQueue,
    timeoutMs: config.milter.scanTimeoutMs,
    detection,
    maxOldSpaceMb: settings.maxOldSpaceMb,
    maxMessagesPerChild: settings.maxMessagesPerChild,
    maxRssBytes: settings.maxRssMb * 1024 * 1024,
    maxJobRssBytes: settings.maxJobRssMb * 1024 * 1024,
    logger,
  });
}

/**
 * The detector set from the settings as they are now. The file and the environment are read
 * again, but only `detection` is taken from them: listeners and the store are bound already.
 */
function reloadDetection(current: DetectionSetUp, logger: Logger): DetectionSetUp {
  try {
    const loaded = settings();
    const next = setUpDetection(loaded);
    logger.info('detection reloaded', detectionSummary(loaded.config));
    return next;
  } catch (err) {
    logger.warn('detection reload refused, keeping the previous detection', { err: (err as Error).message });
    return current;
  }
}

/** A rule selecting a label no dictionary or pattern has would never match: say so. */
function warnUnknownLabels(policy: Policy, detecting: DetectionSetUp, logger: Logger): void {
  const unknown = policyLabels(policy).filter((l) => !detecting.labels.has(l));
  if (unknown.length > 0) {
    logger.warn('policy labels name no configured dictionary or pattern', { labels: unknown });
  }
}

/** Names only: dictionary words can be confidential themselves, so they are never logged. */
function detectionSummary(config: Config) {
  return {
    dictionaries: config.detection.dictionaries.map((d) => d.name),
    patterns: config.detection.patterns.map((p) => p.name),
  };
}

async function listenHttp(server: Server, address: ListenAddress): Promise<Server> {
  if (address.kind === 'unix') server.listen(address.path);
  else server.listen(address.port, address.host);
  await once(server, 'listening');
  return server;
}
