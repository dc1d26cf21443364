/**
 * `outguard start` — the milter and the web service in one process, on the embedded default
 * (SQLite under the data folder) unless DATABASE_URL points at PostgreSQL.
 *
 * SIGHUP re-reads the policy, and the settings' `detection` section with its word files (the
 * rest of the settings needs a restart). If either is bad, the error is logged and the previous
 * version stays in force. SIGTERM and SIGINT stop accepting, let in-flight messages finish,
 * then close the store.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { createAdminApp } from '../admin/app.js';
import { formatListen, parseListen, type ListenAddress } from '../config/listen.js';
import { detectionFrom } from '../config/detection.js';
import type { LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Detection } from '../detectors/types.js';
import { createMilterHandler } from '../engine/milter-handler.js';
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
  const store = await storeFrom(config, logger);
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
        detection: () => detecting.detection,
        logger,
        settings: config.milter,
      }),
      logger,
      maxPacketBytes: config.milter.maxPacketBytes,
      maxMessageBytes: config.milter.maxMessageBytes,
      progressIntervalMs: config.milter.progressIntervalMs,
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
    ...detectionSummary(config),
  });
  warnUnknownLabels(policy, detecting, logger);

  process.on('SIGHUP', () => {
    policy = reloadPolicy(config, policy, logger);
    detecting = reloadDetection(detecting, logger);
    warnUnknownLabels(policy, detecting, logger);
  });
  const stop = async (signal: string) => {
    logger.info('outguard stopping', { signal });
    web.close();
    await milter.close();
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
  readonly detection: Detection;
  /** Dictionary and pattern names: the labels its findings can carry. */
  readonly labels: ReadonlySet<string>;
}

function setUpDetection({ config, file }: LoadedConfig): DetectionSetUp {
  const { dictionaries, patterns } = detectionSummary(config);
  return { detection: detectionFrom(config, file), labels: new Set([...dictionaries, ...patterns]) };
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
