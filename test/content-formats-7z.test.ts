/**
 * 7z extractor hard cases from an adversarial review: an entry path holding " : " (7z's own
 * separator in its error lines) and two entries at one path. Archives are built with Debian's
 * 7z and then damaged or renamed; the tests skip visibly when 7z is absent.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBudget, resolveLimits } from '../content/limits.js';
import { sevenZipExtractor } from '../content/formats/seven-zip.js';
import type { ExtractContext } from '../content/formats/types.js';

const RRN = '900101-1234568';

function context(): ExtractContext {
  return { budget: createBudget(resolveLimits({})), depth: 0, name: '자료.7z' };
}

function has7z(): boolean {
  try {
    execFileSync('which', ['7z'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes `files` into a temporary folder, runs `commands` there, returns out.7z. */
function build7z(files: Record<string, string>, commands: readonly (readonly string[])[]): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'outguard-7z-test-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    for (const args of commands) execFileSync('7z', args, { cwd: dir, stdio: 'ignore' });
    return readFileSync(join(dir, 'out.7z'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('7z error lines and duplicate paths', () => {
  it('files a failed entry whose path holds " : " under its whole path', async (t) => {
    if (!has7z()) return t.skip('7z not installed');
    const tricky = '홍길동 : 명단.txt';
    const bytes = build7z(
      { [tricky]: `주민등록번호: ${RRN}\n`.repeat(50), '명단.txt': '안녕하세요\n' },
      [['a', '-mx0', 'out.7z', tricky, '명단.txt']],
    );
    // Stored, so the text is in the archive as is: one flipped byte fails that entry's CRC.
    const at = bytes.indexOf(Buffer.from(RRN));
    assert.ok(at > 0);
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    const result = await sevenZipExtractor.extract(bytes, context());
    assert.deepEqual(
      result.children.map((c) => [c.path, c.bytes.toString('utf8')]),
      [['명단.txt', '안녕하세요\n']],
    );
    assert.deepEqual(
      result.problems.map((p) => [p.code, p.path]),
      [['unreadable', tricky]],
    );
  });

  it('reads no entry of two that share a path, and says so', async (t) => {
    if (!has7z()) return t.skip('7z not installed');
    const bytes = build7z({ 'a.txt': `주민등록번호: ${RRN}\n`, 'b.txt': '회의 자료\n', 'c.txt': '참석자 명단\n' }, [
      ['a', 'out.7z', 'a.txt', 'b.txt', 'c.txt'],
      ['rn', 'out.7z', 'b.txt', 'a.txt'],
    ]);
    const result = await sevenZipExtractor.extract(bytes, context());
    assert.deepEqual(
      result.children.map((c) => [c.path, c.bytes.toString('utf8')]),
      [['c.txt', '참석자 명단\n']],
    );
    assert.deepEqual(result.problems, [
      { code: 'unsupported-format', where: '', path: 'a.txt', detail: '2 archive entries share this path; none is read' },
    ]);
  });
});
