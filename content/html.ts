/**
 * HTML to the text a reader sees, laid out so that the detectors see values the way a person
 * would (html-to-text, with our own formatting for the parts that matter to detection):
 *
 * - table cells are separated by a tab and rows by a line break. html-to-text's default glues
 *   cells together (`<td>1</td><td>900101-…` would read `1900101-…`, a longer digit run), and
 *   its column layout (`dataTable`) was 10× slower on a 50 000-row table;
 * - link targets stay, in brackets (`?rrn=…` in a URL leaks just as well as text);
 * - images give their alt text, never their `src` (a data: URL would add megabytes of base64);
 * - headings keep their case; nothing is word-wrapped (a wrap could split a number).
 *
 * html-to-text recurses once per nesting level and overflows the stack at a few thousand levels;
 * hostile HTML does that on purpose. Then, or if it fails in any other way, we fall back to
 * stripping tags, which loses the layout but keeps every character of text.
 *
 * Not covered: text in HTML comments, `<script>`/`<style>` and `title` attributes.
 */
import { compile } from 'html-to-text';
import type { FormatCallback, HtmlToTextOptions } from 'html-to-text';

const tableRow: FormatCallback = (elem, walk, builder) => {
  builder.openBlock({ leadingLineBreaks: 1 });
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 1 });
};

const tableCell: FormatCallback = (elem, walk, builder) => {
  walk(elem.children, builder);
  builder.addLiteral('\t');
};

const altText: FormatCallback = (elem, _walk, builder) => {
  const alt: unknown = elem.attribs?.alt;
  if (typeof alt === 'string' && alt.trim() !== '') builder.addInline(alt);
};

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  formatters: { tableRow, tableCell, altText },
  selectors: [
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'tableRow' },
    { selector: 'td', format: 'tableCell' },
    { selector: 'th', format: 'tableCell' },
    { selector: 'img', format: 'altText' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    ...HEADINGS.map((selector) => ({ selector, options: { uppercase: false } })),
  ],
  // Callers cut their input to their own budget; html-to-text would otherwise cut at 16 Mi
  // characters on its own and say so on stderr.
  limits: { maxInputLength: Number.MAX_SAFE_INTEGER },
};

const convert = compile(OPTIONS);

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ',
};

/** The few entities that matter for numbers and words; numeric ones in full. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body.startsWith('#')) {
      const hex = body[1] === 'x' || body[1] === 'X';
      const code = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Fallback: every tag becomes a space; script and style bodies go. */
export function stripTags(html: string): string {
  const text = html
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, ' ')
    .replace(/<style\b[\s\S]*?<\/style\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ');
  return decodeEntities(text);
}

/** Text of an HTML document or fragment, as described in the header. Never throws. */
export function htmlToText(html: string): string {
  try {
    return convert(html);
  } catch {
    return stripTags(html);
  }
}
