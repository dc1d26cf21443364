/**
 * The contract every attachment extractor keeps: bytes in; located text, inner files and
 * problems out. The pipeline (content/attachments.ts) types a file by its content (sniff.ts),
 * picks the extractor for that kind, writes the text pieces to the message's segments and runs
 * inner files (archive entries, embedded images, attached mails) through the same pipeline, one
 * level deeper.
 *
 * An extractor never decides what is sensitive and never drops what it could not read: it says
 * so, with a problem the policy can act on.
 */
import type { Buffer } from 'node:buffer';

/** What a file is by its content, never by its name or declared type. */
export type FileKind =
  | 'text'
  | 'html'
  | 'rtf'
  | 'pdf'
  | 'docx'
  | 'xlsx'
  | 'pptx'
  | 'odt'
  | 'ods'
  | 'odp'
  | 'hwpx'
  /** Legacy Word, Excel, PowerPoint and HWP 5: OLE compound files told apart by their streams. */
  | 'doc'
  | 'xls'
  | 'ppt'
  | 'hwp'
  /** An OOXML document encrypted with a password: an OLE file with EncryptedPackage. */
  | 'office-encrypted'
  /** Any other OLE compound file (Outlook .msg, Visio, …). */
  | 'cfb'
  | 'eml'
  /** Several mails in one text file (an mbox), or Apple Mail's .emlx: split into mails. */
  | 'mbox'
  /** Outlook's winmail.dat. */
  | 'tnef'
  | 'zip'
  | '7z'
  | 'rar'
  | 'tar'
  | 'gzip'
  | 'png'
  | 'jpeg'
  | 'tiff'
  | 'bmp'
  | 'gif'
  | 'webp'
  /** An Enhanced Metafile: the drawn text is read (formats/emf.ts). */
  | 'emf'
  /** Binary content no rule recognised. */
  | 'binary'
  | 'empty';

export interface Sniffed {
  readonly kind: FileKind;
  /** The media type the content really has, e.g. `application/pdf`. */
  readonly mediaType: string;
  /** What decided, in a few English words, for problem details: `PDF header`, `zip entry mimetype application/hwp+zip`. */
  readonly evidence: string;
}

/**
 * A run of text from one place in a file. `where` names the place inside the file in
 * `key=value` form, empty for the file as a whole: `page=3`, `sheet=고객목록`, `slide=2`,
 * `notes=2`, `header`, `footer`, `textbox`, `comment`. The pipeline appends it to the location
 * after `#`: `attachment:명단.xlsx#sheet=고객목록`.
 */
export interface TextPiece {
  readonly where: string;
  readonly text: string;
}

/** A file inside a container, to be typed and extracted in its turn. */
export interface InnerFile {
  /** Path inside the container, `/`-separated, with names decoded (CP949 zip names included). */
  readonly path: string;
  readonly bytes: Buffer;
}

/**
 * Why (part of) a file was not read. The pipeline turns these into message problems
 * (content/types.ts ProblemCode) at the file's location, `where` appended like a piece's.
 */
export type FileProblemCode =
  /** Password-protected or encrypted: the content cannot be read without a key. */
  | 'encrypted'
  /** Corrupt, or a library could not parse it. */
  | 'unreadable'
  /** A kind with no extractor (legacy formats no well-kept library reads, unknown binaries). */
  | 'unsupported-format'
  /** A limit stopped reading (bomb, ratio, depth, entry count, time, image size). */
  | 'limit-exceeded'
  /** Text beyond the extraction budget was cut. */
  | 'truncated'
  /** Text in an unknown or undeclared charset was read best effort. */
  | 'charset-unknown';

export interface FileProblem {
  readonly code: FileProblemCode;
  /** Place inside the file, as in TextPiece.where; empty for the whole file or an inner file. */
  readonly where: string;
  /**
   * The inner file the problem is about (an archive entry, a package part), `/`-separated as in
   * InnerFile.path: the pipeline places it at `attachment:OUTER/path`, where that entry's text
   * would have been, not at `#…`, which names a place inside the file itself.
   */
  readonly path?: string;
  /** English, short, no file content (a name or a size at most). */
  readonly detail: string;
}

export interface ExtractResult {
  readonly pieces: TextPiece[];
  readonly children: InnerFile[];
  readonly problems: FileProblem[];
}

/** Per-message limits; the defaults live in content/limits.ts. */
export interface ExtractLimits {
  /** UTF-8 bytes of text from the whole message. */
  readonly maxTextBytes: number;
  /** Bytes decompressed from all archives and compressed formats of the message together. */
  readonly maxDecompressedBytes: number;
  /** Archive entries opened in the whole message. */
  readonly maxEntries: number;
  /** Containers inside containers (a zip in a zip in a mail is depth 2). */
  readonly maxDepth: number;
  /** Uncompressed ÷ compressed size of one archive entry. */
  readonly maxCompressionRatio: number;
  /** Wall-clock time for extracting the whole message, in ms. */
  readonly timeBudgetMs: number;
  /** Pixels of one image given to OCR. */
  readonly maxImagePixels: number;
  /** Images given to OCR per message. */
  readonly maxOcrImages: number;
}

/**
 * What one message may still spend, shared by every extractor at every depth. Extractors call
 * `takeDecompressed` as bytes come out (not after), so a bomb stops at the limit, not at its end.
 * Each `take…` throws LimitExceeded when the limit is passed.
 */
export interface Budget {
  readonly limits: ExtractLimits;
  /** Epoch ms by which extraction must be over. */
  readonly deadline: number;
  takeDecompressed(bytes: number): void;
  takeEntry(): void;
  takeOcrImage(): void;
  /** Throws LimitExceeded once the deadline has passed. */
  checkTime(): void;
  /** Milliseconds left before the deadline (0 when past): for child-process timeouts. */
  timeLeft(): number;
}

export type LimitName = 'text' | 'decompressed' | 'entries' | 'depth' | 'ratio' | 'time' | 'pixels' | 'ocr-images';

/** A limit was hit; the pipeline reports it as `limit-exceeded` with this message. */
export class LimitExceeded extends Error {
  override readonly name = 'LimitExceeded';
  constructor(
    readonly limit: LimitName,
    message: string,
  ) {
    super(message);
  }
}

/** The file is encrypted; the pipeline reports it as `encrypted`. */
export class EncryptedFile extends Error {
  override readonly name = 'EncryptedFile';
}

export interface ExtractContext {
  readonly budget: Budget;
  /** Depth of this file: 0 for an attachment of the mail, 1 for an entry of a zip attached, … */
  readonly depth: number;
  /** The file name as given (last path part), for format quirks only; never trusted for the kind. */
  readonly name: string | null;
}

export interface Extractor {
  /** The kinds this extractor reads. */
  readonly kinds: readonly FileKind[];
  /**
   * Reads one file. Throws LimitExceeded or EncryptedFile for those outcomes and any other
   * error for a corrupt file (reported `unreadable`); returns problems for parts it skipped
   * while still reading the rest.
   */
  extract(bytes: Buffer, context: ExtractContext): Promise<ExtractResult>;
}
