/**
 * The attachment pipeline: one file in (a MIME attachment, or a file found inside another),
 * located text, a listing entry and problems out, recursively.
 *
 * Each file is typed by its content (sniff.ts), never by its name or declared type; when those
 * disagree, that is itself reported (`type-mismatch`). Then:
 *   - an attached mail goes back to the message reader (content/extract.ts), its parts one
 *     level deeper;
 *   - a text or HTML MIME part is decoded with the charset it declares (content/text-part.ts);
 *   - anything else goes to the extractor for its kind (content/formats/index.ts): its text
 *     pieces become segments at `LOCATION#where`, its inner files run through this same
 *     pipeline one level deeper, its problems are reported at `LOCATION#where`, or at
 *     `LOCATION/path` when they are about an inner file (an entry the extractor could not open).
 *
 * Nothing is dropped in silence: a file that is encrypted, corrupt, of a kind with no extractor,
 * nested too deep or stopped by a limit is reported with a problem the policy can hold on.
 * Every limit but the text budget lives in the one Budget of the message (content/limits.ts).
 */
import type { Buffer } from 'node:buffer';
import { appendedBytes } from './format-extent.js';
import { stripMailLead } from './formats/mbox.js';
import { cryptoVerdict } from './mail-crypto.js';
import { sniff, typeMismatch } from './sniff.js';
import type { ExtractionSink } from './sink.js';
import { addDeclaredText } from './text-part.js';
import type { AttachmentInfo, Location, ProblemCode } from './types.js';
import {
  EncryptedFile,
  LimitExceeded,
  type Budget,
  type ExtractResult,
  type Extractor,
  type FileKind,
  type InnerFile,
  type Sniffed,
} from './formats/types.js';

/** Finds the extractor for a kind; production passes content/formats/index.ts `extractorFor`. */
export type ExtractorLookup = (kind: FileKind) => Extractor | null;

/** What the pipeline shares across one message, at every depth. */
export interface Pipeline {
  readonly sink: ExtractionSink;
  readonly budget: Budget;
  readonly extractorFor: ExtractorLookup;
  /**
   * Reads an attached mail into the sink, its locations under `prefix` (`attachment:fwd.eml/`)
   * and its attachments at `depth`.
   */
  readonly readMessage: (bytes: Buffer, prefix: string, depth: number) => Promise<void>;
  /** Inner files listed so far in the whole message; the listing stops at `maxEntries`. */
  innerFilesListed: number;
}

export interface IncomingFile {
  /** `attachment:NAME` or `attachment:OUTER/inner/path`, after any forwarded-mail prefix. */
  readonly location: Location;
  /** The name a MIME part gives, or `outer.zip/inner/path` for an inner file; null if none. */
  readonly filename: string | null;
  /** What names it in its location when `filename` is null: `part-2`. */
  readonly label: string;
  /** The last part of the name, for the mismatch check and extractors' quirks; null if none. */
  readonly name: string | null;
  /** The Content-Type a MIME part declares (lower case, no parameters); null inside containers. */
  readonly declaredType: string | null;
  /** The charset a text MIME part declares; null when none or inside containers. */
  readonly charset: string | null;
  /** The smime-type parameter an S/MIME part declares (`enveloped-data`); absent when none. */
  readonly smimeType?: string | null;
  readonly bytes: Buffer;
  /** Decoded size to list; default the length of `bytes`. */
  readonly size?: number;
  /** 0 for an attachment of the mail, 1 for an entry of a zip attached, and so on. */
  readonly depth: number;
  /** Bytes found past the end of another file's format (format-extent.ts), not a file of its own. */
  readonly trailer?: boolean;
}

/** Problems that mean part of a file was not read: a file with one is not `inspected`. */
const SKIPPING: ReadonlySet<ProblemCode> = new Set([
  'unparseable',
  'truncated',
  'unreadable',
  'unsupported-format',
  'encrypted',
  'limit-exceeded',
]);

const MESSAGE_TYPES = new Set(['message/rfc822', 'message/global']);

/** Longest error text kept in a problem detail. */
const MAX_ERROR_DETAIL = 120;

/**
 * Runs one file through the pipeline: its text into the sink, its listing entry, its problems,
 * and its inner files after it.
 */
