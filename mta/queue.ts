/**
 * The Postfix queue as the approval service sees it: list, inspect, release and delete.
 *
 * Owns: parsing `postqueue -j` and `postcat -h`, and judging what a release or delete did.
 * Does not own: the approval state machine or the store (`approvals/`), which call in here.
 *
 * Invariants:
 * - outcomes are judged from the queue and the tools' own counts, never from exit codes:
 *   postsuper and postqueue exit 0 when nothing matched (observed on 3.7.11);
 * - a queue id is validated before any tool runs (`assertQueueId`);
 * - queue ids get reused (always with short ids, rarely with long ones), so before acting on a
 *   held message the caller checks it is still the message we held (`verifyHeldMessage`).
 */
import {
  assertQueueId,
  describeFailure,
  firstDiagnostic,
  runTool,
  type PostfixToolOptions,
} from './postfix-tools.js';

/** Queue names as `postqueue -j` reports them. */
export type QueueName = 'maildrop' | 'incoming' | 'active' | 'deferred' | 'hold' | 'corrupt';

export interface QueueRecipient {
  readonly address: string;
  /** Why delivery was deferred; absent until a delivery attempt failed. */
  readonly delay_reason?: string;
}

/** One message as `postqueue -j` describes it; field names kept as Postfix writes them. */
export interface QueueEntry {
  readonly queue_name: QueueName | string;
  readonly queue_id: string;
  /** Seconds since the epoch. */
  readonly arrival_time: number;
  readonly message_size: number;
  readonly forced_expire: boolean;
  /** Envelope sender; Postfix writes the null sender as `MAILER-DAEMON`. */
  readonly sender: string;
  /** Recipients still to be delivered. */
  readonly recipients: readonly QueueRecipient[];
}

export interface QueueHeader {
  readonly name: string;
  /** Value after the colon, unfolded (line breaks removed), leading whitespace trimmed. */
  readonly value: string;
}

export type ReleaseOutcome = 'released' | 'deleted' | 'not-found' | 'not-held' | 'failed';

export interface QueueActionResult {
  readonly outcome: ReleaseOutcome;
  /** One line for logs and the audit trail; never contains message content. */
  readonly detail: string;
}

export interface HeldMessageExpectation {
  /** Envelope sender without angle brackets; empty string for the null sender. */
  readonly sender: string;
  /**
   * Recipients as the milter saw them; omit to skip the comparison (address rewriting after the
   * milter, always_bcc and duplicate removal change the queued set without changing the mail).
   */
  readonly recipients?: readonly string[];
  /** The Message-ID header value we recorded at end of message, or null when there was none. */
  readonly messageId: string | null;
  /**
   * A header the milter added at hold time, e.g. `X-Outguard-Id: <our id>`. Unique per message,
   * so it identifies the queue file exactly, where Message-ID may be missing or rewritten.
   */
  readonly marker?: { readonly name: string; readonly value: string };
}

export type VerifyResult =
  | { readonly ok: true; readonly entry: QueueEntry }
  | {
      readonly ok: false;
      readonly reason: 'not-found' | 'not-held' | 'mismatch';
      readonly detail: string;
    };

/**
 * Parse `postqueue -j` output: one JSON object per line. Lines that are not JSON objects with a
 * queue id are skipped rather than failing the whole listing.
 */
export function parseQueueJson(text: string): QueueEntry[] {
  const entries: QueueEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const entry = toQueueEntry(value);
    if (entry) entries.push(entry);
  }
  return entries;
}

function toQueueEntry(value: unknown): QueueEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.queue_id !== 'string' || typeof v.queue_name !== 'string') return null;
  const recipients = Array.isArray(v.recipients) ? v.recipients : [];
  return {
    queue_name: v.queue_name,
    queue_id: v.queue_id,
    arrival_time: typeof v.arrival_time === 'number' ? v.arrival_time : 0,
    message_size: typeof v.message_size === 'number' ? v.message_size : 0,
    forced_expire: v.forced_expire === true,
    sender: typeof v.sender === 'string' ? v.sender : '',
    recipients: recipients.flatMap((r: unknown) => {
      const rec = r as Record<string, unknown> | null;
      if (!rec || typeof rec.address !== 'string') return [];
      return typeof rec.delay_reason === 'string'
        ? [{ address: rec.address, delay_reason: rec.delay_reason }]
        : [{ address: rec.address }];
    }),
  };
}

/**
 * Every message in the queue (`postqueue -j`). Throws when postqueue fails, for example when
 * the mail system is not running as the caller expects or the config dir is wrong.
 */
