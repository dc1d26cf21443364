import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { freePort, REPO_ROOT, runOutguard, startOutguard, type OutguardDaemon } from './support/outguard-process.js';

const RRN = '900101-1234568';
const CARD = '4111 1111 1111 1111';
const work = mkdtempSync(path.join(tmpdir(), 'og-cli-'));

function mailFile(name: string, subject: string, body: string, charset = 'utf-8'): string {
  const encoded = iconv.encode(body, charset).toString('base64');
  const raw = [
    'From: =?UTF-8?B?' + Buffer.from('홍길동').toString('base64') + '?= <hong@corp.example>',
    'To: partner@outside.example',
    `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
    'Message-ID: <cli-test@corp.example>',
    'MIME-Version: 1.0',
    `Content-Type: text/plain; charset=${charset}`,
    'Content-Transfer-Encoding: base64',
    '',
    encoded,
    '',
  ].join('\r\n');
  const file = path.join(work, name);
  writeFileSync(file, raw);
  return file;
}

describe('outguard scan', () => {
  it('should hold a mail carrying a resident number and show it masked only', async () => {
    const file = mailFile('rrn.eml', '급여 자료', `안녕하세요.\n주민등록번호: ${RRN}\n감사합니다.`, 'euc-kr');
    const result = await runOutguard(['scan', '--json', file]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.action, 'hold');
    assert.equal(report.rule, 'personal-data-hold');
    assert.equal(report.findings.length, 1);
    assert.equal(report.findings[0].type, 'rrn');
    assert.equal(report.findings[0].masked, '900101-1******');
    assert.equal(report.findings[0].location, 'body');
    assert.ok(!result.stdout.includes('1234568'), 'the clear number must not be printed');
  });

  it('should mask a card number found in the subject', async () => {
    const file = mailFile('card-subject.eml', `카드번호 ${CARD} 확인`, '본문에는 없습니다.');
    const report = JSON.parse((await runOutguard(['scan', '--json', file])).stdout);
    assert.equal(report.action, 'hold');
    assert.equal(report.subject, '카드번호 4111 11** **** 1111 확인');
    assert.ok(!JSON.stringify(report).includes('4111 1111 1111 1111'));
  });

  it('should accept a clean mail', async () => {
    const file = mailFile('clean.eml', '회의 안내', '내일 10시 회의실 3번에서 뵙겠습니다. 주문번호 20240315-1234567.');
    const result = await runOutguard(['scan', '--json', file]);
    const report = JSON.parse(result.stdout);
    assert.equal(report.action, 'accept');
    assert.equal(report.rule, null);
    assert.deepEqual(report.findings, []);
  });

  it('should print a readable verdict without --json', async () => {
    const file = mailFile('rrn-text.eml', '자료', `주민번호 ${RRN}`);
    const result = await runOutguard(['scan', file]);
    assert.match(result.stdout, /: hold \(rule personal-data-hold: rrn x1\)/);
    assert.match(result.stdout, /rrn\t900101-1\*{6}\t/);
  });

  it('should exit 2 with one line for a missing file', async () => {
    const result = await runOutguard(['scan', path.join(work, 'nope.eml')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^outguard: cannot read .*nope\.eml/);
  });

  it('should give every public hard-case mail a verdict, never a crash', async (t) => {
    const corpus = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
    if (!existsSync(corpus)) {
      t.skip(`corpus not found at ${corpus}`);
      return;
    }
    const mails = readdirSync(corpus).filter((f) => /\.(eml|msg|txt)$/.test(f));
    assert.ok(mails.length >= 10);
    for (const name of mails) {
      const result = await runOutguard(['scan', '--json', path.join(corpus, name)]);
      assert.equal(result.code, 0, `${name}: ${result.stderr}`);
      const report = JSON.parse(result.stdout);
      assert.ok(['accept', 'monitor', 'hold', 'block'].includes(report.action), name);
      assert.ok(['full', 'partial', 'none'].includes(report.inspected), name);
      if (report.inspected === 'none') assert.equal(report.action, 'hold', `${name} could not be inspected, so it must be held`);
      if (report.inspected !== 'full') assert.ok(report.problems.length > 0, `${name}: say what was not read`);
    }
  });
});

describe('outguard detect', () => {
  const text = `고객 ${RRN}, 카드 ${CARD}`;
  it('should report type and JS string offsets, masked by default', async () => {
    const result = await runOutguard(['detect', '--json'], { input: text });
    const findings = JSON.parse(result.stdout);
    assert.deepEqual(
      findings.map((f: { type: string; start: number; end: number; masked: string; value?: string }) => [f.type, f.start, f.end, f.value]),
      [
        ['rrn', 3, 17, undefined],
        ['credit_card', 22, 41, undefined],
      ],
    );
    assert.equal(text.slice(3, 17), RRN);
    assert.ok(!result.stdout.includes('1234568'));
  });

  it('should include the clear value only with --reveal', async () => {
    const findings = JSON.parse((await runOutguard(['detect', '--json', '--reveal'], { input: text })).stdout);
    assert.deepEqual(findings.map((f: { value: string }) => f.value), [RRN, CARD]);
  });

  it('should read one JSON string per line with --jsonl', async () => {
    const input = [JSON.stringify(`주민번호 ${RRN}`), JSON.stringify('없음'), JSON.stringify(`😀 ${RRN}`)].join('\n') + '\n';
    const result = await runOutguard(['detect', '--jsonl'], { input });
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);
    assert.deepEqual(lines[0].map((f: { start: number }) => f.start), [5]);
    assert.deepEqual(lines[1], []);
    // An astral character counts two UTF-16 units.
    assert.deepEqual(lines[2].map((f: { start: number; end: number }) => [f.start, f.end]), [[3, 17]]);
  });

  it('should refuse a --jsonl line that is not a JSON string, exit 2', async () => {
    const result = await runOutguard(['detect', '--jsonl'], { input: '{"a":1}\n' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /line 1: expected a JSON string/);
  });
});

describe('outguard detect with company dictionaries and patterns', () => {
  const dir = mkdtempSync(path.join(work, 'detect-settings-'));
  mkdirSync(path.join(dir, 'keywords'));
  writeFileSync(path.join(dir, 'keywords', 'projects.txt'), '# 프로젝트 코드명\n한빛\nAurora\n');
  const settingsFile = (name: string, extra = '') => {
    const file = path.join(dir, name);
    writeFileSync(
      file,
      'detection:\n' +
        extra +
        '  dictionaries:\n    - name: confidential\n      words: [대외비, 기밀]\n' +
        '    - name: projects\n      file: keywords/projects.txt\n      mask: full\n' +
        "  patterns:\n    - name: employee-id\n      regex: 'EMP-[0-9]{6}'\n",
    );
    return { OUTGUARD_CONFIG: file };
  };
  const env = settingsFile('outguard.yaml');
  // A passport shape with no passport keyword: low confidence (a part number, most likely).
  const text = `대외비 한빛 일정, 담당 EMP-204518, 부품 M12345678, 주민번호 ${RRN}`;

  it('should label keyword and pattern findings and print medium and above by default', async () => {
    const result = await runOutguard(['detect'], { env, input: text });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n'), [
      'keyword:confidential\t0-3\thigh\t대외비',
      'keyword:projects\t4-6\thigh\t**',
      'pattern:employee-id\t14-24\tmedium\tE********8',
      'rrn\t45-59\thigh\t900101-1******',
    ]);
  });

  it('should print low findings with --min-confidence low, each with its confidence and label', async () => {
    const result = await runOutguard(['detect', '--json', '--min-confidence', 'low'], { env, input: text });
    const findings = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(
      findings.map((f) => [f.type, f.label, f.confidence, text.slice(f.start as number, f.end as number) === f.masked]),
      [
        ['keyword', 'confidential', 'high', true],
        ['keyword', 'projects', 'high', false],
        ['pattern', 'employee-id', 'medium', false],
        ['passport', undefined, 'low', false],
        ['rrn', undefined, 'high', false],
      ],
    );
  });

  it('should take the default floor from detection.minConfidence', async () => {
    const result = await runOutguard(['detect', '--jsonl'], {
      env: settingsFile('high-only.yaml', '  minConfidence: high\n'),
      input: JSON.stringify(text) + '\n',
    });
    const [line] = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Array<{ type: string; confidence: string }>);
    assert.deepEqual(line?.map((f) => f.type), ['keyword', 'keyword', 'rrn']);
  });

  it('should refuse an unknown --min-confidence with one line, exit 2', async () => {
    const result = await runOutguard(['detect', '--min-confidence', 'sure'], { input: text });
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, /--min-confidence.*sure.*low, medium, high/);
    assert.equal(result.stdout, '');
  });

  it('should refuse a pattern RE2 cannot run with one line naming it, exit 2', async () => {
    const file = path.join(dir, 'lookahead.yaml');
    writeFileSync(file, "detection:\n  patterns:\n    - name: employee-id\n      regex: 'EMP-(?=[0-9])'\n");
    const result = await runOutguard(['detect'], { env: { OUTGUARD_CONFIG: file }, input: text });
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, /^outguard: bad setting detection: pattern "employee-id": .*look-around/);
  });

  it('should refuse a missing word file with one line naming the dictionary, exit 2', async () => {
    const file = path.join(dir, 'missing-words.yaml');
    writeFileSync(file, 'detection:\n  dictionaries:\n    - name: projects\n      file: keywords/gone.txt\n');
    const result = await runOutguard(['scan', mailFile('m.eml', 'x', 'y')], { env: { OUTGUARD_CONFIG: file } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^outguard: bad setting detection: dictionary "projects": .*gone\.txt: file not found\n$/);
  });

  it('should scan a message with the configured dictionaries and patterns', async () => {
    const policy = path.join(dir, 'watch.yaml');
    writeFileSync(policy, 'version: 1\nrules:\n  - id: watch\n    when: { findings: { labels: [confidential, employee-id] } }\n    action: monitor\n');
    const file = mailFile('keywords.eml', '[대외비] 인사 발령', '발령 대상 EMP-204518 입니다.');
    const result = await runOutguard(['scan', '--json', '--policy', policy, file], { env });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.action, 'monitor');
    assert.deepEqual(report.counts, { 'keyword:confidential': 1, 'pattern:employee-id': 1 });
    assert.deepEqual(
      report.findings.map((f: { type: string; label: string; location: string }) => [f.type, f.label, f.location]),
      [
        ['keyword', 'confidential', 'subject'],
        ['pattern', 'employee-id', 'body'],
      ],
    );
    const human = await runOutguard(['scan', '--policy', policy, file], { env });
    assert.match(human.stdout, /^  pattern:employee-id\tE\*{8}8\tmedium\tbody$/m);
  });
});

describe('outguard settings at the command line', () => {
  it('should exit 2 with one clear line for a bad setting', async () => {
    const result = await runOutguard(['held'], { env: { OUTGUARD_MILTER_LISTEN: 'tcp:1' } });
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, /^outguard: bad setting milter\.listen: .*OUTGUARD_MILTER_LISTEN/);
  });

  it('should exit 2 for an unknown command', async () => {
    const result = await runOutguard(['frobnicate']);
    assert.equal(result.code, 2);
  });

  it('should exit 2 naming the line of a broken policy file', async () => {
    const policy = path.join(work, 'bad-policy.yaml');
    writeFileSync(policy, 'version: 1\nrules:\n  - id: x\n    when: { problems: [nope] }\n    action: hold\n');
    const file = mailFile('p.eml', 'x', 'y');
    const result = await runOutguard(['scan', '--policy', policy, file]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bad-policy\.yaml:4: rule "x", /);
  });
});

describe('outguard start on the embedded default', () => {
  let daemon: OutguardDaemon;
  const dataDir = path.join(work, 'fresh-data-folder');
  const stale = path.join(dataDir, 'spool', 'died-mid-message.eml');
  before(async () => {
    // What a daemon killed mid-message leaves: a mail in clear that Postfix still holds.
    mkdirSync(path.dirname(stale), { recursive: true });
    writeFileSync(stale, 'Subject: x\r\n\r\n900101-1234568\r\n');
    daemon = await startOutguard({ OUTGUARD_DATA_DIR: dataDir });
  });
  after(() => daemon?.stop());

  it('should create its data folder with the SQLite store and answer health checks', async () => {
    assert.ok(existsSync(path.join(dataDir, 'outguard.sqlite')));
    const res = await fetch(`http://127.0.0.1:${daemon.webPort}/healthz`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; store: string; milter: string };
    assert.equal(body.status, 'ok');
    assert.equal(body.store, 'sqlite');
    assert.equal(body.milter, `inet:127.0.0.1:${daemon.milterPort}`);
  });

  it('should serve the status page in Korean first', async () => {
    const res = await fetch(`http://127.0.0.1:${daemon.webPort}/`);
    const html = await res.text();
    assert.match(html, /보류 중/);
    const en = await (await fetch(`http://127.0.0.1:${daemon.webPort}/`, { headers: { 'accept-language': 'en' } })).text();
    assert.match(en, /Held/);
  });

  it('should empty its spool folder at start and keep it private', () => {
    assert.equal(existsSync(stale), false);
    assert.equal(statSync(path.dirname(stale)).mode & 0o777, 0o700);
  });

  it('should log JSON lines', () => {
    const started = daemon.logLines().find((l) => l.message === 'outguard started');
    assert.equal(started?.store, 'sqlite');
    assert.equal(started?.level, 'info');
  });
});

