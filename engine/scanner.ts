/**
 * The expensive half of an inspection, extraction and detection, behind one interface so it can
 * run in this process (`outguard scan`, tests) or in the daemon's worker pool
 * (engine/scan-pool.ts), where a slow, hanging or crashing extractor cannot stall or kill the
 * milter. The cheap half (policy, masking, fail-closed floor) stays in engine/inspect.ts.
 *
 * Both paths call `scanMessage`, so a message gets the same findings wherever it is scanned.
 */
import type { Buffer } from 'node:buffer';
import type { ExtractedMessage, ExtractLimits, Location } from '../content/index.js';
import type { ExtractorLookup } from '../content/attachments.js';
import type { Detection, Finding } from '../detectors/types.js';
import { loadRaw, type RawMessage } from '../milter/spool.js';
import { FINDINGS_KEPT_PER_KIND } from '../policies/types.js';

export interface ScanRequest {
  /** The message, in memory or spooled (a pool's child reads the spool file itself). */
  readonly raw: RawMessage;
  readonly limits: ExtractLimits;
  /**
   * The detector set, for a scanner in this process. A pool ignores it: its children build their
   * own from the options the pool was given (ScanPool.setDetection).
   */
  readonly detection: Detection;
  /** Names the message in log lines (the Postfix queue id). */
  readonly label?: string;
}

/**
 * Extraction output as the rest of the engine sees it: where each segment came from, not its
 * text. The findings carry what the policy and the record need (masked values), so the text
 * stays in the process that read it: sent back from a pool child, a text-heavy 10 MB mail's
 * segments were tens of megabytes copied and held by the daemon for nothing.
 */
export type ScannedMessage = Omit<ExtractedMessage, 'segments'> & {
  readonly segments: ReadonlyArray<{ readonly location: Location }>;
};

/** A name the sender chose, or a location built from such names, and the findings in it. */
export type NameFindings = readonly [text: string, findings: readonly Finding[]];

export interface ScanResult {
  /** Its subject, file names and locations may hold clear values: never store it. */
  readonly extracted: ScannedMessage;
  /** Findings in each of `extracted.segments`, in the same order. */
  readonly segmentFindings: ReadonlyArray<readonly Finding[]>;
  /**
   * Findings in file names and in the location strings of segments, problems and attachments
   * (`#sheet=…`, inner entry paths): each distinct string with any finding, once, file names
   * first in attachment order.
   */
  readonly nameFindings: readonly NameFindings[];
}

export interface Scanner {
  /** Rejects when the message could not be scanned at all; the caller fails closed. */
  scan(request: ScanRequest): Promise<ScanResult>;
}

/**
 * The extractors are loaded on first use: the daemon hands every message to its pool and never
 * extracts itself, and loading them (mailparser, iconv tables, the format readers) cost it
 * about 45 MB resident for nothing.
 */
let content: Promise<typeof import('../content/index.js')> | null = null;
const loadContent = () => (content ??= import('../content/index.js'));

/**
 * Extracts `raw` under `limits` and runs `detection` over every segment, file name and location.
 */
export async function scanMessage(
  raw: Buffer,
  limits: ExtractLimits,
  detection: Detection,
  extractors?: ExtractorLookup,
): Promise<ScanResult> {
  const { extractMessage } = await loadContent();
  const extracted = await extractMessage(raw, { limits, ...(extractors ? { extractors } : {}) });
  const kept = new Map<string, number>();
  const segmentFindings = extracted.segments.map((segment) => capFindings(detection.detect(segment.text), kept));
  const segments = extracted.segments.map((segment) => ({ location: segment.location }));
  return { extracted: { ...extracted, segments }, segmentFindings, nameFindings: scanNames(extracted, detection) };
}

/**
 * Findings kept per type, label and confidence in one message (policies/types.ts
 * FINDINGS_KEPT_PER_KIND). A zip of 8 MiB of resident numbers gave 559,241 findings (74 MB to
 * copy from a worker, and into the record); a policy needs to know which types are present and
 * whether a count reaches its `min`, which policies/load.ts keeps at or under the cap. Every kind
 * present keeps its first thousand, so no type, label or confidence a rule looks at can vanish.
 */
function capFindings(found: Finding[], kept: Map<string, number>): Finding[] {
  return found.filter((f) => {
    const kind = `${f.type}\u0000${f.label ?? ''}\u0000${f.confidence}`;
    const count = kept.get(kind) ?? 0;
    kept.set(kind, count + 1);
    return count < FINDINGS_KEPT_PER_KIND;
  });
}

/**
 * File names, sheet names and archive entry paths are text the sender chose
 * (`900101-1234568.pdf`, `#sheet=주민 900101-1234568`, `a.zip/900101-1234568.txt`), and they reach
 * locations and the record: scanned like any other text, each distinct string once.
 */
function scanNames(extracted: ExtractedMessage, detection: Detection): NameFindings[] {
  const names = new Set<string>();
  for (const a of extracted.attachments) if (a.filename) names.add(a.filename);
  for (const place of [...extracted.segments, ...extracted.problems]) names.add(place.location);
  const out: NameFindings[] = [];
  for (const name of names) {
    const found = detection.detect(name);
    if (found.length > 0) out.push([name, found]);
  }
  return out;
}

/** Scans in this process: no isolation, no start-up cost. */
export const inProcessScanner: Scanner = {
  scan: async (request) => scanMessage(await loadRaw(request.raw), request.limits, request.detection),
};
