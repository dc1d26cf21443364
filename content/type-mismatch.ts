/**
 * Whether a file's name or declared Content-Type contradicts what its content is. A sender who
 * renames a customer list to `photo.jpg`, or declares it `image/jpeg`, hopes a filter trusts the
 * label; the content decides what Outguard reads, and the contradiction itself is reported.
 *
 * One table of claims says which content kinds each extension and each media type may honestly
 * stand for. It is tolerant where mail clients are sloppy in harmless ways: Outlook declares a
 * .docx `application/msword` and a CSV `application/vnd.ms-excel`; banks export "Excel" files
 * that are HTML or tab-separated text; text may carry any `text/*` type; a mail may be `.msg`.
 * Unknown extensions and media types claim nothing, so they never contradict.
 */
import type { FileKind, Sniffed } from './formats/types.js';

interface Claim {
  readonly extensions: readonly string[];
  readonly types: readonly string[];
  readonly kinds: readonly FileKind[];
}

const TEXTUAL: readonly FileKind[] = ['text', 'html', 'rtf', 'eml', 'mbox'];
const IMAGES: readonly FileKind[] = ['png', 'jpeg', 'tiff', 'bmp', 'gif', 'webp'];
const ZIP_BASED: readonly FileKind[] = ['zip', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'hwpx'];

const OOXML_WORD = 'application/vnd.openxmlformats-officedocument.wordprocessingml';
const OOXML_SHEET = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
const OOXML_SLIDES = 'application/vnd.openxmlformats-officedocument.presentationml';
const ODF = 'application/vnd.oasis.opendocument';

const CLAIMS: readonly Claim[] = [
  {
    extensions: ['txt', 'text', 'log', 'csv', 'tsv', 'md', 'json', 'xml', 'ini', 'cfg', 'conf', 'yml', 'yaml', 'sql',
      'svg', 'html', 'htm', 'xhtml', 'mht', 'mhtml', 'rtf', 'eml', 'mbox', 'emlx'],
    types: ['text/plain', 'text/html', 'text/csv', 'text/tab-separated-values', 'text/xml', 'text/rtf', 'text/richtext',
      'text/markdown', 'application/rtf', 'application/x-rtf', 'application/xhtml+xml', 'application/xml',
      'application/json', 'application/csv', 'image/svg+xml', 'application/mbox'],
    kinds: TEXTUAL,
  },
  { extensions: ['msg'], types: ['message/rfc822', 'message/global'], kinds: ['eml', 'text', 'cfb'] },
  { extensions: [], types: ['application/vnd.ms-outlook'], kinds: ['cfb', 'eml'] },
  { extensions: ['pdf'], types: ['application/pdf', 'application/x-pdf'], kinds: ['pdf'] },
  // Word saves RTF and "web page" documents under .doc; clients declare .docx as msword.
  { extensions: ['doc', 'dot'], types: [], kinds: ['doc', 'rtf', 'html'] },
  { extensions: [], types: ['application/msword'], kinds: ['doc', 'docx', 'rtf', 'html', 'office-encrypted'] },
  // Web applications export HTML tables and tab-separated text as .xls; CSV is declared ms-excel.
  { extensions: ['xls', 'xlt'], types: [], kinds: ['xls', 'html', 'text'] },
  { extensions: [], types: ['application/vnd.ms-excel'], kinds: ['xls', 'xlsx', 'html', 'text', 'office-encrypted'] },
  { extensions: ['ppt', 'pps', 'pot'], types: [], kinds: ['ppt'] },
  { extensions: [], types: ['application/vnd.ms-powerpoint'], kinds: ['ppt', 'pptx', 'office-encrypted'] },
  // An encrypted OOXML file is an OLE file whatever it was before.
  {
    extensions: ['docx', 'docm', 'dotx', 'dotm'],
    types: [`${OOXML_WORD}.document`, `${OOXML_WORD}.template`, 'application/vnd.ms-word.document.macroenabled.12',
      'application/vnd.ms-word.template.macroenabled.12'],
    kinds: ['docx', 'office-encrypted'],
  },
  {
    extensions: ['xlsx', 'xlsm', 'xltx', 'xltm'],
    types: [`${OOXML_SHEET}.sheet`, `${OOXML_SHEET}.template`, 'application/vnd.ms-excel.sheet.macroenabled.12',
      'application/vnd.ms-excel.template.macroenabled.12'],
    kinds: ['xlsx', 'office-encrypted'],
  },
  {
    extensions: ['pptx', 'pptm', 'ppsx', 'potx'],
    types: [`${OOXML_SLIDES}.presentation`, `${OOXML_SLIDES}.slideshow`, `${OOXML_SLIDES}.template`,
      'application/vnd.ms-powerpoint.presentation.macroenabled.12'],
    kinds: ['pptx', 'office-encrypted'],
  },
  { extensions: ['odt', 'ott'], types: [`${ODF}.text`, `${ODF}.text-template`], kinds: ['odt'] },
  { extensions: ['ods', 'ots'], types: [`${ODF}.spreadsheet`, `${ODF}.spreadsheet-template`], kinds: ['ods'] },
  { extensions: ['odp', 'otp'], types: [`${ODF}.presentation`, `${ODF}.presentation-template`], kinds: ['odp'] },
  { extensions: ['hwp'], types: [], kinds: ['hwp'] },
  // Hancom's own media types are used loosely for both of its formats.
  {
    extensions: [],
    types: ['application/x-hwp', 'application/haansofthwp', 'application/vnd.hancom.hwp', 'application/hwp'],
    kinds: ['hwp', 'hwpx'],
  },
  {
    extensions: ['hwpx'],
    types: ['application/hwp+zip', 'application/vnd.hancom.hwpx', 'application/haansofthwpx'],
    kinds: ['hwpx'],
  },
  { extensions: ['tnef'], types: ['application/ms-tnef', 'application/vnd.ms-tnef'], kinds: ['tnef'] },
  // Office files are zips; a client that does not know them declares application/zip.
  {
    extensions: ['zip', 'jar', 'apk', 'epub', 'xpi'],
    types: ['application/zip', 'application/x-zip-compressed', 'application/x-zip', 'multipart/x-zip',
      'application/java-archive', 'application/epub+zip'],
    kinds: ZIP_BASED,
  },
  { extensions: ['7z'], types: ['application/x-7z-compressed'], kinds: ['7z'] },
  {
    extensions: ['rar'],
    types: ['application/x-rar-compressed', 'application/vnd.rar', 'application/x-rar'],
    kinds: ['rar'],
  },
  { extensions: ['tar'], types: ['application/x-tar', 'application/x-gtar'], kinds: ['tar'] },
  {
    extensions: ['gz', 'tgz', 'gzip'],
    types: ['application/gzip', 'application/x-gzip', 'application/x-compressed-tar', 'application/x-compressed'],
    kinds: ['gzip'],
  },
  // Images may be mislabelled as each other (a PNG saved as .jpg): harmless, OCR reads them all.
  {
    extensions: ['png', 'jpg', 'jpeg', 'jpe', 'jfif', 'gif', 'bmp', 'dib', 'tif', 'tiff', 'webp'],
    types: ['image/png', 'image/x-png', 'image/jpeg', 'image/pjpeg', 'image/jpg', 'image/gif', 'image/bmp',
      'image/x-bmp', 'image/x-ms-bmp', 'image/tiff', 'image/webp'],
    kinds: IMAGES,
  },
  // MSI installers are OLE files.
  {
    extensions: ['exe', 'dll', 'com', 'scr', 'sys', 'msi'],
    types: ['application/x-msdownload', 'application/x-msdos-program', 'application/x-dosexec',
      'application/vnd.microsoft.portable-executable', 'application/x-msi'],
    kinds: ['binary', 'cfb'],
  },
];