describe('policy reload on SIGHUP', () => {
  it('should take a good policy file and refuse a bad one, keeping the previous policy', async () => {
    const policy = path.join(work, 'reload-policy.yaml');
    writeFileSync(policy, 'version: 1\ndefault_action: accept\n');
    const daemon = await startOutguard({ OUTGUARD_DATA_DIR: path.join(work, 'reload-data'), OUTGUARD_POLICY: policy });
    const waitFor = async (message: string, count: number) => {
      for (let i = 0; i < 200 && daemon.logLines().filter((l) => l.message === message).length < count; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      return daemon.logLines().filter((l) => l.message === message);
    };
    try {
      writeFileSync(policy, 'version: 1\nrules:\n  - id: all\n    when: { findings: { min: 1 } }\n    action: hold\n');
      daemon.signal('SIGHUP');
      assert.deepEqual((await waitFor('policy reloaded', 1)).map((l) => l.rules), [1]);
      writeFileSync(policy, 'version: 1\nrules:\n  - id: all\n    actoin: hold\n');
      daemon.signal('SIGHUP');
      const refused = await waitFor('policy reload refused, keeping the previous policy', 1);
      assert.equal(refused.length, 1);
      assert.equal(refused[0]?.level, 'warn');
    } finally {
      await daemon.stop();
    }
  });
});

describe('detection reload on SIGHUP', () => {
  it('should take new dictionaries and patterns and refuse a bad one, keeping the previous set', async () => {
    const dir = mkdtempSync(path.join(work, 'reload-detection-'));
    const config = path.join(dir, 'outguard.yaml');
    writeFileSync(config, 'detection:\n  dictionaries:\n    - name: confidential\n      words: [대외비]\n');
    const policy = path.join(dir, 'policy.yaml');
    writeFileSync(policy, 'version: 1\nrules:\n  - id: ids\n    when: { findings: { labels: [confidential, employee-id] } }\n    action: monitor\n');
    const daemon = await startOutguard({
      OUTGUARD_DATA_DIR: path.join(dir, 'data'),
      OUTGUARD_CONFIG: config,
      OUTGUARD_POLICY: policy,
    });
    const unknownLabels = () => daemon.logLines().filter((l) => l.message === 'policy labels name no configured dictionary or pattern');
    const waitFor = async (message: string) => {
      for (let i = 0; i < 200 && !daemon.logLines().some((l) => l.message === message); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      return daemon.logLines().filter((l) => l.message === message);
    };
    try {
      const started = daemon.logLines().find((l) => l.message === 'outguard started');
      assert.deepEqual([started?.dictionaries, started?.patterns], [['confidential'], []]);
      assert.deepEqual(unknownLabels().map((l) => [l.level, l.labels]), [['warn', ['employee-id']]]);
      writeFileSync(
        config,
        'detection:\n  dictionaries:\n    - name: confidential\n      words: [대외비]\n' +
          "  patterns:\n    - name: employee-id\n      regex: 'EMP-[0-9]{6}'\n",
      );
      daemon.signal('SIGHUP');
      const reloaded = await waitFor('detection reloaded');
      assert.deepEqual([reloaded[0]?.dictionaries, reloaded[0]?.patterns], [['confidential'], ['employee-id']]);
      assert.equal(unknownLabels().length, 1, 'every label is defined now');

      writeFileSync(config, "detection:\n  patterns:\n    - name: employee-id\n      regex: 'EMP-(?=[0-9])'\n");
      daemon.signal('SIGHUP');
      const refused = await waitFor('detection reload refused, keeping the previous detection');
      assert.equal(refused.length, 1);
      assert.equal(refused[0]?.level, 'warn');
      assert.match(String(refused[0]?.err), /pattern "employee-id".*look-around/);
      const res = await fetch(`http://127.0.0.1:${daemon.webPort}/healthz`);
      assert.equal(res.status, 200, 'still serving after the refused reload');
    } finally {
      await daemon.stop();
    }
  });
});

describe('outguard start when it cannot listen', () => {
  it('should exit 1 with one line and leave nothing running when the web port is taken', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as { port: number };
    try {
      const result = await runOutguard(['start'], {
        env: {
          OUTGUARD_DATA_DIR: path.join(work, 'busy-data'),
          OUTGUARD_MILTER_LISTEN: `inet:127.0.0.1:${await freePort()}`,
          OUTGUARD_WEB_LISTEN: `127.0.0.1:${port}`,
        },
        timeoutMs: 30_000,
      });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^outguard: cannot listen: .*EADDRINUSE/);
    } finally {
      taken.close();
    }
  });
});

describe('commands that act on the daemon records', () => {
  it('should refuse to invent an empty store in a folder that has none', async () => {
    const result = await runOutguard(['held'], { env: { OUTGUARD_DATA_DIR: path.join(work, 'no-store-here') } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^outguard: no Outguard store in .*no-store-here: set OUTGUARD_DATA_DIR/);
    assert.equal(existsSync(path.join(work, 'no-store-here')), false);
  });

  it('should have doctor exit 1 when Postfix cannot be read', async () => {
    const result = await runOutguard(['doctor'], { env: { OUTGUARD_POSTFIX_CONFIG_DIR: path.join(work, 'no-postfix') } });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^FAIL  postfix: /m);
  });
});

describe('the compiled binary', () => {
  it('should run from dist/ as package.json bin says', (t) => {
    const bin = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
    if (!existsSync(bin)) {
      t.skip('dist/ not built; `npm test` builds it first');
      return;
    }
    const result = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), '0.1.0');
  });
});
