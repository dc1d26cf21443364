/**
 * Schema migrations, written once with Kysely's schema builder and run at every open.
 *
 * Rules for adding one: append a new entry with the next number (never edit a shipped one),
 * use only types both dialects share, and branch on `dialect` only where they truly differ (so
 * far: the binary type). Migrations see `Kysely<any>` on purpose: they describe the schema as it
 * was at that step, not as `schema.ts` says it is today.
 *
 * Kysely's Migrator records applied steps in `kysely_migration` and serialises concurrent
 * openers (an advisory lock on PostgreSQL; SQLite has one writer anyway), so several relays
 * starting together against one database apply each step once.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationResult } from 'kysely';

export type StoreDialect = 'sqlite' | 'postgres';

function binaryType(dialect: StoreDialect): 'blob' | 'bytea' {
  return dialect === 'postgres' ? 'bytea' : 'blob';
}

function initialSchema(dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('messages')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('queue_id', 'text')
        .addColumn('client_address', 'text')
        .addColumn('client_name', 'text')
        .addColumn('helo', 'text')
        .addColumn('sender', 'text', (col) => col.notNull())
        .addColumn('recipients', 'text', (col) => col.notNull())
        .addColumn('message_id', 'text')
        .addColumn('subject', 'text', (col) => col.notNull())
        .addColumn('size', 'integer', (col) => col.notNull())
        .addColumn('attachment_names', 'text', (col) => col.notNull())
        .addColumn('action', 'text', (col) => col.notNull())
        .addColumn('rule_id', 'text')
        .addColumn('reason', 'text', (col) => col.notNull())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('problems', 'text', (col) => col.notNull())
        .addColumn('received_at', 'text', (col) => col.notNull())
        .addColumn('updated_at', 'text', (col) => col.notNull())
        .execute();
      // Lookups by queue id (Postfix log → record), the approval queue (state) and listings.
      await db.schema.createIndex('messages_queue_id').on('messages').column('queue_id').execute();
      await db.schema.createIndex('messages_state').on('messages').column('state').execute();
      await db.schema
        .createIndex('messages_received_at')
        .on('messages')
        .column('received_at')
        .execute();

      await db.schema
        .createTable('findings')
        .addColumn('message_id', 'text', (col) =>
          col.notNull().references('messages.id').onDelete('cascade'),
        )
        .addColumn('seq', 'integer', (col) => col.notNull())
        .addColumn('type', 'text', (col) => col.notNull())
        .addColumn('masked', 'text', (col) => col.notNull())
        .addColumn('location', 'text', (col) => col.notNull())
        .addColumn('confidence', 'text', (col) => col.notNull())
        .addColumn('span_start', 'integer', (col) => col.notNull())
        .addColumn('span_end', 'integer', (col) => col.notNull())
        .addPrimaryKeyConstraint('findings_pk', ['message_id', 'seq'])
        .execute();
      await db.schema.createIndex('findings_type').on('findings').column('type').execute();

      await db.schema
        .createTable('message_events')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('message_id', 'text', (col) =>
          col.notNull().references('messages.id').onDelete('cascade'),
        )
        .addColumn('from_state', 'text')
        .addColumn('to_state', 'text', (col) => col.notNull())
        .addColumn('actor', 'text', (col) => col.notNull())
        .addColumn('reason', 'text')
        .addColumn('at', 'text', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('message_events_message')
        .on('message_events')
        .columns(['message_id', 'at'])
        .execute();

      await db.schema
        .createTable('raw_copies')
        .addColumn('message_id', 'text', (col) =>
          col.primaryKey().references('messages.id').onDelete('cascade'),
        )
        .addColumn('scheme', 'text', (col) => col.notNull())
        .addColumn('key_id', 'text', (col) => col.notNull())
        .addColumn('nonce', binaryType(dialect), (col) => col.notNull())
        .addColumn('tag', binaryType(dialect), (col) => col.notNull())
        .addColumn('ciphertext', binaryType(dialect), (col) => col.notNull())
        .addColumn('size', 'integer', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
    },
  };
}

/**
 * Company dictionaries and patterns (issue 3): a `keyword` or `pattern` finding is counted under
 * its dictionary or pattern name. Nullable, so rows written before it read as "no label".
 */
const findingLabel: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('findings').addColumn('label', 'text').execute();
  },
};

/** Every migration, by name; names sort in the order they must run. */
export function storeMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial': initialSchema(dialect),
    '0002-finding-label': findingLabel,
  };
}

/**
 * Brings the schema up to date. Resolves with the names of the steps applied now (empty when
 * the schema was current); rejects with the failing step's error.
 */
export async function migrateToLatest(db: Kysely<any>, dialect: StoreDialect): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => storeMigrations(dialect) },
    migrationTableSchema: dialect === 'postgres' ? await currentPgSchema(db) : undefined,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error')?.migrationName;
    throw new Error(`store migration ${failed ?? '(setup)'} failed: ${String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * The schema unqualified names resolve to. The Migrator is told it explicitly because, left to
 * itself, it looks for `kysely_migration` in every schema of the database, and would take
 * another schema's table (another Outguard, a test run) for ours.
 */
async function currentPgSchema(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
    db,
  );
  const schema = rows[0]?.schema;
  if (!schema) {
    throw new Error('PostgreSQL search_path names no existing schema; create it or fix the URL');
  }
  return schema;
}
