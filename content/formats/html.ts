/**
 * HTML files with no declared charset (inner files of archives, attachments not read as declared
 * text): the charset from a byte-order mark, the UTF-16 NUL pattern, or the document's own
 * `<meta charset>` / `http-equiv` declaration, else sniffed as plain text is (formats/text.ts);
 * then content/html.ts turns it into text, hidden parts included.
 */
import type { Buffer } from 'node:buffer';
import { resolveCharset } from '../charset.js';
import { htmlToText } from '../html.js';
import { MAX_HTML_CHARS } from '../text-part.js';
import { PieceCollector } from './pieces.js';
import { cutInput, decodeUndeclared, dropCutCharacter, guessProblem } from './text.js';
import type { ExtractContext, ExtractResult, Extractor } from './types.js';

/** How far into the document a meta charset is looked for (the HTML standard says 1024 bytes). */
const META_SCAN_BYTES = 4096;
const META_CHARSET = /<meta\s[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]{1,40})/i;

/**
 * The charset a `<meta>` element declares, or null. A UTF-16 label in an ASCII-compatible
 * document cannot be true (the meta element itself was read as ASCII); the HTML standard reads
 * it as UTF-8, and so do we by ignoring it.
 */
export function metaCharset(bytes: Buffer): string | null {
  const head = bytes.subarray(0, META_SCAN_BYTES).toString('latin1');
  const label = META_CHARSET.exec(head)?.[1] ?? null;
  if (label === null) return null;
  const codec = resolveCharset(label);
  return codec !== null && codec.toLowerCase().startsWith('utf-16') ? null : label;
}

export const htmlExtractor: Extractor = {
  kinds: ['html'],
  async extract(bytes: Buffer, context: ExtractContext): Promise<ExtractResult> {
    context.budget.checkTime();
    const { maxTextBytes } = context.budget.limits;
    const input = cutInput(bytes, maxTextBytes);
    const whole = decodeUndeclared(input, metaCharset(input));
    const decoded = input.length < bytes.length ? dropCutCharacter(whole) : whole;
    const html = decoded.text.slice(0, MAX_HTML_CHARS);
    const collector = new PieceCollector(maxTextBytes);
    collector.add('', htmlToText(html));
    const problem = guessProblem(decoded);
    if (problem !== null) collector.problem(problem);
    const cut = input.length < bytes.length || html.length < decoded.text.length;
    if (cut && !collector.full) {
      collector.problem({ code: 'truncated', where: '', detail: 'HTML beyond the extraction budget was not read' });
    }
    return { pieces: collector.pieces, children: [], problems: collector.problems };
  },
};