export async function addFile(pipeline: Pipeline, file: IncomingFile): Promise<void> {
  const { sink } = pipeline;
  const slot = sink.reserveAttachment();
  const mark = sink.problemCount;
  const sniffed = await readFile(pipeline, file);
  const skipped = sink.problemsSince(mark).some((p) => SKIPPING.has(p.code));
  const info: AttachmentInfo = {
    filename: file.filename,
    contentType: file.declaredType ?? sniffed?.mediaType ?? 'application/octet-stream',
    size: file.size ?? file.bytes.length,
    inspected: sniffed !== null && !skipped,
    ...(sniffed ? { kind: sniffed.kind } : {}),
  };
  sink.setAttachment(slot, info);
}

/** Types the file and reads it by its kind; null when it was never typed (too deep, broken). */
async function readFile(pipeline: Pipeline, file: IncomingFile): Promise<Sniffed | null> {
  const { sink, budget } = pipeline;
  const { maxDepth } = budget.limits;
  if (file.depth > maxDepth) {
    sink.problem('limit-exceeded', file.location, `nested deeper than ${maxDepth} levels`);
    return null;
  }
  let sniffed: Sniffed;
  try {
    sniffed = await sniff(file.bytes);
  } catch (err) {
    sink.problem('unreadable', file.location, `cannot type the content: ${errorDetail(err)}`);
    return null;
  }
  const textual = sniffed.kind === 'text' || sniffed.kind === 'html' || sniffed.kind === 'binary';
  const crypto = cryptoVerdict(file.bytes, file.name, file.declaredType, file.smimeType ?? null, textual);
  // A detached signature carries no message content: nothing to read, nothing to report.
  if (crypto?.kind === 'signature') return sniffed;
  if (crypto?.kind === 'encrypted') {
    sink.problem('encrypted', file.location, crypto.detail);
    if (!crypto.readRest) return sniffed;
  }
  const mismatch = typeMismatch(sniffed, file.name, file.declaredType);
  if (mismatch !== null) sink.problem('type-mismatch', file.location, mismatch);
  if (sink.remaining <= 0 && sniffed.kind !== 'empty') {
    // Whatever text it holds could not be kept: say so instead of spending time reading it.
    sink.problem('truncated', file.location, 'not read: the text budget of the message is spent');
    return sniffed;
  }
  await readByKind(pipeline, file, sniffed);
  return sniffed;
}

async function readByKind(pipeline: Pipeline, file: IncomingFile, sniffed: Sniffed): Promise<void> {
  const { kind } = sniffed;
  if (isAttachedMessage(file, kind)) {
    await readAttachedMessage(pipeline, file);
    return;
  }
  if (file.declaredType !== null && isDeclaredText(file, kind)) {
    const isHtml = kind === 'html' || file.declaredType === 'text/html';
    addDeclaredText(pipeline.sink, file.location, file.bytes, file.charset, isHtml);
    return;
  }
  const extractor = pipeline.extractorFor(kind);
  if (extractor === null) {
    if (kind === 'office-encrypted') {
      // The content says so already (an OLE file holding EncryptedPackage): no reader needed.
      pipeline.sink.problem('encrypted', file.location, 'password-protected Office document');
    } else if (file.trailer && kind === 'binary') {
      // Phones end their photos with vendor data (Samsung's SEF trailer, a motion photo's video):
      // data no reader knows, after a picture, is recorded, not held. What is a file of a known
      // kind there (a zip, a document, encrypted data) is read or reported like any other.
      pipeline.sink.problem('type-mismatch', file.location, `data of no known kind after the end of the file (${sniffed.mediaType})`);
    } else if (kind !== 'empty') {
      const detail = `no extractor for ${kind} (${sniffed.mediaType})`;
      pipeline.sink.problem('unsupported-format', file.location, detail);
    }
    return;
  }
  const result = await runExtractor(pipeline, file, extractor);
  if (result !== null) await addResult(pipeline, file, result);
  // Read whether or not the extractor could: a polyglot's second file is not the first's.
  const appended = appendedBytes(kind, file.bytes);
  if (appended !== null) await addChild(pipeline, file, { path: 'appended', bytes: appended }, true);
}

/** A mail by its content; or declared one when the content looks like text of no known kind. */
function isAttachedMessage(file: IncomingFile, kind: FileKind): boolean {
  if (kind === 'eml') return true;
  const declared = file.declaredType !== null && MESSAGE_TYPES.has(file.declaredType);
  return declared && (kind === 'text' || kind === 'binary');
}

/**
 * A MIME part read as text with its declared charset: text and HTML by content, and a part that
 * declares a text type whose bytes no rule recognised (UTF-16 without a BOM looks binary).
 */