/** Declared types that say "some bytes" and so claim nothing. */
const NO_CLAIM_TYPES = new Set([
  '', 'application/octet-stream', 'binary/octet-stream', 'application/binary', 'application/x-download',
  'application/force-download', 'application/download', 'application/unknown', 'application/x-unknown',
]);

/** Media-type families for types not in the table. */
const FAMILY_KINDS: ReadonlyArray<{ prefix: string; kinds: readonly FileKind[] }> = [
  { prefix: 'text/', kinds: TEXTUAL },
  // Formats with no kind of their own (HEIC, ICO) come out `binary`.
  { prefix: 'image/', kinds: [...IMAGES, 'emf', 'binary'] },
  { prefix: 'audio/', kinds: ['binary'] },
  { prefix: 'video/', kinds: ['binary'] },
];

function indexBy(key: 'extensions' | 'types'): ReadonlyMap<string, readonly FileKind[]> {
  const map = new Map<string, readonly FileKind[]>();
  for (const claim of CLAIMS) for (const name of claim[key]) map.set(name, claim.kinds);
  return map;
}

const BY_EXTENSION = indexBy('extensions');
const BY_TYPE = indexBy('types');

function extensionOf(filename: string | null): string | null {
  if (filename === null) return null;
  const last = filename.split(/[/\\]/).pop() ?? '';
  const dot = last.lastIndexOf('.');
  return dot > 0 && dot < last.length - 1 ? last.slice(dot + 1).toLowerCase() : null;
}

/** What a declared type claims, and how a detail names it. */
function typeClaim(type: string): { kinds: readonly FileKind[]; name: string } | null {
  if (NO_CLAIM_TYPES.has(type)) return null;
  const listed = BY_TYPE.get(type);
  if (listed !== undefined) return { kinds: listed, name: type };
  // A type outside the table is sender-controlled text of any content: named by family only.
  const family = FAMILY_KINDS.find((f) => type.startsWith(f.prefix));
  return family === undefined ? null : { kinds: family.kinds, name: `${family.prefix}* type` };
}

/**
 * An English detail when the name's extension or the declared Content-Type contradicts the
 * content, else null. Empty content contradicts nothing. Only extensions and types from the
 * table are quoted, so no sender-chosen text reaches the detail.
 */
export function typeMismatch(sniffed: Sniffed, filename: string | null, declaredType: string | null): string | null {
  if (sniffed.kind === 'empty') return null;
  const found: string[] = [];
  const extension = extensionOf(filename);
  const byName = extension === null ? undefined : BY_EXTENSION.get(extension);
  if (byName !== undefined && !byName.includes(sniffed.kind)) found.push(`name ends .${extension}`);
  const type = (declaredType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const claim = typeClaim(type);
  if (claim !== null && !claim.kinds.includes(sniffed.kind)) found.push(`declared ${claim.name}`);
  return found.length === 0 ? null : `${found.join(' and ')} but content is ${sniffed.kind} (${sniffed.evidence})`;
}
