/**
 * Streaming XML for the zip-based document formats: bytes in as they are inflated, element and
 * text events out, through saxes (a strict, well-formedness-checking parser; it took a third of
 * sax's time on an 8 MB sheet). Nothing builds a tree, so a 200 MB sheet costs
 * the text it yields, not a DOM of it; and nothing here uses regular expressions on XML.
 *
 * Elements are reported by local name (`w:t` → `t`), because prefixes are only conventions:
 * Strict OOXML and some generators bind other prefixes to the same namespaces. saxes does not
 * expand entities a DTD declares (no billion-laughs, no external entities): an undeclared
 * entity is an XML error like any other.
 */
import type { Buffer } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { SaxesParser } from 'saxes';

export type Attributes = Readonly<Record<string, string>>;

export interface XmlVisitor {
  /** An element opens; returning false skips it and everything inside it. */
  open(local: string, attributes: Attributes): boolean | void;
  close(local: string): void;
  /** Character data, entities resolved, CDATA included. */
  text(text: string): void;
}

/** Malformed XML; the message is the parser's first line, which names no content. */
export class XmlError extends Error {
  override readonly name = 'XmlError';
}

const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Characters handed to the parser at a time, so a huge chunk does not stall the event loop in one go. */
const SAX_SLICE = 256 * 1024;

export function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

/** The value of the attribute with this local name, whatever its prefix. */
export function attribute(attributes: Attributes, local: string): string | undefined {
  const direct = attributes[local];
  if (direct !== undefined) return direct;
  // Asked for every cell of a sheet, mostly for attributes that are absent: no slicing here.
  for (const name in attributes) {
    const colon = name.length - local.length - 1;
    if (colon > 0 && name.charCodeAt(colon) === 58 && name.endsWith(local) && name.indexOf(':') === colon) {
      return attributes[name];
    }
  }
  return undefined;
}

export class XmlWalker {
  readonly #parser: SaxesParser;
  #decoder: TextDecoder | null = null;
  #skipDepth = 0;

  constructor(visitor: XmlVisitor) {
    const parser = new SaxesParser({ xmlns: false, position: false });
    parser.on('error', (err: Error) => {
      throw new XmlError(`malformed XML: ${(err.message.split('\n', 1)[0] ?? '').slice(0, 80)}`);
    });
    parser.on('opentag', (tag) => {
      if (this.#skipDepth > 0) {
        this.#skipDepth += 1;
        return;
      }
      if (visitor.open(localName(tag.name), tag.attributes) === false) this.#skipDepth = 1;
    });
    parser.on('closetag', (tag) => {
      if (this.#skipDepth > 0) {
        this.#skipDepth -= 1;
        return;
      }
      visitor.close(localName(tag.name));
    });
    const onText = (text: string): void => {
      if (this.#skipDepth === 0) visitor.text(text);
    };
    parser.on('text', onText);
    parser.on('cdata', onText);
    this.#parser = parser;
  }

  /** Feeds raw bytes; the encoding is taken from a UTF-16 byte-order mark, else UTF-8. */
  write(bytes: Buffer): void {
    if (this.#decoder === null) this.#decoder = new TextDecoder(encodingOf(bytes));
    this.#feed(this.#decoder.decode(bytes, { stream: true }));
  }

  end(): void {
    if (this.#decoder !== null) this.#feed(this.#decoder.decode());
    this.#parser.close();
  }

  #feed(text: string): void {
    // Characters XML 1.0 forbids stop saxes; some exporters write them anyway (a control code
    // pasted into a cell), and Office's own readers refuse such a part. The text around them is
    // still the document's text, so they are read as spaces, as the PDF reader reads them.
    const clean = text.replace(FORBIDDEN_CHARS, ' '); // no match: the same string, no copy
    for (let at = 0; at < clean.length; at += SAX_SLICE) {
      this.#parser.write(clean.slice(at, at + SAX_SLICE));
    }
  }
}

function encodingOf(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}
