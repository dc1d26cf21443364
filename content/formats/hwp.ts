/**
 * HWP 5 (한/글 .hwp): the text of every paragraph — body, table cells, text boxes, headers,
 * footers, footnotes and hidden comments (숨은 설명) — located by where it sits, and the embedded
 * pictures and objects (BinData) as children, so a screenshot pasted into a document reaches OCR.
 *
 * The reading is our own (hwp-records.ts), not @ohah/hwpjs, for three measured reasons: on the
 * corpus files hwpjs reads, both give the same paragraphs (our reader also keeps the line breaks
 * between words that hwpjs drops); hwpjs rejects a whole file when one picture record is shorter
 * than it expects (pyhwp's sample-5017.hwp), where reading PARA_TEXT records alone still works;
 * and hwpjs inflates sections inside native code, beyond the reach of the message's
 * decompression budget: a 590 KB file whose section inflates to 512 MiB of zeros took hwpjs 37 s
 * and 21 GB of memory, where this reader stops it at the ratio limit in milliseconds.
 * (hwpjs was this reader's independent check while it was written; it is not a dependency: its
 * lock entries name platform packages the npm mirror here does not have, so `npm ci` fails.)
 *
 * Password, DRM and certificate-encrypted files are refused from the FileHeader flags before any
 * section is read (EncryptedFile). Distribution documents (배포용 문서) are decrypted and read.
 */
import { Buffer } from 'node:buffer';
import { decodeSection, inflateBounded, readHwpContainer, refuseEncrypted, sectionParagraphs } from './hwp-records.js';
import { PieceCollector } from './pieces.js';
import { LimitExceeded } from './types.js';
import type { Budget, ExtractContext, ExtractResult, Extractor, InnerFile } from './types.js';

/** Embedded files taken out of one document. */
const MAX_BIN_DATA = 1000;

async function storedBinData(bytes: Buffer, compressed: boolean, budget: Budget): Promise<Buffer> {
  if (!compressed) return bytes;
  try {
    return await inflateBounded(bytes, budget);
  } catch (error) {
    if (error instanceof LimitExceeded) throw error;
    // An item saved with "no compression" in a compressed document is stored as is.
    return bytes;
  }
}

export const hwpExtractor: Extractor = {
  kinds: ['hwp'],
  async extract(bytes: Buffer, context: ExtractContext): Promise<ExtractResult> {
    const { budget } = context;
    const streams = readHwpContainer(bytes);
    refuseEncrypted(streams.header);
    if (streams.sections.length === 0) {
      throw new Error(`HWP document has no ${streams.header.distribution ? 'ViewText' : 'BodyText'} sections`);
    }
    const collector = new PieceCollector(budget.limits.maxTextBytes);
    let failed = 0;
    let lastFailure = '';
    for (const [index, stored] of streams.sections.entries()) {
      budget.checkTime();
      let section: Buffer;
      try {
        section = await decodeSection(stored, streams.header, budget);
      } catch (error) {
        if (error instanceof LimitExceeded) throw error;
        lastFailure = (error instanceof Error ? error.message : 'decode error').slice(0, 120);
        failed += 1;
        collector.problem({ code: 'unreadable', where: `section=${index + 1}`, detail: lastFailure });
        continue;
      }
      const { paragraphs, cutAt } = sectionParagraphs(section);
      for (const paragraph of paragraphs) collector.add(paragraph.where, paragraph.text);
      if (cutAt !== null && !collector.full) {
        const detail = `record at byte ${cutAt} runs past the end of the section; the rest is not read`;
        collector.problem({ code: 'unreadable', where: `section=${index + 1}`, detail });
      }
      if (collector.full) break;
    }
    if (failed === streams.sections.length) throw new Error(`no HWP section could be read: ${lastFailure}`);
    const children: InnerFile[] = [];
    for (const item of streams.binData) {
      if (children.length >= MAX_BIN_DATA) {
        collector.problem({ code: 'limit-exceeded', where: 'BinData', detail: `more than ${MAX_BIN_DATA} embedded files` });
        break;
      }
      budget.checkTime();
      budget.takeEntry();
      children.push({ path: `BinData/${item.name}`, bytes: await storedBinData(item.bytes, streams.header.compressed, budget) });
    }
    return { pieces: collector.pieces, children, problems: collector.problems };
  },
};
