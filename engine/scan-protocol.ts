/**
 * The messages between the daemon's scan pool (engine/scan-pool.ts) and its worker children
 * (engine/scan-worker.ts). They travel over the fork IPC channel with `serialization:
 * 'advanced'` (the V8 structured-clone format), so a small raw mail goes as bytes, not as JSON; a
 * large one goes as a file (see `rawFile`).
 */
import type { Buffer } from 'node:buffer';
import type { ExtractLimits } from '../content/index.js';
import type { DetectionOptions } from '../detectors/types.js';
import type { ScanResult } from './scanner.js';

/** Detection options as they can cross a process boundary: no clock function. */
export type SendableDetectionOptions = Omit<DetectionOptions, 'now'>;

/**
 * A large message as a file: the milter's spool file (the session removes it), or one the pool
 * wrote to the child's own temporary folder for it (the child removes it once read). Over the
 * IPC channel an 11 MB mail was copied three times (serialised, in the pipe, deserialised), in
 * both processes, and took a tenth of a second.
 */
export interface RawFile {
  readonly path: string;
  readonly remove: boolean;
}

export type ParentMessage =
  /** The detector set to use from now on; sent at start and on each reload. */
  | { readonly type: 'detection'; readonly generation: number; readonly options: SendableDetectionOptions }
  | {
      readonly type: 'scan';
      readonly id: number;
      /** The message itself when small; else null and `rawFile` says where it is. */
      readonly raw: Buffer | Uint8Array | null;
      readonly rawFile: RawFile | null;
      readonly limits: ExtractLimits;
      /**
       * Time left before the pool gives up on the message (its queue wait is already spent):
       * extraction must end early enough to answer within it.
       */
      readonly timeLeftMs: number;
    };

export type ChildMessage =
  /** Listening; the pool sends the detector set, then work. */
  | { readonly type: 'ready'; readonly pid: number }
  | { readonly type: 'detection-ready'; readonly generation: number }
  | { readonly type: 'detection-failed'; readonly generation: number; readonly error: string }
  /** `rss`: the child's resident size after the message, for recycling. */
  | {
      readonly type: 'result';
      readonly id: number;
      readonly generation: number;
      readonly result: ScanResult;
      readonly rss: number;
    }
  | { readonly type: 'failed'; readonly id: number; readonly error: string; readonly rss: number };

/**
 * Names a child's own temporary folder, made 0700 by the pool: the child makes it its TMPDIR,
 * and removes it when the daemon goes away without doing so.
 */
export const SCAN_TMPDIR_ENV = 'OUTGUARD_SCAN_TMPDIR';

/** Longest error text sent or logged. */
const MAX_ERROR_CHARS = 200;

/**
 * An error as one short line, long digit runs blanked: an error may quote the text it failed
 * on, and that text may hold a resident or card number.
 */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const line = (text.split('\n')[0] ?? '').replace(/\d(?:[\s.-]?\d){5,}/g, '#');
  return line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS - 1)}…` : line;
}
