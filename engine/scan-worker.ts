/**
 * The scan worker: a child process of the daemon (forked by engine/scan-pool.ts) that extracts
 * and scans one message at a time and sends back the result.
 *
 * It exists so that a native addon that segfaults, a library that loops, or a file that eats
 * memory takes down this process, not the milter; the pool kills and replaces it. It builds its
 * own detector set from the options the pool sends, once at start and again on each reload
 * (each with a generation number), never per message: a company dictionary may hold 200,000
 * words.
 *
 * It exits as soon as the IPC channel to the daemon closes, so it never outlives the daemon; it
 * leads its own process group (the pool forks it detached) and takes that group with it, so the
 * helpers an extractor started (7z, tesseract) do not outlive it either, and it removes its
 * temporary folder, where 7z writes attachment contents in clear.
 *
 * Extraction gets the message's time budget or the time the pool has left for the message,
 * less a margin for detection and the answer, whichever is shorter: a slow file ends as
 * `limit-exceeded` with what was read so far, instead of the pool killing this process.
 *
 * Test hook: under NODE_ENV=test only, OUTGUARD_TEST_EXTRACTORS names a module whose
 * `testExtractors` replace the registry's extractors for their kinds; this is how the pool tests
 * make a child crash or hang on purpose. Outside tests the variable is ignored.
 */
import { Buffer } from 'node:buffer';
import { rmSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { ExtractorLookup } from '../content/attachments.js';
import type { ExtractLimits } from '../content/index.js';
import { extractorFor } from '../content/formats/index.js';
import type { Extractor, FileKind } from '../content/formats/types.js';
import { createDetection, defaultDetection } from '../detectors/index.js';
import type { Detection } from '../detectors/types.js';
import { errorMessage, SCAN_TMPDIR_ENV, type ChildMessage, type ParentMessage } from './scan-protocol.js';
import { scanMessage } from './scanner.js';

let detection: Detection = defaultDetection;
let generation = 0;
let extractors: ExtractorLookup = extractorFor;
/** Messages being scanned: while one is, helpers may be running in this process group. */
let busy = 0;

/**
 * The share of the time left that is kept for detection and the answer after extraction, at
 * most MAX_ANSWER_MARGIN_MS: 16 MiB of text, the most a message yields, scans in about a second.
 */
const ANSWER_MARGIN_SHARE = 0.25;
const MAX_ANSWER_MARGIN_MS = 3_000;
/** How long helpers get to die of SIGTERM before the group is killed outright. */
const HELPER_EXIT_MS = 100;

function send(message: ChildMessage): void {
  // After the daemon went away a send would raise an 'error' and end this process before it
  // has stopped its helpers and removed its folder.
  if (process.connected) process.send?.(message);
}

function onDetection(message: Extract<ParentMessage, { type: 'detection' }>): void {
  try {
    detection = createDetection(message.options);
    generation = message.generation;
    send({ type: 'detection-ready', generation });
  } catch (err) {
    // The daemon checked these options before sending them; keep the previous set if not.
    send({ type: 'detection-failed', generation: message.generation, error: errorMessage(err) });
  }
}

async function onScan(message: Extract<ParentMessage, { type: 'scan' }>): Promise<void> {
  // The set in force when the message arrived, even if a reload lands while it is read.
  const using = detection;
  const usingGeneration = generation;
  busy += 1;
  try {
    const raw = await rawOf(message);
    const limits = withinTimeLeft(message.limits, message.timeLeftMs);
    const result = await scanMessage(raw, limits, using, extractors);
    const rss = process.memoryUsage.rss();
    send({ type: 'result', id: message.id, generation: usingGeneration, result, rss });
  } catch (err) {
    send({ type: 'failed', id: message.id, error: errorMessage(err), rss: process.memoryUsage.rss() });
  } finally {
    busy -= 1;
  }
}

/** The message, from the IPC message itself or from its file (removed when the pool wrote it). */
async function rawOf(message: Extract<ParentMessage, { type: 'scan' }>): Promise<Buffer> {
  if (message.rawFile === null) {
    const raw = message.raw ?? new Uint8Array(0);
    return Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  }
  const { path, remove } = message.rawFile;
  try {
    return await readFile(path);
  } finally {
    if (remove) await rm(path, { force: true });
  }
}

/** `limits` with the time budget cut to what the pool has left, less the answer's margin. */
function withinTimeLeft(limits: ExtractLimits, timeLeftMs: number): ExtractLimits {
  const margin = Math.min(MAX_ANSWER_MARGIN_MS, timeLeftMs * ANSWER_MARGIN_SHARE);
  const budget = Math.max(0, Math.floor(timeLeftMs - margin));
  return budget < limits.timeBudgetMs ? { ...limits, timeBudgetMs: budget } : limits;
}

/**
 * The daemon closed the channel (it retired this child, or it died). Helpers still running are
 * stopped before their folder is removed: SIGTERM to the group, which this process ignores,
 * then SIGKILL to the whole group, this process included.
 */
function onDisconnect(): void {
  const removeTempDir = () => {
    const dir = process.env[SCAN_TMPDIR_ENV];
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  if (busy === 0) {
    removeTempDir();
    process.exit(0);
  }
  process.on('SIGTERM', () => undefined);
  try {
    process.kill(-process.pid, 'SIGTERM');
  } catch {
    // Not a group leader (not forked by the pool): nothing but this process to stop.
  }
  setTimeout(() => {
    try {
      removeTempDir();
    } finally {
      try {
        process.kill(-process.pid, 'SIGKILL');
      } catch {
        process.exit(0);
      }
    }
  }, HELPER_EXIT_MS);
}

async function testExtractorLookup(): Promise<ExtractorLookup> {
  const module = process.env.OUTGUARD_TEST_EXTRACTORS;
  if (process.env.NODE_ENV !== 'test' || !module) return extractorFor;
  const loaded = (await import(pathToFileURL(module).href)) as { testExtractors?: readonly Extractor[] };
  const replaced = new Map<FileKind, Extractor>();
  for (const extractor of loaded.testExtractors ?? []) {
    for (const kind of extractor.kinds) replaced.set(kind, extractor);
  }
  return (kind) => replaced.get(kind) ?? extractorFor(kind);
}

/*
 * No handler for unhandled rejections or uncaught exceptions: after one the process state is
 * unknown, so it dies, its message (if any) fails closed and the pool starts a fresh child.
 */
async function main(): Promise<void> {
  if (!process.send) {
    process.stderr.write('scan-worker: run by the daemon (engine/scan-pool.ts), not by hand\n');
    process.exit(2);
  }
  // The folder the pool made for this child, for os.tmpdir() here and the helpers' TMPDIR. Set
  // now, not in the fork's environment: tsx (tests, `tsx cli/main.ts`) has placed its transform
  // cache already, so it stays shared between children instead of being rebuilt by each.
  const tempDir = process.env[SCAN_TMPDIR_ENV];
  if (tempDir) process.env.TMPDIR = tempDir;
  extractors = await testExtractorLookup();
  process.on('disconnect', onDisconnect);
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'detection') onDetection(message);
    else if (message.type === 'scan') void onScan(message);
  });
  send({ type: 'ready', pid: process.pid });
}

void main();
