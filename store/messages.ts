/**
 * Queries on message records, their findings and their audit trail. One code path for both
 * dialects: everything here is plain Kysely with no dialect branch.
 */
import type { Kysely, Selectable } from 'kysely';
import { isUniqueViolation, StoreError } from './errors.js';
import { isUlid, newEventId } from './ids.js';
import {
  fromEventRow,
  fromRows,
  isMessageState,
  toFindingRows,
  toMessageRow,
  validateRecord,
} from './rows.js';
import type { Database, FindingsTable, MessagesTable } from './schema.js';
import type {
  ListFilter,
  MessageEvent,
  MessageRecord,
  MessageState,
  NewMessageRecord,
  TransitionNote,
} from './types.js';

/** Actor of the event written when a message is first recorded. */
export const SYSTEM_ACTOR = 'outguard';

export const DEFAULT_LIST_LIMIT = 100;
/** A page the admin can render; larger exports should page with `since`. */
export const MAX_LIST_LIMIT = 1000;

/**
 * Findings per INSERT statement. Nine parameters each keeps a statement at 4,500 parameters,
 * well under SQLite's 32,766 and PostgreSQL's 65,535, however many findings a message has.
 */
const FINDINGS_PER_INSERT = 500;

/**
 * How often a transition re-reads the state after losing a race. Each retry means another
 * writer moved the message between our read and our update; twice in a row is already odd.
 */
const MAX_TRANSITION_ATTEMPTS = 3;

/** Far above our ids (26 characters) and Postfix queue ids, short or long (under 20). */
const MAX_LOOKUP_KEY_LENGTH = 64;

export async function insertMessage(
  db: Kysely<Database>,
  rec: NewMessageRecord,
  now: Date,
): Promise<void> {
  validateRecord(rec);
  const messageRow = toMessageRow(rec, now);
  const findingRows = toFindingRows(rec);
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('messages').values(messageRow).execute();
      for (let i = 0; i < findingRows.length; i += FINDINGS_PER_INSERT) {
        const chunk = findingRows.slice(i, i + FINDINGS_PER_INSERT);
        await trx.insertInto('findings').values(chunk).execute();
      }
      await trx
        .insertInto('message_events')
        .values({
          id: newEventId(),
          message_id: rec.id,
          from_state: null,
          to_state: rec.state,
          actor: SYSTEM_ACTOR,
          reason: rec.reason,
          at: now.toISOString(),
        })
        .execute();
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new StoreError('duplicate-message', `message ${rec.id} is already recorded`, {
        cause: err,
      });
    }
    throw err;
  }
}

/** By our id first; otherwise the newest message Postfix gave this queue id. */
export async function findMessage(
  db: Kysely<Database>,
  idOrQueueId: string,
): Promise<MessageRecord | null> {
  if (idOrQueueId === '' || idOrQueueId.length > MAX_LOOKUP_KEY_LENGTH) return null;
  // ULIDs are case-insensitive and people retype them in lower case; queue ids are not.
  const upper = idOrQueueId.toUpperCase();
  const byId = await db
    .selectFrom('messages')
    .selectAll()
    .where('id', '=', isUlid(upper) ? upper : idOrQueueId)
    .executeTakeFirst();
  const row =
    byId ??
    (await db
      .selectFrom('messages')
      .selectAll()
      .where('queue_id', '=', idOrQueueId)
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst());
  if (!row) return null;
  const findings = await findingsOf(db, [row.id]);
  return fromRows(row, findings.get(row.id) ?? []);
}

export async function findMessages(
  db: Kysely<Database>,
  filter: ListFilter,
): Promise<MessageRecord[]> {
  const limit = listLimit(filter.limit);
  let query = db.selectFrom('messages').selectAll();
  if (filter.state !== undefined) query = query.where('state', '=', filter.state);
  if (filter.since !== undefined) {
    if (Number.isNaN(filter.since.getTime())) throw new RangeError('since is not a valid date');
    query = query.where('received_at', '>=', filter.since.toISOString());
  }
  const rows: Selectable<MessagesTable>[] = await query
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const findings = await findingsOf(db, rows.map((r) => r.id));
  return rows.map((row) => fromRows(row, findings.get(row.id) ?? []));
}

function listLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }
  return Math.min(limit, MAX_LIST_LIMIT);
}

/** Findings of several messages in one query, grouped by message id, in recorded order. */
async function findingsOf(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, Selectable<FindingsTable>[]>> {
  const grouped = new Map<string, Selectable<FindingsTable>[]>();
  if (ids.length === 0) return grouped;
  const rows = await db
    .selectFrom('findings')
    .selectAll()
    .where('message_id', 'in', ids)
    .orderBy('message_id')
    .orderBy('seq')
    .execute();
  for (const row of rows) {
    const list = grouped.get(row.message_id);
    if (list) list.push(row);
    else grouped.set(row.message_id, [row]);
  }
  return grouped;
}

/**
 * Compare-and-set on the state. The current state is read, then the UPDATE names it in its
 * WHERE clause, so the row changes only if nobody moved it in between; of two concurrent callers
 * the second updates no row, re-reads, finds a state outside `from` and gets false. The UPDATE
 * opens its transaction, so on SQLite the write lock is taken at once (a read first would risk
 * SQLITE_BUSY on upgrade) and on PostgreSQL the row lock holds until the event is written.
 */
export async function transitionMessage(
  db: Kysely<Database>,
  id: string,
  from: readonly MessageState[],
  to: MessageState,
  note: TransitionNote,
  now: Date,
): Promise<boolean> {
  if (!isMessageState(to)) {
    throw new StoreError('bad-record', `cannot move ${id} to unknown state "${String(to)}"`);
  }
  if (from.length === 0) return false;
  for (let attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS; attempt += 1) {
    const row = await db
      .selectFrom('messages')
      .select('state')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || !isMessageState(row.state) || !from.includes(row.state)) return false;
    const current = row.state;
    const won = await db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('messages')
        .set({ state: to, updated_at: now.toISOString() })
        .where('id', '=', id)
        .where('state', '=', current)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      await trx
        .insertInto('message_events')
        .values({
          id: newEventId(),
          message_id: id,
          from_state: current,
          to_state: to,
          actor: note.actor,
          reason: note.reason ?? null,
          at: now.toISOString(),
        })
        .execute();
      return true;
    });
    if (won) return true;
  }
  throw new StoreError('transition-contended', `state of ${id} kept changing; try again`);
}

/** The audit trail, oldest first; ids break ties within one millisecond. */
export async function listEvents(db: Kysely<Database>, id: string): Promise<MessageEvent[]> {
  const rows = await db
    .selectFrom('message_events')
    .selectAll()
    .where('message_id', '=', id)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map(fromEventRow);
}
