/**
 * A process that owns a scan pool and nothing else, for the tests that kill it with SIGKILL and
 * check that its children do not outlive it. It prints one JSON line, `{"pids":[…]}`, once
 * every child has scanned a message, then waits to be killed.
 *
 * With the argument `busy` its pool loads the misbehaving extractors and, before printing, sets
 * one child scanning a file whose helper process (`sleep`) runs until it is killed.
 */
import { DEFAULT_LIMITS } from '../../content/index.js';
import { defaultDetection } from '../../detectors/index.js';
import { ScanPool } from '../../engine/scan-pool.js';
import { attachmentPart, buildMail } from './mail-builder.js';

const busy = process.argv[2] === 'busy';
if (busy) process.env.NODE_ENV = 'test';
const size = 2;
const pool = new ScanPool({
  size,
  timeoutMs: 60_000,
  ...(busy ? { testExtractorsModule: new URL('pool-test-extractors.ts', import.meta.url).pathname } : {}),
});
const raw = buildMail({ subject: '안내', text: '본문' });
await Promise.all(
  Array.from({ length: size }, () => pool.scan({ raw, limits: DEFAULT_LIMITS, detection: defaultDetection })),
);
if (busy) {
  const pdf = attachmentPart('명단.pdf', Buffer.from('%PDF-1.4\nHELPER'), { contentType: 'application/pdf' });
  const helper = buildMail({ subject: '명단', text: '첨부', attachments: [pdf] });
  void pool.scan({ raw: helper, limits: DEFAULT_LIMITS, detection: defaultDetection }).catch(() => undefined);
}
process.stdout.write(`${JSON.stringify({ pids: pool.pids() })}\n`);
setInterval(() => undefined, 60_000);
