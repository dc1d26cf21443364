/**
 * Loading settings: shipped defaults, then the YAML file, then the environment.
 *
 * Environment overrides (each wins over the file):
 *   OUTGUARD_CONFIG              path of the YAML file (default /etc/outguard/outguard.yaml if present)
 *   OUTGUARD_DATA_DIR            dataDir
 *   OUTGUARD_MILTER_LISTEN       milter.listen      (inet:HOST:PORT or unix:/PATH)
 *   OUTGUARD_WEB_LISTEN          web.listen         (HOST:PORT)
 *   OUTGUARD_POSTFIX_CONFIG_DIR  postfix.configDir  (passed as -c to the Postfix tools)
 *   OUTGUARD_POLICY              policyFile
 *   OUTGUARD_LOG_LEVEL           log.level
 *   DATABASE_URL                 databaseUrl        (postgres://…; unset means SQLite)
 *
 * Any problem is a ConfigError with a one-line message naming the setting and its source; the
 * CLI prints it and exits with status 2.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config } from './schema.js';

export const DEFAULT_CONFIG_PATH = '/etc/outguard/outguard.yaml';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

/** Setting path → environment variable. */
const ENV_OVERRIDES: ReadonlyArray<readonly [string[], string]> = [
  [['dataDir'], 'OUTGUARD_DATA_DIR'],
  [['milter', 'listen'], 'OUTGUARD_MILTER_LISTEN'],
  [['web', 'listen'], 'OUTGUARD_WEB_LISTEN'],
  [['postfix', 'configDir'], 'OUTGUARD_POSTFIX_CONFIG_DIR'],
  [['policyFile'], 'OUTGUARD_POLICY'],
  [['log', 'level'], 'OUTGUARD_LOG_LEVEL'],
  [['databaseUrl'], 'DATABASE_URL'],
];

export interface LoadedConfig {
  readonly config: Config;
  /** The file the settings came from, or null when only defaults and environment applied. */
  readonly file: string | null;
}

export function loadConfig(env: Env = process.env): LoadedConfig {
  const file = pickConfigFile(env);
  const raw: Record<string, unknown> = file ? readConfigFile(file) : {};
  const sources = new Map<string, string>();
  for (const [keyPath, variable] of ENV_OVERRIDES) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    setPath(raw, keyPath, value);
    sources.set(keyPath.join('.'), variable);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssue(parsed.error, sources, file));
  const config = parsed.data;
  // Relative folders are taken from where the command runs, once, so later chdir cannot move them.
  config.dataDir = path.resolve(config.dataDir);
  if (config.policyFile) config.policyFile = path.resolve(config.policyFile);
  return { config, file };
}

function pickConfigFile(env: Env): string | null {
  const named = env.OUTGUARD_CONFIG;
  if (named) {
    if (!existsSync(named)) throw new ConfigError(`config file not found: ${named} (OUTGUARD_CONFIG)`);
    return named;
  }
  return existsSync(DEFAULT_CONFIG_PATH) ? DEFAULT_CONFIG_PATH : null;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const line = err.linePos?.[0]?.line;
      const first = err.message.split('\n')[0];
      throw new ConfigError(`${file}${line ? `:${line}` : ''}: ${first}`);
    }
    throw err;
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${file}: the top level must be a mapping of settings`);
  }
  return value as Record<string, unknown>;
}

function setPath(target: Record<string, unknown>, keyPath: string[], value: string): void {
  let node = target;
  for (const key of keyPath.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keyPath[keyPath.length - 1] as string] = value;
}

function describeIssue(error: z.ZodError, sources: Map<string, string>, file: string | null): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid configuration';
  const key = issue.path.join('.') || '(top level)';
  const source = sources.get(key) ?? (file ? `in ${file}` : 'default');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    return `unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys
      .map((k) => (issue.path.length ? `${key}.${k}` : k))
      .join(', ')}${file ? ` in ${file}` : ''}`;
  }
  return `bad setting ${key}: ${message} (${source})`;
}
