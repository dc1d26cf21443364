/**
 * A small RTF reader: the text of an RTF document by place (body, header, footer, footnote,
 * comment) and the PNG/JPEG pictures it embeds (other pictures are counted, not kept). npm's RTF packages are unmaintained or mangle
 * Korean (officeparser 7 leaves the `\'3f` fallback "?" after every Hangul syllable), so this
 * one is ours.
 *
 * What it understands:
 * - groups and control words; destinations whose text is not document text are skipped
 *   (`{\*…}` unless listed in READ_STARRED, the font, colour and style tables, `\info`, …);
 * - 8-bit text as `\'hh` bytes (and raw 8-bit bytes) decoded in the code page of the current
 *   font: `\fcharset129` is CP949, so a Hangul syllable is the two bytes `\'c1\'d6` in a row;
 *   without a font charset, `\ansicpgN`;
 * - `\uN` Unicode characters (negative N for code units over 0x7FFF), with the `\ucN` fallback
 *   characters after them skipped;
 * - `\par`, `\line`, `\row` and friends as line breaks; `\tab` and `\cell` as tabs;
 * - `\binN` raw data, skipped (or kept inside a picture).
 *
 * Bounded for hostile input: one pass over the bytes, no recursion (an explicit stack of group
 * states, at most MAX_DEPTH deep; deeper groups share their parent's state), skipped `\bin`
 * lengths capped by what is left of the file.
 */
import { Buffer } from 'node:buffer';
import iconv from 'iconv-lite';

/** Place of a text run inside the document, as in TextPiece.where. */
export type RtfPlace = '' | 'header' | 'footer' | 'footnote' | 'comment';

export interface RtfPicture {
  readonly type: 'png' | 'jpeg';
  readonly bytes: Buffer;
}

export interface RtfContent {
  /** Text by place, in the order places first appear. */
  readonly text: ReadonlyMap<RtfPlace, string>;
  readonly pictures: readonly RtfPicture[];
  /** Embedded OLE objects (`\objdata`): their data is not read. */
  readonly objects: number;
  /**
   * Pictures in the document text not kept: a format other than PNG and JPEG (WMF, EMF, DIB,
   * which can hold text and bitmaps alike) or past `maxPictureBytes`.
   */
  readonly unreadPictures: number;
}

export interface RtfOptions {
  /** Called every CHECK_EVERY bytes, so a deadline can stop a long read. */
  readonly onProgress?: () => void;
  /** Largest total size of kept pictures, in bytes. */
  readonly maxPictureBytes?: number;
}

const MAX_DEPTH = 512;
const MAX_WORD = 32;
const MAX_PARAM_DIGITS = 10;
const MAX_UC = 16;
const CHECK_EVERY = 256 * 1024;
const DEFAULT_CODEPAGE = 1252;
const DEFAULT_MAX_PICTURE_BYTES = 32 * 1024 * 1024;

type Destination = 'text' | 'skip' | 'fonttbl' | 'pict';

interface GroupState {
  destination: Destination;
  place: RtfPlace;
  /** Fallback characters after `\uN`. */
  uc: number;
  /** Current font number, -1 for the default font. */
  font: number;
  /** A `\*` was seen and the next control word decides whether the group is read. */
  starred: boolean;
  /** Nothing but `\*` has been seen in this group yet: a control word here names a destination. */
  atStart: boolean;
}

/**
 * Starred destinations that hold document text or pictures. (Text boxes are read from the
 * `\shprslt` rendering Word writes beside the starred `\shpinst`.)
 */
const READ_STARRED = new Set(['annotation', 'shppict']);

