/**
 * HTML to the text a reader sees, and to what a reader does not see but a leak still carries,
 * laid out so that the detectors see values the way a person would (html-to-text, with our own
 * formatting for the parts that matter to detection):
 *
 * - table cells are separated by a tab and rows by a line break. html-to-text's default glues
 *   cells together (`<td>1</td><td>900101-…` would read `1900101-…`, a longer digit run), and
 *   its column layout (`dataTable`) was 10× slower on a 50 000-row table;
 * - link targets stay, in brackets (`?rrn=…` in a URL leaks just as well as text);
 * - images give their alt text, never their `src` (a data: URL would add megabytes of base64);
 * - headings keep their case; nothing is word-wrapped (a wrap could split a number);
 * - zero-width characters are kept, not turned into spaces: the detectors read through them
 *   (detectors/chars.ts), while a space would split `9<U+200B>00101-…` into two shorter numbers.
 *
 * Hidden text is text (issue 4, point 5). CSS is not evaluated, so text under `display:none`,
 * `visibility:hidden`, a zero font size or white-on-white comes out like any other, and digits
 * split over inline tags (`900101-<span>123</span>4568`) come out joined. After the text come:
 *
 * - the text of HTML comments and of `title` attributes (and `alt` of elements other than
 *   images, whose alt text is already in place);
 * - the lines of the *visible* reading that differ from the full one. A sender can also break a
 *   number for the filter while a person still reads it whole, with a hidden character inside
 *   it (`900101-<span style="display:none">0</span>1234568`); the visible reading, without
 *   elements hidden by their inline style (or a white `<font>`), has the number whole. Styles
 *   set from a `<style>` sheet by class are not seen; that reading is skipped for HTML over
 *   MAX_VISIBLE_CHARS.
 *
 * html-to-text recurses once per nesting level and overflows the stack at a few thousand levels;
 * hostile HTML does that on purpose. Then, or if it fails in any other way, we fall back to
 * stripping tags, which loses the layout but keeps every character of text.
 *
 * Not covered: `<script>`/`<style>` content, other attributes (`value`, `data-*`).
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
  // html-to-text's default also counts U+200B as white space; see the header for why not.
  whitespaceCharacters: ' \t\r\n\f',
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

/** Marks an element hidden for the visible reading (see `markHidden`). */
const HIDDEN_MARK = 'data-outguard-hidden';
const convertVisible = compile({
  ...OPTIONS,
  selectors: [
    ...(OPTIONS.selectors ?? []),
    { selector: `[${HIDDEN_MARK}]`, format: 'skip' },
    { selector: '[hidden]', format: 'skip' },
  ],
});

/** Largest HTML also read the visible way (that costs a second conversion). */
export const MAX_VISIBLE_CHARS = 2 * 1024 * 1024;

/**
 * A declaration that hides an element, at the start of a style value or after `;`/space (so
 * `background-color:#fff` and `font-size:0.9em` do not count).
 */
