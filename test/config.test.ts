import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { detectionFrom, detectionOptionsFrom, parseWordList } from '../config/detection.js';
import { ConfigError, loadConfig } from '../config/load.js';
import { formatListen, parseListen } from '../config/listen.js';
import { PII_TYPES } from '../detectors/types.js';
import { extractionLimits } from '../config/extraction.js';
import { DEFAULT_LIMITS } from '../content/limits.js';
import { POOL_DEFAULTS } from '../engine/scan-pool.js';

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'og-config-'));
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('settings', () => {
  it('should start from the embedded defaults with no file and no environment', () => {
    const { config, file } = loadConfig({});
    assert.equal(file, null);
    assert.equal(config.milter.listen, 'inet:127.0.0.1:10030');
    assert.equal(config.web.listen, '127.0.0.1:10031');
    assert.equal(config.milter.onError, 'tempfail');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.dataDir, path.resolve('./data'));
  });

  it('should layer file then environment, environment winning', () => {
    const file = tempFile('outguard.yaml', 'dataDir: /srv/og\nmilter:\n  listen: inet:127.0.0.1:9999\n  onError: quarantine\n');
    const { config } = loadConfig({
      OUTGUARD_CONFIG: file,
      OUTGUARD_MILTER_LISTEN: 'unix:/run/outguard/milter.sock',
      OUTGUARD_WEB_LISTEN: '0.0.0.0:8443',
      OUTGUARD_POSTFIX_CONFIG_DIR: '/etc/postfix-out',
      DATABASE_URL: 'postgres://og@db.example/og',
    });
    assert.equal(config.dataDir, '/srv/og');
    assert.equal(config.milter.listen, 'unix:/run/outguard/milter.sock');
    assert.equal(config.milter.onError, 'quarantine');
    assert.equal(config.web.listen, '0.0.0.0:8443');
    assert.equal(config.postfix.configDir, '/etc/postfix-out');
    assert.equal(config.databaseUrl, 'postgres://og@db.example/og');
  });

  const refused: Array<[string, Record<string, string>, RegExp]> = [
    ['a bad milter address from the environment', { OUTGUARD_MILTER_LISTEN: 'tcp:10030' }, /^bad setting milter\.listen: .*\(OUTGUARD_MILTER_LISTEN\)$/],
    ['a port out of range', { OUTGUARD_MILTER_LISTEN: 'inet:127.0.0.1:70000' }, /milter\.listen: port out of range/],
    ['a relative unix socket', { OUTGUARD_MILTER_LISTEN: 'unix:milter.sock' }, /must be absolute/],
    ['a non-postgres DATABASE_URL', { DATABASE_URL: 'mysql://root@127.0.0.1/test' }, /^bad setting databaseUrl: must start with postgres:\/\/ \(DATABASE_URL\)$/],
    ['a bad log level', { OUTGUARD_LOG_LEVEL: 'chatty' }, /^bad setting log\.level/],
    ['a missing config file', { OUTGUARD_CONFIG: '/nonexistent/outguard.yaml' }, /^config file not found: \/nonexistent\/outguard\.yaml \(OUTGUARD_CONFIG\)$/],
  ];
  for (const [what, env, message] of refused) {
    it(`should refuse ${what} with one line naming the setting`, () => {
      assert.throws(() => loadConfig(env), (err: Error) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, message);
        assert.ok(!err.message.includes('\n'));
        return true;
      });
    });
  }

  it('should refuse an unknown key in the file', () => {
    const file = tempFile('outguard.yaml', 'milter:\n  listn: inet:127.0.0.1:1\n');
    assert.throws(() => loadConfig({ OUTGUARD_CONFIG: file }), /^ConfigError: unknown setting milter\.listn in /);
  });

  it('should refuse YAML that does not parse, naming the line', () => {
    const file = tempFile('outguard.yaml', 'dataDir: /srv\nmilter: [unclosed\n');
    assert.throws(() => loadConfig({ OUTGUARD_CONFIG: file }), (err: Error) => {
      assert.match(err.message, /outguard\.yaml:\d+: /);
      return true;
    });
  });

  it('should refuse a file that is not a mapping', () => {
    const file = tempFile('outguard.yaml', '- a\n- b\n');
    assert.throws(() => loadConfig({ OUTGUARD_CONFIG: file }), /top level must be a mapping/);
  });
});

describe('listen addresses', () => {
  const cases: Array<[string, string]> = [
    ['inet:127.0.0.1:10030', 'inet:127.0.0.1:10030'],
    ['inet:[::1]:10030', 'inet:[::1]:10030'],
    ['inet:localhost:1', 'inet:localhost:1'],
    ['unix:/run/og.sock', 'unix:/run/og.sock'],
  ];
  for (const [text, formatted] of cases) {
    it(`should parse ${text}`, () => assert.equal(formatListen(parseListen(text)), formatted));
  }
  it('should accept bare HOST:PORT only where allowed', () => {
    assert.deepEqual(parseListen('0.0.0.0:80', { allowBare: true }), { kind: 'inet', host: '0.0.0.0', port: 80 });
    assert.throws(() => parseListen('0.0.0.0:80'), /expected inet:HOST:PORT/);
  });
});

