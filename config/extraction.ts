/**
 * The settings' `extraction` section as the per-message limits the extractors enforce
 * (content/formats/types.ts ExtractLimits). The pool part of the section is read where the
 * daemon starts its pool (cli/start.ts).
 */
import type { ExtractLimits } from '../content/formats/types.js';
import type { Config } from './schema.js';

export function extractionLimits(config: Config): ExtractLimits {
  const e = config.extraction;
  return {
    maxTextBytes: e.maxTextBytes,
    maxDecompressedBytes: e.maxDecompressedBytes,
    maxEntries: e.maxEntries,
    maxDepth: e.maxDepth,
    maxCompressionRatio: e.maxCompressionRatio,
    timeBudgetMs: e.timeBudgetMs,
    maxImagePixels: e.maxImagePixels,
    maxOcrImages: e.maxOcrImages,
  };
}