const HIDING_STYLE =
  /(?:^|[;\s])(?:display\s*:\s*none|visibility\s*:\s*hidden|(?:font-size|opacity|max-height)\s*:\s*0(?![.\d])|color\s*:\s*(?:#fff|#ffffff|white)(?![\w-]))/i;
const STYLE_ATTRIBUTE = /(\sstyle\s*=\s*)("[^"]*"|'[^']*')/gi;
const WHITE_FONT = /<font(?=\s[^>]{0,512}?\bcolor\s*=\s*["']?\s*(?:#fff|#ffffff|white)(?![\w-]))/gi;
const HIDDEN_ATTRIBUTE = /<[a-z][^>]{0,512}?\shidden(?=[\s>=/])/i;

/**
 * The HTML with every element hidden by its inline style or a white `<font>` marked, for a
 * selector to skip; null when nothing is hidden that way. Regexes over attribute values rather
 * than CSS selectors: about 200 attribute selectors for the spacing and case variants made
 * html-to-text three times slower.
 */
function markHidden(html: string): string | null {
  let marked = false;
  const styled = html.replace(STYLE_ATTRIBUTE, (whole, _name: string, value: string) => {
    if (!HIDING_STYLE.test(value.slice(1, -1))) return whole;
    marked = true;
    return ` ${HIDDEN_MARK}${whole}`;
  });
  const fonts = styled.replace(WHITE_FONT, () => {
    marked = true;
    return `<font ${HIDDEN_MARK}`;
  });
  return marked || HIDDEN_ATTRIBUTE.test(html) ? fonts : null;
}

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

const TAG_NAME = /^<([a-zA-Z][a-zA-Z0-9:-]*)/;
const CONDITIONAL_OPEN = /^\s*\[if [^\]]{0,80}\]>?/;
const CONDITIONAL_CLOSE = /(?:<!)?\[endif\]\s*$/;
const TEXT_ATTRIBUTE = /\s(title|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const RAW_TEXT_END = /<\/(?:script|style)\s*>/gi;

interface MarkupVisitor {
  text(text: string): void;
  tag(tag: string, name: string | undefined): void;
  comment(body: string): void;
}

/**
 * Walks HTML as text runs, tags and comments, skipping `<script>`/`<style>` bodies. Linear in
 * the input whatever it holds: every search starts after the previous find, and an unclosed
 * comment, tag or script ends the walk (a regex such as `<script[\s\S]*?</script>` rescans to
 * the end for every unclosed opener, which hostile HTML turns into hours).
 */
function walkMarkup(html: string, visit: MarkupVisitor): void {
  let pos = 0;
  while (pos < html.length) {
    const at = html.indexOf('<', pos);
    if (at === -1) {
      visit.text(html.slice(pos));
      return;
    }
    visit.text(html.slice(pos, at));
    if (html.startsWith('<!--', at)) {
      const end = html.indexOf('-->', at + 4);
      visit.comment(html.slice(at + 4, end === -1 ? html.length : end));
      if (end === -1) return;
      pos = end + 3;
      continue;
    }
    const close = html.indexOf('>', at + 1);
    if (close === -1) {
      visit.text(html.slice(at));
      return;
    }
    const tag = html.slice(at, close + 1);
    const name = TAG_NAME.exec(tag)?.[1]?.toLowerCase();
    visit.tag(tag, name);
    pos = close + 1;
    if (name === 'script' || name === 'style') {
      RAW_TEXT_END.lastIndex = pos;
      if (RAW_TEXT_END.exec(html) === null) return;
      pos = RAW_TEXT_END.lastIndex;
    }
  }
}

/** Fallback: every tag becomes a space; comments, script and style bodies go. */
export function stripTags(html: string): string {
  const parts: string[] = [];
  walkMarkup(html, {
    text: (text) => parts.push(text),
    tag: () => parts.push(' '),
    comment: () => parts.push(' '),
  });
  return decodeEntities(parts.join(''));
}

function collapse(text: string): string {
  return text.replace(/[ \t\r\n\f]+/g, ' ').trim();
}

/** Text of comments and of `title` / non-image `alt` attributes, in document order. */
function unseenText(html: string): string[] {
  const found: string[] = [];
  const keep = (raw: string): void => {
    const text = collapse(decodeEntities(raw));
    if (text !== '') found.push(text);
  };
  walkMarkup(html, {
    text: () => undefined,
    tag: (tag, name) => {
      if (name === undefined) return;
      for (const match of tag.matchAll(TEXT_ATTRIBUTE)) {
        if (match[1]?.toLowerCase() === 'alt' && name === 'img') continue;
        keep(match[2] ?? match[3] ?? match[4] ?? '');
      }
    },
    // Outlook's conditional comments wrap blocks of HTML in `[if mso]>…<![endif]`, and mark
    // list bullets with bare `[if !supportLists]` / `[endif]`: only what they wrap is text.
    comment: (body) => keep(stripTags(body.replace(CONDITIONAL_OPEN, '').replace(CONDITIONAL_CLOSE, ''))),
  });
  return found;
}

/** Lines of the visible reading that the full reading does not have. */
function visibleOnlyLines(html: string, full: string): string[] {
  if (html.length > MAX_VISIBLE_CHARS) return [];
  const marked = markHidden(html);
  if (marked === null) return [];
  let visible: string;
  try {
    visible = convertVisible(marked);
  } catch {
    return [];
  }
  if (visible === full) return [];
  const fullLines = new Set(full.split('\n'));
  return visible.split('\n').filter((line) => line.trim() !== '' && !fullLines.has(line));
}

/** Text of an HTML document or fragment, as described in the header. Never throws. */
export function htmlToText(html: string): string {
  let text: string;
  let visible: string[] = [];
  try {
    text = convert(html);
    visible = visibleOnlyLines(html, text);
  } catch {
    text = stripTags(html);
  }
  const extra = [...visible, ...unseenText(html)];
  return extra.length === 0 ? text : `${text}\n${extra.join('\n')}`;
}
