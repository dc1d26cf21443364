/**
 * Legacy Office files and other OLE compound files that are not HWP:
 *
 * - `doc`: Word 97-2003 through word-extractor (pure JS, MIT): body, headers, footers,
 *   footnotes, endnotes, comments and text boxes, each at its place. A password-protected .doc
 *   (the FIB's fEncrypted bit, which XOR obfuscation also sets) is reported encrypted before the
 *   library is asked, since it would read the ciphertext as text. Objects embedded in it (a
 *   spreadsheet or a file pasted in, kept under the ObjectPool storage) are not read: that is
 *   reported `unsupported-format` at `ObjectPool`, not left unsaid.
 * - `xls`, `ppt`: no well-kept npm package reads BIFF8 or the PowerPoint binary on Node 20
 *   (SheetJS `xlsx` on npm is stuck at 0.18.5 with known advisories; its maintained builds are
 *   published off the registry; `ppt` is an abandoned 0.0.2), so they are reported
 *   `unsupported-format`. An encrypted one is reported encrypted instead, told cheaply from the
 *   streams: the FilePass record of an .xls, the encrypted header token of a .ppt's CurrentUser.
 * - `office-encrypted`: an OOXML file under a password (EncryptionInfo + EncryptedPackage).
 * - `cfb`: any other compound file (Outlook .msg, Visio, installer), `unsupported-format`.
 *
 * Stream heads are read through cfb-directory.ts, so deciding costs no full parse of the file.
 * Before word-extractor gets a .doc, the same reader checks that the chains it will follow end
 * (no loop, inside the file), since the library would follow a loop until memory runs out.
 */
import type { Buffer } from 'node:buffer';
import CFB from 'cfb';
import WordExtractor from 'word-extractor';
import { readCfbDirectory } from '../cfb-directory.js';
import type { CfbDirectory } from '../cfb-directory.js';
import { PieceCollector } from './pieces.js';
import { EncryptedFile } from './types.js';
import type { ExtractContext, ExtractResult, Extractor, FileProblem } from './types.js';

/** FibBase.fEncrypted (MS-DOC 2.5.2): the document is encrypted or XOR-obfuscated. */
const FIB_ENCRYPTED = 0x0100;
const WORD_MAGIC = 0xa5ec;

/** BIFF record types (MS-XLS 2.3). */
const BIFF_EOF = 0x000a;
const BIFF_FILEPASS = 0x002f;
/** How much of the Workbook stream is walked for FilePass: it sits near the start of the globals. */
const XLS_HEAD_BYTES = 64 * 1024;

/** CurrentUserAtom.headerToken of an encrypted presentation (MS-PPT 2.3.2). */
const PPT_ENCRYPTED_TOKEN = 0xf3d1c4df;

function unsupported(detail: string): ExtractResult {
  const problem: FileProblem = { code: 'unsupported-format', where: '', detail };
  return { pieces: [], children: [], problems: [problem] };
}

function wordIsEncrypted(directory: CfbDirectory): boolean {
  const fib = directory.streamHead('WordDocument', 12);
  if (fib === null || fib.length < 12 || fib.readUInt16LE(0) !== WORD_MAGIC) return false;
  return (fib.readUInt16LE(0x0a) & FIB_ENCRYPTED) !== 0;
}

function workbookIsEncrypted(directory: CfbDirectory): boolean {
  const stream = directory.streamHead('Workbook', XLS_HEAD_BYTES) ?? directory.streamHead('Book', XLS_HEAD_BYTES);
  if (stream === null) return false;
  for (let at = 0; at + 4 <= stream.length; ) {
    const type = stream.readUInt16LE(at);
    if (type === BIFF_FILEPASS) return true;
    if (type === BIFF_EOF) return false;
    at += 4 + stream.readUInt16LE(at + 2);
  }
  return false;
}

function presentationIsEncrypted(directory: CfbDirectory): boolean {
  const atom = directory.streamHead('Current User', 16);
  return atom !== null && atom.length >= 16 && atom.readUInt32LE(12) === PPT_ENCRYPTED_TOKEN;
}

