/**
 * Extractors that misbehave on purpose, loaded into scan-pool children by the pool tests
 * (ScanPoolOptions.testExtractorsModule, honoured only under NODE_ENV=test). They stand in for
 * the PDF extractor: the text after the `%PDF-1.4` line decides what happens.
 *
 *   CRASH  → the process aborts, as a native addon's segfault would end it
 *   EXIT   → the process exits with status 3
 *   HANG   → a synchronous endless loop, which no await can interrupt
 *   SLOW   → 400 ms of waiting, then the text
 *   HELPER → writes a file in a fresh temporary folder and waits on a `sleep 300` helper, as the
 *            7z and OCR extractors write to TMPDIR and wait on theirs
 *   PAGES  → reads "pages" of 100 ms each until the time budget runs out, then reports
 *            `limit-exceeded` and keeps the pages read, as the PDF extractor does
 *   BLOAT  → fills 400 MiB outside the V8 heap (as a PDF bomb's buffers do) and waits
 *   STALE  → the text, but the answer claims detector generation 0
 *   anything else → the text, as page 1
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Extractor, FileProblem, TextPiece } from '../../content/formats/types.js';

const MiB = 1024 * 1024;
/** Kept alive so the memory stays resident until the process is killed. */
const held: Buffer[] = [];

const misbehavingPdf: Extractor = {
  kinds: ['pdf'],
  async extract(bytes, context) {
    const text = bytes.toString('utf8').split('\n').slice(1).join('\n');
    if (text.startsWith('CRASH')) process.abort();
    if (text.startsWith('EXIT')) process.exit(3);
    if (text.startsWith('HANG')) {
      for (;;) {
        // Spins until the pool kills this process.
      }
    }
    if (text.startsWith('SLOW')) await sleep(400);
    if (text.startsWith('HELPER')) {
      const dir = await mkdtemp(path.join(tmpdir(), 'outguard-7z-'));
      await writeFile(path.join(dir, '명단.txt'), text);
      await new Promise((resolve) => execFile('sleep', ['300'], resolve));
    }
    if (text.startsWith('PAGES')) {
      const pieces: TextPiece[] = [];
      const problems: FileProblem[] = [];
      for (let page = 1; page <= 100; page += 1) {
        if (context.budget.timeLeft() <= 0) {
          problems.push({ code: 'limit-exceeded', where: `page=${page}`, detail: 'time budget spent' });
          break;
        }
        await sleep(100);
        pieces.push({ where: `page=${page}`, text: `${page}쪽` });
      }
      return { pieces, children: [], problems };
    }
    if (text.startsWith('BLOAT')) {
      held.push(Buffer.allocUnsafe(400 * MiB).fill(7));
      await sleep(30_000);
    }
    if (text.startsWith('STALE')) {
      const send = process.send!.bind(process);
      process.send = ((message: { type: string }, ...rest: never[]) =>
        send(message.type === 'result' ? { ...message, generation: 0 } : message, ...rest)) as typeof process.send;
    }
    return { pieces: [{ where: 'page=1', text }], children: [], problems: [] };
  },
};

export const testExtractors: readonly Extractor[] = [misbehavingPdf];
