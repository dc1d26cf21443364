/**
 * A fake Postfix command directory: each tool records its arguments in calls.log and prints
 * canned stdout/stderr (optionally after a delay), so a test can script Postfix's answers and
 * prove which tools ran.
 */
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const FAKE_TOOL = `#!/bin/sh
here=$(dirname "$0"); name=$(basename "$0")
echo "$name $*" >> "$here/calls.log"
[ -f "$here/$name.stdout" ] && cat "$here/$name.stdout"
[ -f "$here/$name.stderr" ] && cat "$here/$name.stderr" >&2
[ -f "$here/$name.sleep" ] && sleep "$(cat "$here/$name.sleep")"
exit $(cat "$here/$name.exit" 2>/dev/null || echo 0)
`;

export interface FakeTools {
  dir: string;
  options: { commandDir: string; configDir: string };
  script(tool: string, out: { stdout?: string; stderr?: string; exit?: number; sleepSeconds?: number }): Promise<void>;
  calls(): Promise<string[]>;
}

export async function fakeTools(): Promise<FakeTools> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'outguard-fake-postfix-'));
  for (const tool of ['postqueue', 'postsuper', 'postcat', 'postconf']) {
    await writeFile(path.join(dir, tool), FAKE_TOOL);
    await chmod(path.join(dir, tool), 0o755);
  }
  return {
    dir,
    options: { commandDir: dir, configDir: '/etc/postfix-out' },
    async script(tool, out) {
      await writeFile(path.join(dir, `${tool}.stdout`), out.stdout ?? '');
      await writeFile(path.join(dir, `${tool}.stderr`), out.stderr ?? '');
      await writeFile(path.join(dir, `${tool}.exit`), String(out.exit ?? 0));
      if (out.sleepSeconds) await writeFile(path.join(dir, `${tool}.sleep`), String(out.sleepSeconds));
    },
    async calls() {
      const log = await readFile(path.join(dir, 'calls.log'), 'utf8').catch(() => '');
      return log.split('\n').filter((l) => l !== '');
    },
  };
}

