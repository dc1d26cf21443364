/**
 * scripts/install-system-deps.sh: idempotent when everything is present, and without root it
 * explains exactly what to run instead of failing obscurely.
 *
 * Missing packages are simulated by adding made-up entries to a copy of the script's DEPS list;
 * the non-root runs use setpriv to drop to `nobody`, so nothing is ever installed by these tests.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { postfixSkipReason } from './support/postfix.js';

const SCRIPT = path.join(import.meta.dirname, '..', 'scripts', 'install-system-deps.sh');
const NOBODY = ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

interface Run {
  code: number;
  stderr: string;
}

function run(argv: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const [file, ...args] = argv as [string, ...string[]];
    execFile(file, args, { encoding: 'utf8', cwd: os.tmpdir() }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr });
    });
  });
}

const asRoot = process.getuid?.() === 0;

describe('install-system-deps.sh', () => {
  let dir: string;

  /** A copy of the script with extra DEPS lines, readable by nobody. */
  async function withDeps(...lines: string[]): Promise<string> {
    const original = await readFile(SCRIPT, 'utf8');
    const marker = 'DEPS=(\n';
    assert.ok(original.includes(marker), 'DEPS list not found in the script');
    const patched = original.replace(marker, marker + lines.map((l) => `  "${l}"\n`).join(''));
    const file = path.join(dir, `deps-${lines.length}-${Date.now()}.sh`);
    await writeFile(file, patched);
    await chmod(file, 0o755);
    return file;
  }

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'outguard-deps-'));
    await chmod(dir, 0o755);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const installed = { skip: postfixSkipReason() ?? false };
  it('should exit 0 and install nothing when every package is present', installed, async () => {
    const result = await run(['/bin/bash', SCRIPT, '--test']);
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /installing/);
  });

  it('should refuse an unknown option with exit status 2', async () => {
    const result = await run(['/bin/bash', SCRIPT, '--bogus']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /usage/);
  });

  describe('when not root', { skip: asRoot ? false : 'needs root to switch to nobody' }, () => {
    it('should print the exact apt-get line and fail for a missing required package', async () => {
      const script = await withDeps('outguard-test-missing /nonexistent/outguard run required');
      const result = await run([...NOBODY, '/bin/bash', script]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(
        result.stderr,
        /DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends outguard-test-missing/,
      );
      assert.match(result.stderr, /required package\(s\) missing: outguard-test-missing/);
    });

    it('should include the debconf answer when Postfix itself is missing', async () => {
      const original = await readFile(SCRIPT, 'utf8');
      const patched = original.replace(/"postfix\s+\/usr\/sbin\/postfix/, '"postfix /nonexistent');
      const script = path.join(dir, 'no-postfix.sh');
      await writeFile(script, patched);
      const result = await run([...NOBODY, '/bin/bash', script]);
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        /echo 'postfix postfix\/main_mailer_type select No configuration' \| debconf-set-selections/,
      );
    });

    it('should only warn about a missing optional package', async () => {
      const script = await withDeps('outguard-test-optional /nonexistent/optional test optional');
      const result = await run([...NOBODY, '/bin/bash', script, '--test']);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /optional package\(s\) missing: outguard-test-optional/);
    });

    it('should ignore test-only packages without --test', async () => {
      const script = await withDeps('outguard-test-only /nonexistent/test-only test required');
      const result = await run([...NOBODY, '/bin/bash', script]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
    });
  });
});