describe('detection settings', () => {
  /** A config file with `yaml` in a fresh folder, plus extra files beside it. */
  function configWith(yaml: string, files: Record<string, string | Buffer> = {}): string {
    const file = tempFile('outguard.yaml', yaml);
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(path.dirname(file), name)), { recursive: true });
      writeFileSync(path.join(path.dirname(file), name), content);
    }
    return file;
  }

  function oneLineConfigError(work: () => unknown, message: RegExp): void {
    assert.throws(work, (err: Error) => {
      assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err.name}: ${err.message}`);
      assert.match(err.message, message);
      assert.ok(!err.message.includes('\n'), 'one line');
      return true;
    });
  }

  it('should default to every personal-data type, medium, no dictionaries or patterns', () => {
    const { config } = loadConfig({});
    assert.equal(config.detection.minConfidence, 'medium');
    assert.deepEqual(config.detection.types, [...PII_TYPES]);
    assert.deepEqual(config.detection.dictionaries, []);
    assert.deepEqual(config.detection.patterns, []);
    const detection = detectionFrom(config, null);
    assert.deepEqual([...detection.types].sort(), [...PII_TYPES].sort());
  });

  it('should fill the defaults of a dictionary and a pattern', () => {
    const file = configWith(
      'detection:\n  minConfidence: high\n  types: [rrn, credit_card]\n' +
        '  dictionaries:\n    - name: confidential\n      words: [대외비, 기밀, Confidential]\n' +
        "  patterns:\n    - name: employee-id\n      regex: 'EMP-[0-9]{6}'\n",
    );
    const { config } = loadConfig({ OUTGUARD_CONFIG: file });
    assert.equal(config.detection.minConfidence, 'high');
    assert.deepEqual(detectionOptionsFrom(config, path.dirname(file)), {
      types: ['rrn', 'credit_card'],
      dictionaries: [{ name: 'confidential', words: ['대외비', '기밀', 'Confidential'], confidence: 'high', mask: 'none' }],
      patterns: [{ name: 'employee-id', regex: 'EMP-[0-9]{6}', ignoreCase: false, confidence: 'medium', mask: 'partial' }],
    });
  });

  it('should load a 5,000-line word file beside the config and find its words', () => {
    const lines = ['# 프로젝트 코드명 (보안팀 관리)', ''];
    for (let i = 0; i < 5000; i += 1) lines.push(i % 2 === 0 ? `한빛${i}호` : `  Aurora-${i}  `);
    const file = configWith(
      'detection:\n  dictionaries:\n    - name: projects\n      file: keywords/projects.txt\n      words: [기밀]\n      mask: full\n',
      { 'keywords/projects.txt': '\uFEFF' + lines.join('\r\n') + '\n' },
    );
    const { config } = loadConfig({ OUTGUARD_CONFIG: file });
    const words = detectionOptionsFrom(config, path.dirname(file)).dictionaries?.[0]?.words ?? [];
    assert.equal(words.length, 5001);
    assert.ok(words.includes('한빛4998호') && words.includes('Aurora-4999') && words.includes('기밀'));
    assert.ok(!words.some((w) => w.startsWith('#') || w !== w.trim() || w === ''));

    const text = '이번 주 한빛4998호 일정은 기밀입니다. AURORA-4999 자료 첨부.';
    const found = detectionFrom(config, file)
      .detect(text)
      .filter((f) => f.type === 'keyword');
    assert.deepEqual(
      found.map((f) => [text.slice(f.start, f.end), f.label, f.masked]),
      [
        ['한빛4998호', 'projects', '*******'],
        ['기밀', 'projects', '**'],
        ['AURORA-4999', 'projects', '***********'],
      ],
    );
  });

  it('should refuse a missing word file, naming the dictionary and the path', () => {
    const file = configWith('detection:\n  dictionaries:\n    - name: projects\n      file: keywords/missing.txt\n');
    const { config } = loadConfig({ OUTGUARD_CONFIG: file });
    const missing = path.join(path.dirname(file), 'keywords', 'missing.txt');
    oneLineConfigError(
      () => detectionFrom(config, file),
      new RegExp(`^bad setting detection: dictionary "projects": ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: file not found$`),
    );
  });

  it('should refuse an unreadable word file', { skip: process.getuid?.() === 0 ? 'root reads every file' : false }, () => {
    const file = configWith('detection:\n  dictionaries:\n    - name: projects\n      file: secret.txt\n', { 'secret.txt': '기밀\n' });
    chmodSync(path.join(path.dirname(file), 'secret.txt'), 0o000);
    const { config } = loadConfig({ OUTGUARD_CONFIG: file });
    oneLineConfigError(() => detectionFrom(config, file), /dictionary "projects": .*secret\.txt: permission denied$/);
  });

  it('should refuse a word file that is not UTF-8 (an EUC-KR export)', () => {
    // 대외비 in EUC-KR: what a spreadsheet on a Korean Windows saves by default.
    const eucKr = Buffer.from([0xb4, 0xeb, 0xbf, 0xdc, 0xba, 0xf1, 0x0a]);
    const file = configWith('detection:\n  dictionaries:\n    - name: confidential\n      file: words.txt\n', { 'words.txt': eucKr });
    const { config } = loadConfig({ OUTGUARD_CONFIG: file });
    oneLineConfigError(() => detectionFrom(config, file), /dictionary "confidential": .*words\.txt: not UTF-8 text/);
  });

  it('should refuse a bad regex at load, naming the pattern', () => {
    const file = configWith("detection:\n  patterns:\n    - name: employee-id\n      regex: 'EMP-(?=[0-9]{6})'\n");
    const { config } = loadConfig({ OUTGUARD_CONFIG: file });
    oneLineConfigError(
      () => detectionFrom(config, file),
      /^bad setting detection: pattern "employee-id": .*look-around and back-references are not supported.* \(in .*outguard\.yaml\)$/,
    );
  });

  it('should refuse a pattern that matches everywhere', () => {
    const file = configWith("detection:\n  patterns:\n    - name: anything\n      regex: '[0-9]*'\n");
    const { config } = loadConfig({ OUTGUARD_CONFIG: file });
    oneLineConfigError(() => detectionFrom(config, file), /pattern "anything": it can match an empty string/);
  });

  const badSettings: Array<[string, string, RegExp]> = [
    ['a dictionary with neither words nor a file', '  dictionaries:\n    - name: empty\n', /^bad setting detection\.dictionaries\.0: needs words, a file, or both/],
    ['an unknown dictionary key', '  dictionaries:\n    - name: x\n      word: [a]\n', /^unknown setting detection\.dictionaries\.0\.word/],
    ['a name with a space', '  patterns:\n    - name: employee id\n      regex: x+\n', /^bad setting detection\.patterns\.0\.name: one word/],
    ['a bad confidence', '  patterns:\n    - name: emp\n      regex: x+\n      confidence: sure\n', /^bad setting detection\.patterns\.0\.confidence/],
    ['a bad mask', '  dictionaries:\n    - name: emp\n      words: [a]\n      mask: half\n', /^bad setting detection\.dictionaries\.0\.mask/],
    ['an unknown type', '  types: [rrn, ssn]\n', /^bad setting detection\.types\.1/],
    ['a bad minConfidence', '  minConfidence: certain\n', /^bad setting detection\.minConfidence/],
  ];
  for (const [what, yaml, message] of badSettings) {
    it(`should refuse ${what}`, () => {
      const file = configWith('detection:\n' + yaml);
      oneLineConfigError(() => loadConfig({ OUTGUARD_CONFIG: file }), message);
    });
  }

  it('should refuse two dictionaries with one name', () => {
    const file = configWith('detection:\n  dictionaries:\n    - name: dup\n      words: [a]\n    - name: dup\n      words: [b]\n');
    const { config } = loadConfig({ OUTGUARD_CONFIG: file });
    oneLineConfigError(() => detectionFrom(config, file), /^bad setting detection: dictionary "dup"/);
  });

  it('should read a word list: trimmed lines, comments and blank lines skipped', () => {
    assert.deepEqual(parseWordList('\uFEFF# 주석\n대외비\r\n\n  기밀  \n   # 들여쓴 주석\nC#\n'), ['대외비', '기밀', 'C#']);
  });
});

describe('extraction settings', () => {
  it('should default to the extractors\' limits and the pool defaults', () => {
    const { config } = loadConfig({});
    assert.deepEqual(extractionLimits(config), DEFAULT_LIMITS);
    assert.equal(config.extraction.pool.size, undefined);
    assert.equal(config.extraction.pool.maxJobRssMb * 1024 * 1024, POOL_DEFAULTS.maxJobRssBytes);
    assert.equal(config.extraction.pool.maxRssMb * 1024 * 1024, POOL_DEFAULTS.maxRssBytes);
  });

  it('should take limits and pool sizes from the file', () => {
    const file = tempFile(
      'outguard.yaml',
      'extraction:\n  maxDepth: 3\n  maxOcrImages: 0\n  pool:\n    size: 4\n    maxJobRssMb: 768\n',
    );
    const { config } = loadConfig({ OUTGUARD_CONFIG: file });
    assert.deepEqual(extractionLimits(config), { ...DEFAULT_LIMITS, maxDepth: 3, maxOcrImages: 0 });
    assert.equal(config.extraction.pool.size, 4);
    assert.equal(config.extraction.pool.maxJobRssMb, 768);
  });

  it('should refuse a per-message memory bound too small to scan anything', () => {
    const file = tempFile('outguard.yaml', 'extraction:\n  pool:\n    maxJobRssMb: 16\n');
    assert.throws(() => loadConfig({ OUTGUARD_CONFIG: file }), /extraction\.pool\.maxJobRssMb/);
  });
});
