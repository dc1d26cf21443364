import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../config/load.js';
import { formatListen, parseListen } from '../config/listen.js';

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