export async function listQueue(options: PostfixToolOptions = {}): Promise<QueueEntry[]> {
  const result = await runTool('postqueue', ['-j'], options);
  if (result.exitCode !== 0) {
    throw new Error(`postqueue -j failed: ${describeFailure(result)}`);
  }
  return parseQueueJson(result.stdout);
}

/** The queue entry with this id, or null. */
export async function findQueueEntry(
  queueId: string,
  options: PostfixToolOptions = {},
): Promise<QueueEntry | null> {
  assertQueueId(queueId);
  const entries = await listQueue(options);
  return entries.find((e) => e.queue_id === queueId) ?? null;
}

/** Parse header lines (as `postcat -h` prints them) into unfolded name/value pairs. */
export function parseHeaderLines(text: string): QueueHeader[] {
  const headers: Array<{ name: string; value: string }> = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line)) {
      // A continuation line belongs to the header above it (RFC 5322 folding).
      if (last) last.value += line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1) });
  }
  return headers.map((h) => ({ name: h.name, value: h.value.trim() }));
}

/**
 * The message headers of a queued message (`postcat -h -q ID`), in order, including the
 * Received header Postfix added. Null when no queue file has this id.
 */
export async function readQueueHeaders(
  queueId: string,
  options: PostfixToolOptions = {},
): Promise<QueueHeader[] | null> {
  assertQueueId(queueId);
  const result = await runTool('postcat', ['-h', '-q', queueId], options);
  if (result.exitCode === 0) return parseHeaderLines(result.stdout);
  if (/No such file or directory/.test(result.stderr)) return null;
  throw new Error(`postcat -q ${queueId} failed: ${firstDiagnostic(result.stderr)}`);
}

/** Values of every header with this name (case-insensitive), in order. */
export function headerValues(headers: readonly QueueHeader[], name: string): string[] {
  const wanted = name.toLowerCase();
  return headers.filter((h) => h.name.toLowerCase() === wanted).map((h) => h.value);
}

/** `postsuper` reports its count on stderr: "Released from hold: 1 message". */
function countFrom(stderr: string, label: string): number | null {
  const match = new RegExp(`${label}: (\\d+) messages?`).exec(stderr);
  return match ? Number(match[1]) : null;
}

/**
 * Release a held message for delivery now: `postsuper -H ID` moves it to the deferred queue,
 * then `postqueue -i ID` asks the flush service to deliver it without waiting for the next
 * deferred-queue scan (queue_run_delay, 300 s by default).
 *
 * XXX: the message keeps its original create time, and Postfix bounces mail older than
 * maximal_queue_lifetime on the first temporary delivery failure. Mail held for more than about
 * half that lifetime should be re-queued (`postsuper -r`) instead; `outguard doctor` warns when
 * the approval expiry makes that likely.
 */
export async function releaseFromHold(
  queueId: string,
  options: PostfixToolOptions = {},
): Promise<QueueActionResult> {
  assertQueueId(queueId);
  const release = await runTool('postsuper', ['-H', queueId], options);
  const released = countFrom(release.stderr, 'Released from hold');
  const after = await findQueueEntry(queueId, options);
  if (released === null || released === 0) {
    return explainNoop(queueId, after, release.stderr, 'release');
  }
  if (after?.queue_name === 'hold') {
    const detail = `postsuper reported a release but ${queueId} is still held`;
    return { outcome: 'failed', detail };
  }
  if (!after) return { outcome: 'released', detail: `${queueId} released and already delivered` };
  const flush = await runTool('postqueue', ['-i', queueId], options);
  const flushNote =
    flush.exitCode === 0 && flush.stderr.trim() === ''
      ? 'delivery requested'
      : `flush failed (${describeFailure(flush)}); ` +
        'delivery waits for the next queue run';
  return { outcome: 'released', detail: `${queueId} released from hold; ${flushNote}` };
}

/** Delete a queued message (`postsuper -d ID`), held or not. */
export async function deleteMessage(
  queueId: string,
  options: PostfixToolOptions = {},
): Promise<QueueActionResult> {
  assertQueueId(queueId);
  const removal = await runTool('postsuper', ['-d', queueId], options);
  const deleted = countFrom(removal.stderr, 'Deleted');
  const after = await findQueueEntry(queueId, options);
  if (deleted !== null && deleted > 0 && !after) {
    return { outcome: 'deleted', detail: `${queueId} deleted` };
  }
  if (after) {
    const detail = `${queueId} still in ${after.queue_name} after delete`;
    return { outcome: 'failed', detail: `${detail}: ${describeFailure(removal)}` };
  }
  return explainNoop(queueId, null, removal.stderr, 'delete');
}

