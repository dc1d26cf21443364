/**
 * Hand-written PDFs for the extractor tests, built object by object with a correct xref table:
 * Korean text in a CID-keyed font that uses Adobe's predefined UniKS-UCS2-H CMap and embeds no
 * font program (so text comes out only through pdfjs's bundled CMaps), a filled form field,
 * embedded files (stored or deflated), a file attached to page 1 with a FileAttachment annotation
 * (the paperclip), and the standard security handler (revision 2, RC4) with a user password.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

export interface PdfPageSpec {
  /** Content stream operators, e.g. `BT /F1 12 Tf 72 720 Td (Hello) Tj ET`. */
  readonly content: string;
  /** A JPEG drawn on the page (as `/Im1`, 480×360 pt), stored as written (DCTDecode). */
  readonly image?: { readonly jpeg: Buffer; readonly width: number; readonly height: number };
}

export interface PdfSpec {
  readonly pages: readonly PdfPageSpec[];
  /** A text form field on page 1 holding this value. */
  readonly formFieldValue?: string;
  /** Files embedded in the document (EmbeddedFiles name tree), stored or `compressed` (FlateDecode). */
  readonly attachments?: readonly { name: string; bytes: Buffer; compressed?: boolean }[];
  /** A file attached to page 1 by a FileAttachment annotation, not listed in EmbeddedFiles. */
  readonly pageAttachment?: { name: string; bytes: Buffer };
  /** Encrypt with the standard security handler, revision 2 (RC4, 40-bit), this user password. */
  readonly userPassword?: string;
}

/** `<FEFF…>`: a PDF text string in UTF-16BE, the form PDF uses for non-Latin text. */
export function pdfTextString(text: string): string {
  const utf16be = Buffer.from(text, 'utf16le').swap16();
  return `<FEFF${utf16be.toString('hex').toUpperCase()}>`;
}

/** A show-text operand for the UniKS-UCS2-H font: two bytes per BMP character. */
export function ucs2Hex(text: string): string {
  return `<${Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase()}>`;
}

/** Content that writes each line with the Korean CID font /K1 (see `buildPdf`). */
export function koreanLines(lines: readonly string[], size = 14): string {
  const shows = lines.map((line, i) => `${i === 0 ? '' : `0 -${size * 1.6} Td `}${ucs2Hex(line)} Tj`);
  return `BT /K1 ${size} Tf 56 760 Td ${shows.join(' ')} ET`;
}

const PAD = Buffer.from('28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A', 'hex');

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