function isDeclaredText(file: IncomingFile, kind: FileKind): boolean {
  if (kind === 'text' || kind === 'html') return true;
  const type = file.declaredType ?? '';
  return kind === 'binary' && (type.startsWith('text/') || file.charset !== null);
}

async function readAttachedMessage(pipeline: Pipeline, file: IncomingFile): Promise<void> {
  const { maxDepth } = pipeline.budget.limits;
  // A mail's own parts (subject, body, attachments) sit one level below the mail file.
  if (file.depth + 1 > maxDepth) {
    const detail = `attached message nested deeper than ${maxDepth} levels`;
    pipeline.sink.problem('limit-exceeded', file.location, detail);
    return;
  }
  // Saved mails may open with a UTF-8 mark or blank lines the message parser would choke on.
  await pipeline.readMessage(stripMailLead(file.bytes), `${file.location}/`, file.depth + 1);
}

/** The extractor's result, or null after reporting why there is none. */
async function runExtractor(
  pipeline: Pipeline,
  file: IncomingFile,
  extractor: Extractor,
): Promise<ExtractResult | null> {
  const { sink, budget } = pipeline;
  try {
    budget.checkTime();
    return await extractor.extract(file.bytes, { budget, depth: file.depth, name: file.name });
  } catch (err) {
    if (err instanceof LimitExceeded || errorName(err) === 'LimitExceeded') {
      sink.problem('limit-exceeded', file.location, errorDetail(err));
    } else if (err instanceof EncryptedFile || errorName(err) === 'EncryptedFile') {
      sink.problem('encrypted', file.location, errorDetail(err) || 'encrypted');
    } else {
      sink.problem('unreadable', file.location, errorDetail(err) || 'cannot be read');
    }
    return null;
  }
}

async function addResult(pipeline: Pipeline, file: IncomingFile, result: ExtractResult): Promise<void> {
  const { sink } = pipeline;
  const at = (where: string): Location => (where ? `${file.location}#${where}` : file.location);
  const mark = sink.problemCount;
  for (const piece of result.pieces) sink.addText(at(piece.where), piece.text);
  for (const problem of result.problems) {
    // An inner entry's problem sits where that entry's text would have been.
    const location = problem.path ? `${file.location}/${problem.path}` : at(problem.where);
    // The sink already reported the cut if it was the one that cut this place's text.
    const cutTwice = problem.code === 'truncated' && sink.problemsSince(mark).some(
      (p) => p.code === 'truncated' && p.location === location,
    );
    if (!cutTwice) sink.problem(problem.code, location, safeDetail(problem.detail));
  }
  for (const child of result.children) {
    if (!(await addChild(pipeline, file, child))) return;
  }
}

/** Runs an inner file of `file` through the pipeline; false when the listing limit stopped it. */
async function addChild(pipeline: Pipeline, file: IncomingFile, child: InnerFile, trailer = false): Promise<boolean> {
  const { maxEntries } = pipeline.budget.limits;
  if (pipeline.innerFilesListed >= maxEntries) {
    pipeline.sink.problem('limit-exceeded', file.location, `more than ${maxEntries} inner files in one message`);
    return false;
  }
  pipeline.innerFilesListed += 1;
  const container = file.filename ?? file.label;
  await addFile(pipeline, {
    location: `${file.location}/${child.path}`,
    filename: `${container}/${child.path}`,
    label: child.path,
    name: lastPart(child.path),
    declaredType: null,
    charset: null,
    bytes: child.bytes,
    depth: file.depth + 1,
    ...(trailer ? { trailer } : {}),
  });
  return true;
}

function lastPart(path: string): string {
  const parts = path.split('/');
  return parts[parts.length - 1] || path;
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : '';
}

/**
 * An error as a problem detail: its first line, cut short, with long digit runs blanked. A
 * library's message may quote the bytes it choked on, and those may be a resident or card
 * number; six digits or more (separators allowed) are never kept.
 */
export function errorDetail(err: unknown): string {
  return safeDetail(err instanceof Error ? err.message : String(err));
}

/**
 * A problem detail as it may be recorded, sanitised like an error's: an extractor's detail may
 * carry a name or a string it read, so the same rules hold for every detail.
 */
function safeDetail(text: string): string {
  const line = (text.split('\n')[0] ?? '').trim();
  const blanked = line.replace(/\d(?:[\s.-]?\d){5,}/g, '#');
  return blanked.length > MAX_ERROR_DETAIL ? `${blanked.slice(0, MAX_ERROR_DETAIL - 1)}…` : blanked;
}
