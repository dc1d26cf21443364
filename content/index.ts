/**
 * Content extraction: raw mail in, text segments, attachment list and problems out. The engine
 * calls `extractMessage`; the rest is exported for tests and for the extractors of issue 4.
 */
export { PROBLEM_CODES } from './types.js';
export type {
  AttachmentInfo,
  ExtractedMessage,
  Location,
  Problem,
  ProblemCode,
  TextSegment,
} from './types.js';
export {
  DEFAULT_MAX_TEXT_BYTES,
  MAX_HTML_CHARS,
  extractMessage,
} from './extract.js';
export type { ExtractOptions } from './extract.js';
export { createBudget, DEFAULT_LIMITS, resolveLimits } from './limits.js';
export type { Budget, ExtractLimits, FileKind } from './formats/types.js';
export {
  decodeIso2022Kr,
  decodeText,
  resolveCharset,
  sniffCharset,
} from './charset.js';
export type { DecodedText } from './charset.js';
export { htmlToText } from './html.js';
