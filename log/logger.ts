/**
 * Structured logging: winston, one JSON object per line.
 *
 * Conventions every module follows:
 * - a line about a message carries `qid` (the Postfix queue id, or `NOQUEUE` until Postfix sends
 *   one) and, where known, `mid` (our message id);
 * - the text of a line is stable; values go in fields;
 * - info is one line per decision, warn is the peer's or the configuration's fault, error is ours;
 * - a personal-data value is never logged, only its type and masked form.
 */
import winston from 'winston';

export type Logger = winston.Logger;

/** Queue id placeholder before Postfix has assigned one, as Postfix itself writes it. */
export const NOQUEUE = 'NOQUEUE';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface LoggerOptions {
  level?: LogLevel;
  /** Write to this stream instead of stdout (tests capture lines this way). */
  stream?: NodeJS.WritableStream;
  /** Silence everything (CLI commands whose stdout is their result). */
  silent?: boolean;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console({ stderrLevels: [] });
  return winston.createLogger({
    level: options.level ?? 'info',
    silent: options.silent ?? false,
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      winston.format.json(),
    ),
    defaultMeta: { service: 'outguard' },
    transports: [transport],
  });
}

/** A logger that drops everything; for library callers that pass none. */
export function nullLogger(): Logger {
  return createLogger({ silent: true });
}
