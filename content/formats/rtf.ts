/**
 * RTF documents: text by place (body, header, footer, footnote, comment) from our own reader
 * (rtf-reader.ts), and the PNG/JPEG pictures they embed as inner files, so that a scanned ID
 * card pasted into a WordPad document still goes to OCR. Embedded OLE objects (a spreadsheet
 * pasted as an object) and pictures in other formats (WMF, EMF) or past the size cap are not
 * read; each is said with an `unsupported-format` problem, once per file.
 */
import type { Buffer } from 'node:buffer';
import { PieceCollector } from './pieces.js';
import { readRtf } from './rtf-reader.js';
import type { ExtractContext, ExtractResult, Extractor, InnerFile } from './types.js';

export const rtfExtractor: Extractor = {
  kinds: ['rtf'],
  async extract(bytes: Buffer, context: ExtractContext): Promise<ExtractResult> {
    const { budget } = context;
    budget.checkTime();
    const content = readRtf(bytes, {
      onProgress: () => budget.checkTime(),
      // Pictures are decoded from hex in the file, so they are at most half its size; the
      // archive byte budget bounds them across the message like any other inner file.
      maxPictureBytes: budget.limits.maxDecompressedBytes,
    });
    const collector = new PieceCollector(budget.limits.maxTextBytes);
    for (const [place, text] of content.text) collector.add(place, text);
    const children: InnerFile[] = [];
    for (const [index, picture] of content.pictures.entries()) {
      budget.takeDecompressed(picture.bytes.length);
      const extension = picture.type === 'png' ? 'png' : 'jpg';
      children.push({ path: `picture-${index + 1}.${extension}`, bytes: picture.bytes });
    }
    if (content.objects > 0) {
      const detail = `${content.objects} embedded OLE object${content.objects === 1 ? '' : 's'} not read`;
      collector.problem({ code: 'unsupported-format', where: 'object', detail });
    }
    if (content.unreadPictures > 0) {
      const n = content.unreadPictures;
      const detail = `${n} picture${n === 1 ? '' : 's'} not read (not PNG or JPEG, or past the size cap)`;
      collector.problem({ code: 'unsupported-format', where: 'picture', detail });
    }
    return { pieces: collector.pieces, children, problems: collector.problems };
  },
};