/** Destinations that are not document text. */
const SKIPPED = new Set([
  'colortbl', 'stylesheet', 'info', 'filetbl', 'revtbl', 'rsidtbl', 'listtable', 'listoverridetable',
  'xmlnstbl', 'themedata', 'colorschememapping', 'datastore', 'latentstyles', 'generator', 'objdata',
  'nonshppict', 'pgdsctbl', 'protusertbl', 'userprops', 'template', 'fldinst', 'mmathPr', 'objclass',
  'objname', 'bkmkstart', 'bkmkend', 'atnid', 'atnauthor', 'atndate', 'atnref', 'listpicture',
]);

const PLACES: ReadonlyMap<string, RtfPlace> = new Map([
  ['header', 'header'], ['headerl', 'header'], ['headerr', 'header'], ['headerf', 'header'],
  ['footer', 'footer'], ['footerl', 'footer'], ['footerr', 'footer'], ['footerf', 'footer'],
  ['footnote', 'footnote'],
  ['annotation', 'comment'],
]);

const LINE_BREAKS = new Set(['par', 'line', 'sect', 'page', 'row', 'nestrow', 'softline']);
const TABS = new Set(['tab', 'cell', 'nestcell']);
const SYMBOLS: ReadonlyMap<string, string> = new Map([
  ['emdash', '\u2014'], ['endash', '\u2013'], ['emspace', ' '], ['enspace', ' '], ['qmspace', ' '],
  ['bullet', '\u2022'], ['lquote', '\u2018'], ['rquote', '\u2019'], ['ldblquote', '\u201c'],
  ['rdblquote', '\u201d'], ['zwj', '\u200d'], ['zwnj', '\u200c'],
]);

/** Windows code page of each `\fcharset`; 0 and 1 (ANSI, default) follow `\ansicpg`. */
const CHARSET_CODEPAGES: ReadonlyMap<number, number> = new Map([
  [77, 10000], [128, 932], [129, 949], [134, 936], [136, 950], [161, 1253], [162, 1254],
  [163, 1258], [177, 1255], [178, 1256], [186, 1257], [204, 1251], [222, 874], [238, 1250], [255, 437],
]);

function codecName(codepage: number): string {
  if (codepage === 10000) return 'macintosh';
  const name = `cp${codepage}`;
  return iconv.encodingExists(name) ? name : `cp${DEFAULT_CODEPAGE}`;
}

/** Does `byte` start a two-byte character in this code page? */
function isLeadByte(codepage: number, byte: number): boolean {
  switch (codepage) {
    case 932:
      return (byte >= 0x81 && byte <= 0x9f) || (byte >= 0xe0 && byte <= 0xfc);
    case 936:
    case 949:
    case 950:
      return byte >= 0x81 && byte <= 0xfe;
    default:
      return false;
  }
}

const BACKSLASH = 0x5c;
const OPEN = 0x7b;
const CLOSE = 0x7d;

