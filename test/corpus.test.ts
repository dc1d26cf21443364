/**
 * The public hard-case corpus (../shared/corpus, see its README and INDEX.tsv): every file goes
 * through `extractMessage` without throwing and yields either text or a stated problem, never a
 * silent nothing. Mails (.eml, .msg, .txt) go in as they are; any other file (documents,
 * archives, uuencoded zips) is wrapped as the attachment of a built mail.
 *
 * The corpus lives outside the repository and is never copied into it; without it the suite is
 * skipped, visibly. The per-file timeout is a hang guard set far above the normal cost (every
 * file takes well under a second), not a speed assertion.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractMessage } from '../content/index.js';
import type { ExtractedMessage } from '../content/index.js';
import { mailWithFile } from './support/mail-builder.js';


/**
 * Corpus files with no text in them: pyhwp's table.hwp is one empty 3×2 table (@ohah/hwpjs
 * reads it the same way: a table of blank cells).
 */
const EMPTY_DOCUMENTS = new Set(['mete0r__pyhwp__tests__hwp5_tests__fixtures__table.hwp']);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = path.resolve(REPO, '..', 'shared', 'corpus');
const NOT_SAMPLES = new Set(['INDEX.tsv', 'README.md']);
const MAIL_FILE = /\.(?:eml|msg|txt)$/i;
const HANG_GUARD_MS = 60_000;

/** Specific outcomes for some corpus cases, beyond "decided". */
const EXPECTED: Record<string, (message: ExtractedMessage) => void> = {
  // EUC-KR body in base64, Q-encoded EUC-KR subject (Apple Mail).
  'mikel__mail__spec__fixtures__emails__plain_emails__raw_email.eml': (message) => {
    assert.match(message.subject, /한국말로 하는 것/);
    assert.match(message.segments.find((s) => s.location === 'body')?.text ?? '', /하나님을/);
  },
  'stalwartlabs__mail-parser__resources__eml__legacy__001.eml': (message) => {
    assert.match(message.segments.find((s) => s.location === 'body')?.text ?? '', /Frösche/);
  },
  'jstedfast__MimeKit__UnitTests__TestData__messages__japanese.txt': (message) => {
    assert.match(message.segments.find((s) => s.location === 'body')?.text ?? '', /日本語/);
  },
  // An unknown transfer encoding must not hide the content silently.
  'apache__james-mime4j__core__src__test__resources__mimetools-testmsgs__x-gzip64.msg': (m) => {
    assert.ok(m.problems.some((p) => p.code === 'unreadable'));
  },
  'rspamd__rspamd__test__functional__messages__pdf_encrypted.eml': (message) => {
    assert.ok(message.problems.some((p) => p.code === 'encrypted'));
    assert.ok(message.attachments.some((a) => a.contentType === 'application/pdf' && !a.inspected));
  },
};

function samples(): string[] {
  return readdirSync(CORPUS)
    .filter((name) => !NOT_SAMPLES.has(name))
    .sort();
}

const present = existsSync(CORPUS);

describe('public corpus', { skip: present ? false : `corpus folder absent: ${CORPUS}` }, () => {
  for (const name of present ? samples() : []) {
    it(`should decide ${name}`, { timeout: HANG_GUARD_MS }, async () => {
      const bytes = readFileSync(path.join(CORPUS, name));
      if (MAIL_FILE.test(name)) {
        const message = await extractMessage(bytes);
        assert.ok(message.segments.length > 0 || message.problems.length > 0, 'nothing decided');
        EXPECTED[name]?.(message);
        return;
      }
      // A wrapped file: the wrapper's own text proves nothing, the attachment must be decided.
      const message = await extractMessage(mailWithFile(name, bytes));
      const listed = message.attachments.find((a) => a.filename === name);
      assert.ok(listed, 'attachment not listed');
      // Text and problems sit at the file, a place in it (`#page=2`) or a file inside it (`/a.txt`).
      const location = `attachment:${name}`;
      const atFile = (at: string) => at === location || at.startsWith(`${location}#`) || at.startsWith(`${location}/`);
      // A document that holds no text at all is decided by being read through without a
      // problem; only files known to be empty may pass that way, so a silent empty extraction
      // of anything else still fails here.
      const decided =
        message.segments.some((s) => atFile(s.location)) ||
        message.problems.some((p) => atFile(p.location)) ||
        (EMPTY_DOCUMENTS.has(name) && listed.inspected);
      assert.ok(decided, 'attachment neither inspected nor reported');
    });
  }
});
