/**
 * What content extraction hands to the detectors: the text of a message, cut into segments that
 * each know where they came from, plus what could not be read and why.
 *
 * "Could not read" is a result here, never a silence: the policy decides what to do with it.
 */
import type { FileKind } from './formats/types.js';

/**
 * Where a piece of text came from: `subject`, `body`, `body:html`, `attachment:NAME`, an inner
 * file `attachment:OUTER/inner/path`, and a place inside a file after `#`:
 * `attachment:명단.xlsx#sheet=고객목록`, `attachment:a.zip/계약서.pdf#page=3`.
 */
export type Location = string;

export interface TextSegment {
  readonly location: Location;
  readonly text: string;
}

/** Why a part of the message was not inspected. Stable codes; the policy matches on them. */
export type ProblemCode =
  /** The message as a whole could not be parsed: nothing in it was inspected. */
  | 'unparseable'
  /** A text part's charset is unknown to us; its bytes were read as CP949/UTF-8 best effort. */
  | 'charset-unknown'
  /** A part was larger than the extraction budget and was cut. */
  | 'truncated'
  /** An attachment format that has no extractor (legacy formats, unknown binaries). */
  | 'unsupported-format'
  /** A part could not be decoded at all (broken transfer encoding, corrupt data). */
  | 'unreadable'
  /** Password-protected or encrypted (ZIP entry, Office, PDF, HWP): unreadable without a key. */
  | 'encrypted'
  /** A limit stopped reading: size, ratio, entry count, nesting depth, time, image size. */
  | 'limit-exceeded'
  /** The file name, the declared type and the content disagree (content decided the reading). */
  | 'type-mismatch';

export const PROBLEM_CODES: readonly ProblemCode[] = [
  'unparseable',
  'charset-unknown',
  'truncated',
  'unsupported-format',
  'unreadable',
  'encrypted',
  'limit-exceeded',
  'type-mismatch',
];

export interface Problem {
  readonly code: ProblemCode;
  readonly location: Location;
  readonly detail: string;
}

export interface AttachmentInfo {
  /**
   * Decoded file name, or null when the part names none. A file inside an archive is listed
   * with its container's name before it: `자료.zip/2024/명단.xlsx`.
   */
  readonly filename: string | null;
  /**
   * Declared content type, lower case, without parameters; for a file inside a container,
   * which declares none, the media type its content has.
   */
  readonly contentType: string;
  /** Decoded size in bytes. */
  readonly size: number;
  /**
   * True when its text went to the detectors whole: no part of it (nor of a file inside it) was
   * skipped as encrypted, unreadable, unsupported, over a limit or cut.
   */
  readonly inspected: boolean;
  /** What the content is (content/sniff.ts), whatever its name and declared type say. */
  readonly kind?: FileKind;
}

export interface ExtractedMessage {
  readonly messageId: string | null;
  readonly subject: string;
  readonly from: string | null;
  readonly segments: readonly TextSegment[];
  readonly attachments: readonly AttachmentInfo[];
  readonly problems: readonly Problem[];
}