function md5(...parts: Buffer[]): Buffer {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function padded(password: string): Buffer {
  return Buffer.concat([Buffer.from(password, 'latin1'), PAD]).subarray(0, 32);
}

interface Encryption {
  readonly dictionary: string;
  readonly fileKey: Buffer;
}

/** Standard security handler, revision 2: the O, U and file key of PDF 1.7 algorithms 3.2–3.4. */
function encryption(userPassword: string, id: Buffer): Encryption {
  const owner = rc4(md5(padded(`${userPassword}-owner`)).subarray(0, 5), padded(userPassword));
  const permissions = -4;
  const p = Buffer.alloc(4);
  p.writeInt32LE(permissions);
  const fileKey = md5(padded(userPassword), owner, p, id).subarray(0, 5);
  const user = rc4(fileKey, PAD);
  const dictionary = `<< /Filter /Standard /V 1 /R 2 /O <${owner.toString('hex')}> /U <${user.toString('hex')}> /P ${permissions} >>`;
  return { dictionary, fileKey };
}

function objectKey(fileKey: Buffer, objectNumber: number): Buffer {
  const suffix = Buffer.from([objectNumber & 0xff, (objectNumber >> 8) & 0xff, (objectNumber >> 16) & 0xff, 0, 0]);
  return md5(fileKey, suffix).subarray(0, fileKey.length + 5);
}

interface PdfObject {
  dictionary: string;
  stream?: Buffer;
}

export function buildPdf(spec: PdfSpec): Buffer {
  const objects: PdfObject[] = [];
  const add = (object: PdfObject): number => objects.push(object);
  const ref = (n: number): string => `${n} 0 R`;

  const catalog = add({ dictionary: '' });
  const pagesNode = add({ dictionary: '' });
  const helvetica = add({ dictionary: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>' });
  const descriptor = add({
    dictionary:
      '<< /Type /FontDescriptor /FontName /HYSMyeongJo-Medium /Flags 6 /FontBBox [-28 -148 1001 880] ' +
      '/ItalicAngle 0 /Ascent 880 /Descent -148 /CapHeight 880 /StemV 60 >>',
  });
  const cidFont = add({
    dictionary:
      '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HYSMyeongJo-Medium ' +
      `/CIDSystemInfo << /Registry (Adobe) /Ordering (Korea1) /Supplement 1 >> /FontDescriptor ${ref(descriptor)} /DW 1000 >>`,
  });
  const korean = add({
    dictionary: `<< /Type /Font /Subtype /Type0 /BaseFont /HYSMyeongJo-Medium /Encoding /UniKS-UCS2-H /DescendantFonts [${ref(cidFont)}] >>`,
  });
  const resources = `<< /Font << /F1 ${ref(helvetica)} /K1 ${ref(korean)} >> >>`;

  let field: number | null = null;
  const pageRefs: number[] = [];
  spec.pages.forEach((page, index) => {
    let pageContent = page.content;
    let pageResources = resources;
    if (page.image) {
      const { jpeg, width, height } = page.image;
      const image = add({
        dictionary:
          `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB ` +
          `/BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>`,
        stream: jpeg,
      });
      pageContent += ' q 480 0 0 360 56 100 cm /Im1 Do Q';
      pageResources = `${resources.slice(0, -2)} /XObject << /Im1 ${ref(image)} >> >>`;
    }
    const content = add({ dictionary: '', stream: Buffer.from(pageContent, 'latin1') });
    const pageObject = add({ dictionary: '' });
    const annotRefs: number[] = [];
    if (index === 0 && spec.formFieldValue !== undefined) {
      field = add({
        dictionary:
          `<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V ${pdfTextString(spec.formFieldValue)} ` +
          `/Rect [56 600 400 620] /P ${ref(pageObject)} /F 4 >>`,
      });
      annotRefs.push(field);
    }
    if (index === 0 && spec.pageAttachment !== undefined) {
      const { name, bytes } = spec.pageAttachment;
      const data = add({ dictionary: `<< /Type /EmbeddedFile /Length ${bytes.length} >>`, stream: bytes });
      const filespec = add({ dictionary: `<< /Type /Filespec /F (file.bin) /UF ${pdfTextString(name)} /EF << /F ${ref(data)} >> >>` });
      annotRefs.push(
        add({
          dictionary: `<< /Type /Annot /Subtype /FileAttachment /Rect [56 640 76 660] /FS ${ref(filespec)} /P ${ref(pageObject)} /Name /PushPin >>`,
        }),
      );
    }
    const annots = annotRefs.length === 0 ? '' : ` /Annots [${annotRefs.map(ref).join(' ')}]`;
    objects[pageObject - 1] = {
      dictionary:
        `<< /Type /Page /Parent ${ref(pagesNode)} /MediaBox [0 0 595 842] /Resources ${pageResources} ` +
        `/Contents ${ref(content)}${annots} >>`,
    };
    pageRefs.push(pageObject);
  });
  objects[pagesNode - 1] = {
    dictionary: `<< /Type /Pages /Kids [${pageRefs.map(ref).join(' ')}] /Count ${pageRefs.length} >>`,
  };

  let names = '';
  if (spec.attachments && spec.attachments.length > 0) {
    const entries = spec.attachments.map((file) => {
      // Deflated here when asked: embedded-file streams are written as given (see below).
      const stored = file.compressed ? deflateSync(file.bytes, { level: 9 }) : file.bytes;
      const filter = file.compressed ? '/Filter /FlateDecode ' : '';
      const data = add({ dictionary: `<< /Type /EmbeddedFile ${filter}/Length ${stored.length} >>`, stream: stored });
      const filespec = add({
        dictionary: `<< /Type /Filespec /F (file.bin) /UF ${pdfTextString(file.name)} /EF << /F ${ref(data)} >> >>`,
      });
      return `${pdfTextString(file.name)} ${ref(filespec)}`;
    });
    names = ` /Names << /EmbeddedFiles << /Names [${entries.join(' ')}] >> >>`;
  }
  const acroForm = field === null ? '' : ` /AcroForm << /Fields [${ref(field)}] >>`;
  objects[catalog - 1] = { dictionary: `<< /Type /Catalog /Pages ${ref(pagesNode)}${names}${acroForm} >>` };

  const id = md5(Buffer.from(JSON.stringify(spec.pages)));
  let encryptRef = '';
  let fileKey: Buffer | null = null;
  if (spec.userPassword !== undefined) {
    const enc = encryption(spec.userPassword, id);
    fileKey = enc.fileKey;
    encryptRef = ` /Encrypt ${ref(add({ dictionary: enc.dictionary }))}`;
  }

  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    const number = index + 1;
    offsets.push(offset);
    let body: Buffer;
    if (object.stream) {
      // Embedded files and JPEG images are stored as given; everything else is deflated.
      const raw = object.dictionary.includes('/EmbeddedFile') || object.dictionary.includes('/DCTDecode');
      let data = raw ? object.stream : deflateSync(object.stream);
      if (fileKey) data = rc4(objectKey(fileKey, number), data);
      const filter = object.dictionary.includes('/EmbeddedFile') ? '' : '/Filter /FlateDecode ';
      const dictionary = object.dictionary === '' ? `<< ${filter}/Length ${data.length} >>` : object.dictionary;
      body = Buffer.concat([Buffer.from(`${number} 0 obj\n${dictionary}\nstream\n`, 'latin1'), data, Buffer.from('\nendstream\nendobj\n')]);
    } else {
      body = Buffer.from(`${number} 0 obj\n${object.dictionary}\nendobj\n`, 'latin1');
    }
    chunks.push(body);
    offset += body.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n`, '0000000000 65535 f \n', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)];
  const trailer =
    `trailer\n<< /Size ${objects.length + 1} /Root ${ref(catalog)}${encryptRef} /ID [<${id.toString('hex')}> <${id.toString('hex')}>] >>\n` +
    `startxref\n${offset}\n%%EOF\n`;
  chunks.push(Buffer.from(xref.join('') + trailer, 'latin1'));
  return Buffer.concat(chunks);
}