function isLetter(b: number): boolean {
  return (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a);
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

function hexValue(b: number | undefined): number {
  if (b === undefined) return -1;
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  return -1;
}

class RtfReader {
  readonly #bytes: Buffer;
  readonly #options: RtfOptions;
  #pos = 0;
  #state: GroupState = { destination: 'text', place: '', uc: 1, font: -1, starred: false, atStart: false };
  readonly #stack: GroupState[] = [];
  /** Groups opened past MAX_DEPTH, which share the state of the deepest kept group. */
  #excessDepth = 0;

  #ansiCodepage = DEFAULT_CODEPAGE;
  #defaultFont = -1;
  #definingFont = -1;
  readonly #fontCodepages = new Map<number, number>();

  readonly #text = new Map<RtfPlace, string[]>();
  /** 8-bit bytes waiting to be decoded together (a double-byte character spans two). */
  #pending: number[] = [];
  #pendingCodepage = DEFAULT_CODEPAGE;
  #needTrail = false;
  #skipFallback = 0;

  #pictureType: RtfPicture['type'] | null = null;
  #pictureHex: string[] = [];
  #pictureRaw: Buffer[] = [];
  #pictureBytes = 0;
  readonly #pictures: RtfPicture[] = [];
  #objects = 0;
  #unreadPictures = 0;
  #nextCheck = CHECK_EVERY;

  constructor(bytes: Buffer, options: RtfOptions) {
    this.#bytes = bytes;
    this.#options = options;
  }

  read(): RtfContent {
    const bytes = this.#bytes;
    while (this.#pos < bytes.length) {
      if (this.#pos >= this.#nextCheck) {
        this.#options.onProgress?.();
        this.#nextCheck = this.#pos + CHECK_EVERY;
      }
      const b = bytes[this.#pos] as number;
      if (b === BACKSLASH) this.#control();
      else if (b === OPEN) this.#open();
      else if (b === CLOSE) this.#close();
      else this.#literal();
    }
    this.#flush();
    const text = new Map<RtfPlace, string>();
    for (const [place, parts] of this.#text) text.set(place, parts.join(''));
    return { text, pictures: this.#pictures, objects: this.#objects, unreadPictures: this.#unreadPictures };
  }

  // ---- groups

  #open(): void {
    this.#pos += 1;
    this.#flush();
    this.#skipFallback = 0;
    if (this.#stack.length >= MAX_DEPTH) {
      this.#excessDepth += 1;
      return;
    }
    this.#stack.push(this.#state);
    const parent = this.#state;
    this.#state = { ...parent, starred: false, atStart: true };
  }

  #close(): void {
    this.#pos += 1;
    this.#flush();
    this.#skipFallback = 0;
    if (this.#excessDepth > 0) {
      this.#excessDepth -= 1;
      return;
    }
    const parent = this.#stack.pop();
    if (parent === undefined) return; // an unbalanced `}`: ignored
    if (this.#state.destination === 'pict' && parent.destination !== 'pict') this.#endPicture();
    this.#state = parent;
  }

  // ---- text

  #emit(text: string): void {
    const { destination, place } = this.#state;
    if (destination !== 'text') return;
    this.#flush();
    let parts = this.#text.get(place);
    if (parts === undefined) {
      parts = [];
      this.#text.set(place, parts);
    }
    parts.push(text);
  }

  #codepage(): number {
    const font = this.#state.font === -1 ? this.#defaultFont : this.#state.font;
    return this.#fontCodepages.get(font) ?? this.#ansiCodepage;
  }

  #emitByte(byte: number): void {
    if (this.#state.destination !== 'text') return;
    const codepage = this.#codepage();
    if (this.#pending.length > 0 && codepage !== this.#pendingCodepage) this.#flush();
    this.#pendingCodepage = codepage;
    this.#pending.push(byte);
    this.#needTrail = this.#needTrail ? false : isLeadByte(codepage, byte);
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    const decoded = iconv.decode(Buffer.from(this.#pending), codecName(this.#pendingCodepage));
    this.#pending = [];
    this.#needTrail = false;
    this.#emit(decoded);
  }

  #literal(): void {
    const bytes = this.#bytes;
    const b = bytes[this.#pos] as number;
    if (this.#state.destination === 'pict') {
      this.#pictureText();
      return;
    }
    if (b === 0x0d || b === 0x0a || (b < 0x20 && b !== 0x09)) {
      this.#pos += 1;
      return;
    }
    if (this.#skipFallback > 0) {
      this.#skipFallback -= 1;
      this.#pos += 1;
      return;
    }
    // A trail byte written as a plain character after a `\'hh` lead byte.
    if (b >= 0x80 || this.#needTrail) {
      this.#emitByte(b);
      this.#pos += 1;
      return;
    }
    let end = this.#pos + 1;
    while (end < bytes.length) {
      const c = bytes[end] as number;
      if (c === BACKSLASH || c === OPEN || c === CLOSE || c >= 0x80 || (c < 0x20 && c !== 0x09)) break;
      end += 1;
    }
    this.#emit(bytes.toString('latin1', this.#pos, end));
    this.#pos = end;
  }

  // ---- control words and symbols

  #control(): void {
    const bytes = this.#bytes;
    const next = bytes[this.#pos + 1];
    if (next === undefined) {
      this.#pos += 1;
      return;
    }
    if (!isLetter(next)) {
      this.#pos += 2;
      this.#symbol(next);
      return;
    }
    let end = this.#pos + 1;
    while (end < bytes.length && isLetter(bytes[end] as number)) end += 1;
    const word = bytes.toString('latin1', this.#pos + 1, Math.min(end, this.#pos + 1 + MAX_WORD));
    let param: number | null = null;
    let sign = 1;
    if (bytes[end] === 0x2d && isDigit(bytes[end + 1] ?? 0)) {
      sign = -1;
      end += 1;
    }
    const digitsStart = end;
    while (end < bytes.length && isDigit(bytes[end] as number)) end += 1;
    if (end > digitsStart) {
      const digits = bytes.toString('latin1', digitsStart, Math.min(end, digitsStart + MAX_PARAM_DIGITS));
      param = sign * Number.parseInt(digits, 10);
    }
    if (bytes[end] === 0x20) end += 1;
    this.#pos = end;
    this.#word(word, param);
  }

  #symbol(symbol: number): void {
    if (symbol === 0x27) {
      // \'hh
      const high = hexValue(this.#bytes[this.#pos]);
      const low = hexValue(this.#bytes[this.#pos + 1]);
      if (high < 0 || low < 0) return;
      this.#pos += 2;
      this.#state.atStart = false;
      if (this.#skipFallback > 0) {
        this.#skipFallback -= 1;
        return;
      }
      if (this.#state.destination === 'pict') this.#pictureHex.push(((high << 4) | low).toString(16).padStart(2, '0'));
      else this.#emitByte((high << 4) | low);
      return;
    }
    if (symbol === 0x2a) {
      // \*: the group is an optional destination.
      this.#state.starred = true;
      return;
    }
    this.#state.atStart = false;
    this.#skipFallback = 0;
    switch (symbol) {
      case BACKSLASH:
      case OPEN:
      case CLOSE:
        this.#emit(String.fromCharCode(symbol));
        return;
      case 0x7e: // \~ non-breaking space
        this.#emit('\u00a0');
        return;
      case 0x5f: // \_ non-breaking hyphen
        this.#emit('-');
        return;
      case 0x0a:
      case 0x0d: // a backslash before a line end is \par
        this.#emit('\n');
        return;
      case 0x09:
        this.#emit('\t');
        return;
      default:
        // \- optional hyphen, \| \: index marks: nothing to read.
        return;
    }
  }

  #word(word: string, param: number | null): void {
    const state = this.#state;
    const atStart = state.atStart;
    state.atStart = false;
    if (word === 'bin') {
      this.#binary(param ?? 0);
      return;
    }
    // Inside a skipped destination only nesting and `\bin` matter.
    if (state.destination === 'skip') return;
    if (this.#skipFallback > 0 && word !== 'u') this.#skipFallback = 0;
    if (atStart && this.#destination(word)) return;
    if (state.starred) {
      // `\*` followed by a word that is not a destination we read: skip the whole group.
      state.starred = false;
      state.destination = 'skip';
      return;
    }
    switch (word) {
      case 'u':
        if (param !== null) this.#unicode(param);
        return;
      case 'uc':
        state.uc = Math.max(0, Math.min(MAX_UC, param ?? 1));
        return;
      case 'ansicpg':
        if (param !== null && param > 0) this.#ansiCodepage = param;
        return;
      case 'deff':
        this.#defaultFont = param ?? -1;
        return;
      case 'f':
        if (state.destination === 'fonttbl') this.#definingFont = param ?? -1;
        else state.font = param ?? -1;
        return;
      case 'fcharset': {
        const codepage = CHARSET_CODEPAGES.get(param ?? 0);
        if (state.destination === 'fonttbl' && codepage !== undefined) {
          this.#fontCodepages.set(this.#definingFont, codepage);
        }
        return;
      }
      case 'cpg':
        if (state.destination === 'fonttbl' && param !== null && param > 0) {
          this.#fontCodepages.set(this.#definingFont, param);
        }
        return;
      case 'pngblip':
        if (state.destination === 'pict') this.#pictureType = 'png';
        return;
      case 'jpegblip':
        if (state.destination === 'pict') this.#pictureType = 'jpeg';
        return;
      default:
        break;
    }
    if (LINE_BREAKS.has(word)) this.#emit('\n');
    else if (TABS.has(word)) this.#emit('\t');
    else {
      const symbol = SYMBOLS.get(word);
      if (symbol !== undefined) this.#emit(symbol);
    }
  }

  /** Handles a destination word at the start of a group; false when `word` is none. */
  #destination(word: string): boolean {
    const state = this.#state;
    const starred = state.starred;
    state.starred = false;
    if (word === 'objdata') this.#objects += 1;
    if (word === 'fonttbl') {
      state.destination = 'fonttbl';
      return true;
    }
    if (word === 'pict') {
      state.destination = 'pict';
      this.#pictureType = null;
      this.#pictureHex = [];
      this.#pictureRaw = [];
      return true;
    }
    if (SKIPPED.has(word) || (starred && !READ_STARRED.has(word))) {
      state.destination = 'skip';
      return true;
    }
    const place = PLACES.get(word);
    if (place !== undefined) {
      state.place = place;
      return true;
    }
    return starred;
  }

  #unicode(param: number): void {
    const code = param < 0 ? param + 0x10000 : param;
    if (code >= 0 && code <= 0xffff) this.#emit(String.fromCharCode(code));
    this.#skipFallback = this.#state.uc;
  }

  /** `\binN`: N raw bytes follow, kept only inside a picture. */
  #binary(length: number): void {
    const start = this.#pos;
    const end = Math.min(this.#bytes.length, start + Math.max(0, length));
    if (this.#state.destination === 'pict') this.#pictureRaw.push(this.#bytes.subarray(start, end));
    this.#pos = end;
  }

  // ---- pictures

  #pictureText(): void {
    const bytes = this.#bytes;
    let end = this.#pos;
    while (end < bytes.length) {
      const c = bytes[end] as number;
      if (c === BACKSLASH || c === OPEN || c === CLOSE) break;
      end += 1;
    }
    if (this.#pictureType !== null) this.#pictureHex.push(bytes.toString('latin1', this.#pos, end));
    this.#pos = end;
  }

  /**
   * A `\pict` group ended. One inside a skipped destination (`\nonshppict`, the WMF copy Word
   * writes beside the PNG of `\shppict`) never gets here: skipped groups name no destination.
   */
  #endPicture(): void {
    const type = this.#pictureType;
    this.#pictureType = null;
    if (type === null) {
      this.#unreadPictures += 1;
      this.#pictureHex = [];
      this.#pictureRaw = [];
      return;
    }
    const hex = this.#pictureHex.join('').replace(/[^0-9a-fA-F]/g, '');
    const data = Buffer.concat([Buffer.from(hex.slice(0, hex.length - (hex.length % 2)), 'hex'), ...this.#pictureRaw]);
    this.#pictureHex = [];
    this.#pictureRaw = [];
    const max = this.#options.maxPictureBytes ?? DEFAULT_MAX_PICTURE_BYTES;
    if (data.length === 0) return;
    if (this.#pictureBytes + data.length > max) {
      this.#unreadPictures += 1;
      return;
    }
    this.#pictureBytes += data.length;
    this.#pictures.push({ type, bytes: data });
  }
}

/** Reads an RTF document as described in the header. Never throws for malformed RTF. */
export function readRtf(bytes: Buffer, options: RtfOptions = {}): RtfContent {
  return new RtfReader(bytes, options).read();
}
