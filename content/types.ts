/**
 * What content extraction hands to the detectors: the text of a message, cut into segments that
 * each know where they came from, plus what could not be read and why.
 *
 * "Could not read" is a result here, never a silence: the policy decides what to do with it.
 */

/** Where a piece of text came from: `subject`, `body`, `body:html`, `attachment:NAME`. */
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
  /** An attachment format that has no extractor yet (PDF, Office, archives: issue 4). */
  | 'unsupported-format'
  /** A part could not be decoded at all (broken transfer encoding, corrupt data). */
  | 'unreadable';

export const PROBLEM_CODES: readonly ProblemCode[] = [
  'unparseable',
  'charset-unknown',
  'truncated',
  'unsupported-format',
  'unreadable',
];

export interface Problem {
  readonly code: ProblemCode;
  readonly location: Location;
  readonly detail: string;
}

export interface AttachmentInfo {
  /** Decoded file name, or null when the part names none. */
  readonly filename: string | null;
  /** Declared content type, lower case, without parameters. */
  readonly contentType: string;
  /** Decoded size in bytes. */
  readonly size: number;
  /** True when its text went to the detectors. */
  readonly inspected: boolean;
}

export interface ExtractedMessage {
  readonly messageId: string | null;
  readonly subject: string;
  readonly from: string | null;
  readonly segments: readonly TextSegment[];
  readonly attachments: readonly AttachmentInfo[];
  readonly problems: readonly Problem[];
}
