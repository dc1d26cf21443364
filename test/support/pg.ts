/**
 * Throwaway PostgreSQL schemas for tests. Each call creates `og_test_<random>` in the test
 * database and hands back a URL whose connections see only that schema (through the startup
 * option `-c search_path=…`), so runs never meet each other's tables, and `drop()` removes it.
 *
 * The server is TEST_DATABASE_URL, or the local one CI and the development machines run.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Long enough for a local server under load, short enough that a missing one is noticed. */
const CONNECT_TIMEOUT_MS = 3000;

export interface TestSchema {
  readonly schema: string;
  /** TEST_DATABASE_URL with its search_path pointed at the schema. */
  readonly url: string;
  /** Runs one statement in the schema (for checks that look under the store's API). */
  query<Row extends object>(text: string, values?: unknown[]): Promise<Row[]>;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** Null with the reason when the server cannot be reached; the caller skips, visibly. */
export async function pgUnreachableReason(baseUrl = TEST_DATABASE_URL): Promise<string | null> {
  const client = connectClient(baseUrl);
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return `PostgreSQL not reachable at ${redact(baseUrl)}: ${(err as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createTestSchema(baseUrl = TEST_DATABASE_URL): Promise<TestSchema> {
  const schema = `og_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const scoped = url.toString();
  await withClient(baseUrl, (client) => client.query(`create schema ${schema}`));
  return {
    schema,
    url: scoped,
    query: async <Row extends object>(text: string, values: unknown[] = []) =>
      withClient(scoped, async (client) => (await client.query<Row>(text, values)).rows),
    drop: async () => {
      await withClient(baseUrl, (c) => c.query(`drop schema if exists ${schema} cascade`));
    },
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = connectClient(url);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function connectClient(url: string): pg.Client {
  return new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
}

/** The URL without its password, for skip messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable TEST_DATABASE_URL)';
  }
}