/** Why postsuper touched nothing: the id is gone, not held, or postsuper itself failed. */
function explainNoop(
  queueId: string,
  entry: QueueEntry | null,
  stderr: string,
  action: 'release' | 'delete',
): QueueActionResult {
  const fatal = /(fatal|warning):/.test(stderr) ? `: ${firstDiagnostic(stderr)}` : '';
  if (!entry) {
    if (fatal && !/Released from hold|Deleted/.test(stderr)) {
      return { outcome: 'failed', detail: `postsuper could not ${action} ${queueId}${fatal}` };
    }
    return { outcome: 'not-found', detail: `${queueId} is not in the queue` };
  }
  if (entry.queue_name !== 'hold') {
    return { outcome: 'not-held', detail: `${queueId} is in ${entry.queue_name}, not hold` };
  }
  return { outcome: 'failed', detail: `postsuper did not ${action} ${queueId}${fatal}` };
}

/**
 * Check that `queueId` is still in the hold queue and still the message we held: same envelope
 * sender, and each of what the caller names: the same set of recipients, a Message-ID header
 * with the same value, a marker header with the same value. Addresses compare with the domain case-folded; the local part is compared exactly.
 *
 * XXX: if the relay rewrites envelope addresses after the milter saw them (canonical_maps,
 * masquerade_domains), the queue file holds the rewritten form and this check reports a
 * mismatch. The approval service then refuses to act, which is the safe side.
 */
export async function verifyHeldMessage(
  queueId: string,
  expected: HeldMessageExpectation,
  options: PostfixToolOptions = {},
): Promise<VerifyResult> {
  const entry = await findQueueEntry(queueId, options);
  if (!entry) return { ok: false, reason: 'not-found', detail: `${queueId} is not in the queue` };
  if (entry.queue_name !== 'hold') {
    return { ok: false, reason: 'not-held', detail: `${queueId} is in ${entry.queue_name}` };
  }
  const envelopeProblem = compareEnvelope(entry, expected);
  if (envelopeProblem) return { ok: false, reason: 'mismatch', detail: envelopeProblem };
  if (expected.messageId === null && !expected.marker) return { ok: true, entry };
  const headers = await readQueueHeaders(queueId, options);
  if (!headers) return { ok: false, reason: 'not-found', detail: `${queueId} vanished` };
  const { marker } = expected;
  if (marker && !headerValues(headers, marker.name).includes(marker.value)) {
    return { ok: false, reason: 'mismatch', detail: `${queueId} has no ${marker.name} ${marker.value}` };
  }
  if (expected.messageId !== null) {
    const want = normalizeMessageId(expected.messageId);
    const found = headerValues(headers, 'Message-ID').map(normalizeMessageId);
    if (!found.includes(want)) {
      const what = found.length === 0 ? 'has no Message-ID' : 'has a different Message-ID';
      return { ok: false, reason: 'mismatch', detail: `${queueId} ${what}` };
    }
  }
  return { ok: true, entry };
}

/** A description of the first envelope difference, or null when sender and recipients match. */
function compareEnvelope(entry: QueueEntry, expected: HeldMessageExpectation): string | null {
  if (normalizeSender(entry.sender) !== normalizeSender(expected.sender)) {
    return `${entry.queue_id} has a different envelope sender`;
  }
  if (!expected.recipients) return null;
  const have = addressSet(entry.recipients.map((r) => r.address));
  const want = addressSet(expected.recipients);
  if (have.length !== want.length) {
    return `${entry.queue_id} has ${have.length} recipient(s), expected ${want.length}`;
  }
  if (!have.every((a, i) => a === want[i])) return `${entry.queue_id} has different recipients`;
  return null;
}

function addressSet(addresses: readonly string[]): string[] {
  return [...new Set(addresses.map(normalizeAddress))].sort();
}

/** `postqueue -j` writes the null sender as MAILER-DAEMON; the milter saw it as empty. */
function normalizeSender(address: string): string {
  const bare = normalizeAddress(address);
  return bare === 'MAILER-DAEMON' ? '' : bare;
}

/** Strip angle brackets and case-fold the domain; local parts are case-sensitive (RFC 5321). */
export function normalizeAddress(address: string): string {
  const bare = address.trim().replace(/^<(.*)>$/, '$1');
  const at = bare.lastIndexOf('@');
  if (at < 0) return bare;
  return bare.slice(0, at) + '@' + bare.slice(at + 1).toLowerCase();
}

/** Unfold and trim a Message-ID value so header spacing differences do not matter. */
export function normalizeMessageId(value: string): string {
  return value.replace(/\r?\n/g, '').trim();
}