/** Word's places, in the order they are added. */
const WORD_PLACES: ReadonlyArray<{ where: string; text: (d: WordExtractor.Document) => string }> = [
  { where: '', text: (d) => d.getBody() },
  { where: 'header', text: (d) => d.getHeaders({ includeFooters: false }) },
  { where: 'footer', text: (d) => d.getFooters() },
  { where: 'footnote', text: (d) => d.getFootnotes() },
  { where: 'endnote', text: (d) => d.getEndnotes() },
  { where: 'comment', text: (d) => d.getAnnotations() },
  { where: 'textbox', text: (d) => d.getTextboxes({ includeHeadersAndFooters: true, includeBody: true }) },
];

/** The streams word-extractor reads, or may: the document, either table stream, the data stream. */
const WORD_STREAMS = ['WordDocument', '0Table', '1Table', 'Data'];

const OBJECT_POOL = 'objectpool';

/**
 * How many objects the ObjectPool storage of a Word document holds (Word often writes it empty).
 * Only asked when the root has one, since `cfb` reads the whole file; a directory it cannot
 * follow counts as one object, so the document is not called complete.
 */
function embeddedObjects(bytes: Buffer, directory: CfbDirectory): number {
  if (!directory.rootNames.some((name) => name.toLowerCase() === OBJECT_POOL)) return 0;
  let paths: string[];
  try {
    paths = CFB.read(bytes, { type: 'buffer' }).FullPaths;
  } catch {
    return 1;
  }
  const prefix = `${(paths[0] ?? '').toLowerCase()}${OBJECT_POOL}/`;
  return paths.filter((path) => {
    if (!path.toLowerCase().startsWith(prefix)) return false;
    const rest = path.slice(prefix.length).replace(/\/$/, '');
    return rest !== '' && !rest.includes('/');
  }).length;
}

async function readWord(bytes: Buffer, directory: CfbDirectory, context: ExtractContext): Promise<ExtractResult> {
  if (wordIsEncrypted(directory)) throw new EncryptedFile('password-protected Word document');
  // word-extractor follows FAT chains without a bound, allocating as it goes: a looping chain
  // would take the process down. Our bounded reader checks first (CfbFormatError: unreadable).
  directory.checkStreams(WORD_STREAMS);
  const document = await new WordExtractor().extract(bytes);
  context.budget.checkTime();
  const collector = new PieceCollector(context.budget.limits.maxTextBytes);
  for (const { where, text } of WORD_PLACES) collector.add(where, text(document));
  const objects = embeddedObjects(bytes, directory);
  if (objects > 0) {
    const detail = `${objects} embedded object${objects === 1 ? '' : 's'} in .doc not read`;
    collector.problem({ code: 'unsupported-format', where: '', path: 'ObjectPool', detail });
  }
  return { pieces: collector.pieces, children: [], problems: collector.problems };
}

/** Outlook keeps a message's properties in streams named like this at the root. */
function isOutlookMessage(directory: CfbDirectory): boolean {
  return directory.rootNames.some((name) => name === '__properties_version1.0' || name.startsWith('__substg1.0_'));
}

export const oleExtractor: Extractor = {
  kinds: ['doc', 'xls', 'ppt', 'office-encrypted', 'cfb'],
  async extract(bytes: Buffer, context: ExtractContext): Promise<ExtractResult> {
    context.budget.checkTime();
    const directory = readCfbDirectory(bytes);
    const names = new Set(directory.rootNames.map((n) => n.toLowerCase()));
    if (names.has('encryptioninfo') && names.has('encryptedpackage')) {
      throw new EncryptedFile('password-protected Office document');
    }
    if (names.has('worddocument')) return readWord(bytes, directory, context);
    if (names.has('workbook') || names.has('book')) {
      if (workbookIsEncrypted(directory)) throw new EncryptedFile('password-protected Excel workbook');
      return unsupported('legacy Excel binary (.xls) is not read');
    }
    if (names.has('powerpoint document')) {
      if (presentationIsEncrypted(directory)) throw new EncryptedFile('password-protected PowerPoint presentation');
      return unsupported('legacy PowerPoint binary (.ppt) is not read');
    }
    if (isOutlookMessage(directory)) return unsupported('Outlook message (.msg) is not read');
    return unsupported('OLE compound file of no known kind is not read');
  },
};
