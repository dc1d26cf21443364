/**
 * Translation between the public records (`types.ts`) and table rows (`schema.ts`), with the
 * checks on both sides: a record is validated before it is written, a row is parsed strictly
 * when it is read, so a hand-edited or damaged database fails loudly instead of handing an
 * unknown state to the approval service.
 */
import type { Insertable, Selectable } from 'kysely';
import { StoreError } from './errors.js';
import { isUlid } from './ids.js';
import type { FindingsTable, MessageEventsTable, MessagesTable } from './schema.js';
import {
  MESSAGE_ACTIONS,
  MESSAGE_STATES,
  type MessageAction,
  type MessageEvent,
  type MessageRecord,
  type MessageState,
  type NewMessageRecord,
  type StoredFinding,
  type StoredProblem,
} from './types.js';

/** Largest size or offset the `integer` columns hold on PostgreSQL (signed 32 bits). */
export const MAX_STORED_INTEGER = 2_147_483_647;

export function isMessageState(value: unknown): value is MessageState {
  return (MESSAGE_STATES as readonly unknown[]).includes(value);
}

function isMessageAction(value: unknown): value is MessageAction {
  return (MESSAGE_ACTIONS as readonly unknown[]).includes(value);
}

function isStoredInteger(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= MAX_STORED_INTEGER;
}

/** ISO-8601 UTC text for a Date; throws `bad-record` for an invalid one. */
export function toIso(date: Date, what: string): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new StoreError('bad-record', `${what} is not a valid date`);
  }
  return date.toISOString();
}

/** Throws `bad-record` naming the first field that breaks the record contract. */
export function validateRecord(rec: NewMessageRecord): void {
  const fail = (message: string): never => {
    throw new StoreError('bad-record', `message record ${String(rec.id)}: ${message}`);
  };
  if (typeof rec.id !== 'string' || !isUlid(rec.id)) fail('id is not a ULID from newMessageId()');
  if (!isMessageState(rec.state)) fail(`unknown state "${String(rec.state)}"`);
  if (!isMessageAction(rec.action)) fail(`unknown action "${String(rec.action)}"`);
  if (!isStoredInteger(rec.size)) fail(`size ${rec.size} out of range`);
  if (!rec.recipients.every((r) => typeof r === 'string')) fail('recipients must be strings');
  if (!rec.attachmentNames.every((n) => typeof n === 'string')) {
    fail('attachment names must be strings');
  }
  for (const finding of rec.findings) {
    if (!isStoredInteger(finding.start) || !isStoredInteger(finding.end)) {
      fail(`finding span ${finding.start}..${finding.end} out of range`);
    }
    if (finding.label !== undefined && typeof finding.label !== 'string') {
      fail('a finding label must be a string');
    }
  }
  toIso(rec.receivedAt, 'receivedAt');
}

export function toMessageRow(rec: NewMessageRecord, now: Date): Insertable<MessagesTable> {
  return {
    id: rec.id,
    queue_id: rec.queueId,
    client_address: rec.clientAddress,
    client_name: rec.clientName,
    helo: rec.helo,
    sender: rec.sender,
    recipients: JSON.stringify(rec.recipients),
    message_id: rec.messageId,
    subject: rec.subject,
    size: rec.size,
    attachment_names: JSON.stringify(rec.attachmentNames),
    action: rec.action,
    rule_id: rec.ruleId,
    reason: rec.reason,
    state: rec.state,
    // Copy the named fields only, so nothing else a caller hangs on a problem gets stored.
    problems: JSON.stringify(
      rec.problems.map((p) => ({ code: p.code, location: p.location, detail: p.detail })),
    ),
    received_at: toIso(rec.receivedAt, 'receivedAt'),
    updated_at: now.toISOString(),
  };
}

export function toFindingRows(rec: NewMessageRecord): FindingsTable[] {
  return rec.findings.map((f, seq) => ({
    message_id: rec.id,
    seq,
    type: f.type,
    masked: f.masked,
    location: f.location,
    confidence: f.confidence,
    span_start: f.start,
    span_end: f.end,
    label: f.label ?? null,
  }));
}

export function fromRows(
  row: Selectable<MessagesTable>,
  findings: readonly Selectable<FindingsTable>[],
): MessageRecord {
  const corrupt = (what: string): never => {
    throw new StoreError('corrupt-row', `message ${row.id}: ${what}`);
  };
  const state = isMessageState(row.state) ? row.state : corrupt(`unknown state "${row.state}"`);
  const action = isMessageAction(row.action)
    ? row.action
    : corrupt(`unknown action "${row.action}"`);
  return {
    id: row.id,
    queueId: row.queue_id,
    clientAddress: row.client_address,
    clientName: row.client_name,
    helo: row.helo,
    sender: row.sender,
    recipients: parseStringArray(row.recipients) ?? corrupt('recipients are not a JSON list'),
    messageId: row.message_id,
    subject: row.subject,
    size: row.size,
    attachmentNames:
      parseStringArray(row.attachment_names) ?? corrupt('attachment names are not a JSON list'),
    action,
    ruleId: row.rule_id,
    reason: row.reason,
    state,
    findings: findings.map(fromFindingRow),
    problems: parseProblems(row.problems) ?? corrupt('problems are not a JSON list'),
    receivedAt: fromIso(row.received_at) ?? corrupt('received_at is not a time'),
    updatedAt: fromIso(row.updated_at) ?? corrupt('updated_at is not a time'),
  };
}

function fromFindingRow(row: Selectable<FindingsTable>): StoredFinding {
  return {
    type: row.type,
    masked: row.masked,
    location: row.location,
    confidence: row.confidence,
    start: row.span_start,
    end: row.span_end,
    ...(row.label !== null ? { label: row.label } : {}),
  };
}

export function fromEventRow(row: Selectable<MessageEventsTable>): MessageEvent {
  const corrupt = (what: string): never => {
    throw new StoreError('corrupt-row', `event ${row.id}: ${what}`);
  };
  const from =
    row.from_state === null || isMessageState(row.from_state)
      ? row.from_state
      : corrupt(`unknown state "${row.from_state}"`);
  const to = isMessageState(row.to_state)
    ? row.to_state
    : corrupt(`unknown state "${row.to_state}"`);
  return {
    id: row.id,
    messageId: row.message_id,
    from,
    to,
    actor: row.actor,
    reason: row.reason,
    at: fromIso(row.at) ?? corrupt('at is not a time'),
  };
}

function fromIso(text: string): Date | null {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseStringArray(text: string): string[] | null {
  const value = parseJson(text);
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
}

function parseProblems(text: string): StoredProblem[] | null {
  const value = parseJson(text);
  if (!Array.isArray(value)) return null;
  const problems: StoredProblem[] = [];
  for (const item of value) {
    const p = item as Partial<StoredProblem> | null;
    if (typeof p?.code !== 'string' || typeof p.location !== 'string') return null;
    if (typeof p.detail !== 'string') return null;
    problems.push({ code: p.code, location: p.location, detail: p.detail });
  }
  return problems;
}
