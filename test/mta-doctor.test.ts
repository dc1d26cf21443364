/**
 * `checkPostfix` against throwaway Postfix config directories (postconf only; no Postfix runs),
 * the Postfix time-value parser, and the shipped postfix-examples/.
 *
 * Every fix line the doctor prints is run through /bin/sh here and the check re-run: a fix
 * that does not flip its check to ok fails the test.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { checkPostfix, worstStatus, type DoctorCheck } from '../mta/doctor.js';
import { milterAddressMatches, parseMilterList } from '../mta/milter-list.js';
import { formatPostfixTime, parsePostfixTime, type TimeUnit } from '../mta/postfix-time.js';
import { postconf, runTool } from '../mta/postfix-tools.js';
import { postfixSkipReason } from './support/postfix.js';

const run = promisify(execFile);
const skip = postfixSkipReason() ?? false;
const MASTER_CF_DIST = '/usr/share/postfix/master.cf.dist';
const EXAMPLES = path.join(import.meta.dirname, '..', 'postfix-examples');

const GOOD_MAIN_CF: Record<string, string> = {
  compatibility_level: '3.6',
  enable_long_queue_ids: 'yes',
  smtpd_milters: 'inet:127.0.0.1:10030',
  non_smtpd_milters: 'inet:127.0.0.1:10030',
  milter_default_action: 'quarantine',
  milter_protocol: '6',
  milter_end_of_data_macros: 'i {auth_authen} {client_addr} {client_name} {daemon_name}',
  maximal_queue_lifetime: '7d',
  bounce_queue_lifetime: '7d',
  milter_content_timeout: '300s',
};

const ALL_IDS = [
  'postfix',
  'enable_long_queue_ids',
  'smtpd_milters',
  'non_smtpd_milters',
  'milter_default_action',
  'milter_protocol',
  'milter_end_of_data_macros',
  'milter_mail_macros',
  'maximal_queue_lifetime',
  'bounce_queue_lifetime',
  'flush',
  'milter_content_timeout',
];

let scratch: string;

/**
 * Postfix re-reads a main.cf changed within the last second or two until it is stable, pausing
 * 300 ms each time (about 2 s per postconf run); dating the file back skips that wait.
 */
async function settle(dir: string): Promise<void> {
  const minuteAgo = new Date(Date.now() - 60_000);
  await utimes(path.join(dir, 'main.cf'), minuteAgo, minuteAgo);
  await utimes(path.join(dir, 'master.cf'), minuteAgo, minuteAgo);
}
let serial = 0;

/** A config dir with main.cf = GOOD_MAIN_CF + overrides, and Debian's master.cf. */
async function configDir(
  overrides: Record<string, string> = {},
  withFlush = true,
): Promise<string> {
  serial += 1;
  const dir = path.join(scratch, `conf-${serial}`);
  await mkdir(dir);
  const params = { ...GOOD_MAIN_CF, ...overrides };
  const mainCf = Object.entries(params).map(([k, v]) => `${k} = ${v}`).join('\n');
  await writeFile(path.join(dir, 'main.cf'), `${mainCf}\n`);
  const master = await readFile(MASTER_CF_DIST, 'utf8');
  const withoutFlush = master.split('\n').filter((l) => !l.startsWith('flush'));
  const kept = withFlush ? master : withoutFlush.join('\n');
  await writeFile(path.join(dir, 'master.cf'), kept);
  await settle(dir);
  return dir;
}

function byId(checks: readonly DoctorCheck[], id: string): DoctorCheck {
  const check = checks.find((c) => c.id === id);
  assert.ok(check, `no check ${id}`);
  return check;
}

function input(dir: string, extra: { milterListen?: string; approvalExpiryHours?: number } = {}) {
  return {
    configDir: dir,
    milterListen: extra.milterListen ?? 'inet:127.0.0.1:10030',
    approvalExpiryHours: extra.approvalExpiryHours ?? 72,
  };
}

describe('checkPostfix', { skip }, () => {
  before(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'outguard-doctor-'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  describe('when every setting is right', () => {
    it('should report ok for every check', async () => {
      const report = await checkPostfix(input(await configDir()));
      assert.deepEqual(report.checks.map((c) => c.id), ALL_IDS);
      for (const check of report.checks) {
        assert.equal(check.status, 'ok', `${check.id}: ${check.message}`);
        assert.equal(check.fix, undefined);
      }
      assert.equal(worstStatus(report), 'ok');
    });

    const equivalents: Array<{ title: string; cf: Record<string, string>; listen?: string }> = [
      { title: 'localhost for 127.0.0.1', cf: { smtpd_milters: 'inet:localhost:10030' } },
      {
        title: 'a per-milter group with default_action=quarantine',
        cf: {
          smtpd_milters: '{ inet:127.0.0.1:10030, default_action=quarantine, content_timeout=60s }',
          milter_default_action: 'tempfail',
          non_smtpd_milters: '{ inet:127.0.0.1:10030, default_action=quarantine }',
        },
      },
      {
        title: 'our milter listed after another one',
        cf: { smtpd_milters: 'inet:127.0.0.1:8891, inet:127.0.0.1:10030' },
      },
      {
        title: 'a unix socket, also as local:',
        cf: {
          smtpd_milters: 'unix:/run/outguard/milter.sock',
          non_smtpd_milters: 'local:/run/outguard/milter.sock',
        },
        listen: 'unix:/run/outguard/milter.sock',
      },
      {
        title: 'a wildcard listener reached over loopback',
        cf: {},
        listen: 'inet:0.0.0.0:10030',
      },
      {
        title: 'time values in other units',
        cf: {
          maximal_queue_lifetime: '1w',
          bounce_queue_lifetime: '168h',
          milter_content_timeout: '5m',
        },
      },
    ];
    for (const { title, cf, listen } of equivalents) {
      it(`should accept ${title}`, async () => {
        const dir = await configDir(cf);
        const report = await checkPostfix(input(dir, listen ? { milterListen: listen } : {}));
        const notOk = report.checks.filter((c) => c.status !== 'ok');
        assert.deepEqual(notOk, []);
      });
    }
  });

  describe('when a setting is wrong', () => {
    const cases: Array<{
      id: string;
      title: string;
      cf?: Record<string, string>;
      noFlush?: boolean;
      status: 'warn' | 'fail';
      fix: RegExp;
      message: RegExp;
    }> = [
      {
        id: 'enable_long_queue_ids',
        title: 'short queue ids',
        cf: { enable_long_queue_ids: 'no' },
        status: 'warn',
        fix: /-e 'enable_long_queue_ids = yes'$/,
        message: /reused/,
      },
      {
        id: 'smtpd_milters',
        title: 'another milter only',
        cf: { smtpd_milters: 'inet:127.0.0.1:8891' },
        status: 'fail',
        fix: /-e 'smtpd_milters = inet:127.0.0.1:8891, inet:127.0.0.1:10030'$/,
        message: /without a DLP scan/,
      },
      {
        id: 'non_smtpd_milters',
        title: 'no milter for sendmail(1)',
        cf: { non_smtpd_milters: '' },
        status: 'fail',
        fix: /-e 'non_smtpd_milters = inet:127.0.0.1:10030'$/,
        message: /sendmail/,
      },
      {
        id: 'milter_default_action',
        title: 'accept (fail-open)',
        cf: { milter_default_action: 'accept' },
        status: 'fail',
        fix: /-e 'milter_default_action = quarantine'$/,
        message: /fail-open/,
      },
      {
        id: 'milter_default_action',
        title: 'tempfail',
        cf: { milter_default_action: 'tempfail' },
        status: 'warn',
        fix: /-e 'milter_default_action = quarantine'$/,
        message: /retry/,
      },
      {
        id: 'milter_default_action',
        title: 'a per-milter accept overriding quarantine',
        cf: { smtpd_milters: '{ inet:127.0.0.1:10030, default_action=accept }' },
        status: 'fail',
        fix: /-e 'smtpd_milters = \{ inet:127.0.0.1:10030, default_action=quarantine \}'$/,
        message: /smtpd_milters sets default_action=accept/,
      },
      {
        id: 'milter_protocol',
        title: 'protocol 4',
        cf: { milter_protocol: '4' },
        status: 'warn',
        fix: /-e 'milter_protocol = 6'$/,
        message: /version 6/,
      },
      {
        id: 'milter_end_of_data_macros',
        title: 'no i at end of data',
        cf: { milter_end_of_data_macros: '{client_addr}' },
        status: 'warn',
        fix: new RegExp(
          "-e 'milter_end_of_data_macros = " +
            "\\{client_addr\\} i \\{auth_authen\\} \\{client_name\\} \\{daemon_name\\}'$",
        ),
        message: /queue id/,
      },
      {
        id: 'milter_mail_macros',
        title: 'no i at MAIL',
        cf: { milter_mail_macros: '{auth_authen}' },
        status: 'warn',
        fix: /-e 'milter_mail_macros = \{auth_authen\} i'$/,
        message: /queue id/,
      },
      {
        id: 'maximal_queue_lifetime',
        title: "Postfix's 5d default against a 72 h expiry",
        cf: { maximal_queue_lifetime: '5d' },
        status: 'warn',
        fix: /-e 'maximal_queue_lifetime = 6d'$/,
        message: /bounces on the first temporary delivery failure/,
      },
      {
        id: 'maximal_queue_lifetime',
        title: 'an invalid time value',
        cf: { maximal_queue_lifetime: '5x' },
        status: 'fail',
        fix: /-e 'maximal_queue_lifetime = 6d'$/,
        message: /not a valid time value/,
      },
      {
        id: 'bounce_queue_lifetime',
        title: 'a bare number (days) that is too short',
        cf: { bounce_queue_lifetime: '3' },
        status: 'warn',
        fix: /-e 'bounce_queue_lifetime = 6d'$/,
        message: /null sender/,
      },
      {
        id: 'flush',
        title: 'no flush service',
        noFlush: true,
        status: 'warn',
        fix: /-M -e 'flush\/unix = flush unix n - n 1000\? 0 flush'$/,
        message: /postqueue -i/,
      },
      {
        id: 'milter_content_timeout',
        title: 'a 10 s content timeout',
        cf: { milter_content_timeout: '10s' },
        status: 'warn',
        fix: /-e 'milter_content_timeout = 300s'$/,
        message: /too short/,
      },
      {
        id: 'milter_content_timeout',
        title: 'a one-hour content timeout',
        cf: { milter_content_timeout: '1h' },
        status: 'warn',
        fix: /-e 'milter_content_timeout = 300s'$/,
        message: /10 minutes/,
      },
    ];

    for (const c of cases) {
      const title = `should ${c.status} on ${c.id} for ${c.title}, and its fix should make it ok`;
      it(title, async () => {
        const dir = await configDir(c.cf ?? {}, !c.noFlush);
        const before = byId((await checkPostfix(input(dir))).checks, c.id);
        assert.equal(before.status, c.status, before.message);
        assert.match(before.message, c.message);
        assert.ok(before.fix, 'a failing check must carry a fix');
        assert.match(before.fix, c.fix);
        assert.ok(before.fix.startsWith(`postconf -c ${dir} `), before.fix);

        await run('/bin/sh', ['-c', before.fix], { env: { PATH: '/usr/sbin:/usr/bin:/bin' } });
        await settle(dir);
        const report = await checkPostfix(input(dir));
        const notOk = report.checks.filter((check) => check.status !== 'ok');
        assert.deepEqual(notOk, [], 'after the fix every check should pass');
      });
    }

    it('should scale the lifetime fix with the approval expiry', async () => {
      const report = await checkPostfix(input(await configDir(), { approvalExpiryHours: 24 * 10 }));
      const check = byId(report.checks, 'maximal_queue_lifetime');
      assert.equal(check.status, 'warn');
      assert.match(check.fix ?? '', /maximal_queue_lifetime = 20d'$/);
    });
  });

  describe('when Postfix cannot be read', () => {
    it('should report one fail check when Postfix is not installed', async () => {
      const report = await checkPostfix({
        commandDir: path.join(scratch, 'no-such-dir'),
        milterListen: 'inet:127.0.0.1:10030',
        approvalExpiryHours: 72,
      });
      assert.equal(report.checks.length, 1);
      assert.equal(report.checks[0]?.id, 'postfix');
      assert.equal(report.checks[0]?.status, 'fail');
      assert.match(report.checks[0]?.message ?? '', /not installed/);
      assert.equal(worstStatus(report), 'fail');
    });

    it('should report one fail check when the config dir has no main.cf', async () => {
      const empty = path.join(scratch, 'empty-conf');
      await mkdir(empty);
      const report = await checkPostfix(input(empty));
      assert.deepEqual(report.checks.map((c) => [c.id, c.status]), [['postfix', 'fail']]);
      assert.match(report.checks[0]?.message ?? '', /main\.cf/);
    });
  });
});

describe('parsePostfixTime', () => {
  const cases: Array<[string, TimeUnit, number | null]> = [
    ['5d', 's', 432_000],
    ['3h', 'd', 10_800],
    ['300s', 'd', 300],
    ['10m', 's', 600],
    ['2w', 's', 1_209_600],
    ['3', 'd', 259_200],
    ['3', 's', 3],
    ['0', 's', 0],
    [' 7d ', 's', 604_800],
    ['', 's', null],
    ['d', 's', null],
    ['1.5d', 's', null],
    ['1h30m', 's', null],
    ['-1d', 's', null],
    ['5 d', 's', null],
    ['5dd', 's', null],
    ['3x', 's', null],
    ['9999999999', 's', null],
    ['24856d', 's', null],
  ];
  for (const [value, unit, expected] of cases) {
    it(`should read ${JSON.stringify(value)} with default unit ${unit} as ${expected}`, () => {
      assert.equal(parsePostfixTime(value, unit), expected);
    });
  }

  it('should format seconds in the largest exact unit', () => {
    assert.deepEqual(
      [604_800, 259_200, 10_800, 600, 90, 0].map(formatPostfixTime),
      ['1w', '3d', '3h', '10m', '90s', '0s'],
    );
  });
});

describe('milter lists', () => {
  it('should split plain entries and per-milter groups', () => {
    const entries = parseMilterList(
      'inet:127.0.0.1:8891,{ inet:127.0.0.1:10030, default_action=quarantine }  unix:/x',
    );
    assert.deepEqual(entries, [
      { address: 'inet:127.0.0.1:8891', settings: {} },
      { address: 'inet:127.0.0.1:10030', settings: { default_action: 'quarantine' } },
      { address: 'unix:/x', settings: {} },
    ]);
  });

  const matches: Array<[string, string, boolean]> = [
    ['inet:127.0.0.1:10030', 'inet:127.0.0.1:10030', true],
    ['inet:localhost:10030', 'inet:127.0.0.1:10030', true],
    ['inet:[::1]:10030', 'inet:127.0.0.1:10030', true],
    ['inet:127.0.0.1:10031', 'inet:127.0.0.1:10030', false],
    ['inet:192.0.2.10:10030', 'inet:127.0.0.1:10030', false],
    ['inet:192.0.2.10:10030', 'inet:0.0.0.0:10030', true],
    ['unix:/run/og.sock', 'unix:/run/og.sock', true],
    ['local:/run/og.sock', 'unix:/run/og.sock', true],
    ['unix:private/og', 'unix:/var/spool/postfix/private/og', true],
    ['unix:/outguard/milter.sock', 'unix:/var/spool/postfix/outguard/milter.sock', true],
    ['unix:/outguard/milter.sock', 'unix:/run/outguard/milter.sock', false],
    ['unix:/run/og.sock', 'inet:127.0.0.1:10030', false],
    ['garbage', 'inet:127.0.0.1:10030', false],
  ];
  for (const [entry, listen, expected] of matches) {
    it(`should ${expected ? '' : 'not '}match ${entry} to a milter on ${listen}`, () => {
      assert.equal(milterAddressMatches(entry, listen), expected);
    });
  }
});

describe('postfix-examples', { skip }, () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'outguard-examples-'));
    await copyFile(path.join(EXAMPLES, 'main.cf.snippet'), path.join(dir, 'main.cf'));
    const master = await readFile(MASTER_CF_DIST, 'utf8');
    const snippet = await readFile(path.join(EXAMPLES, 'master.cf.snippet'), 'utf8');
    await writeFile(path.join(dir, 'master.cf'), `${master}\n${snippet}`);
    await settle(dir);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should hold only parameters and values postconf accepts without warnings', async () => {
    const result = await runTool('postconf', ['-n'], { configDir: dir });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stderr, '', 'postconf warned about the snippet');
    const snippet = await readFile(path.join(dir, 'main.cf'), 'utf8');
    const names = [...snippet.matchAll(/^([a-z_]+)\s*=/gm)].map((m) => m[1] as string);
    assert.ok(names.length >= 8, 'snippet should set the milter parameters');
    const values = await postconf(names, { configDir: dir, expand: false });
    assert.deepEqual(Object.keys(values).sort(), [...names].sort());
  });

  it('should pass every doctor check with the default listen address and expiry', async () => {
    const report = await checkPostfix(input(dir));
    const notOk = report.checks.filter((c) => c.status !== 'ok');
    assert.deepEqual(notOk, []);
  });

  it('should define the milter-free notify listener on 127.0.0.1:10027', async () => {
    const result = await runTool('postconf', ['-P', '127.0.0.1:10027/inet'], { configDir: dir });
    assert.equal(result.stderr, '');
    const settings = result.stdout;
    assert.match(settings, /127\.0\.0\.1:10027\/inet\/smtpd_milters =\s*$/m);
    assert.match(settings, /127\.0\.0\.1:10027\/inet\/non_smtpd_milters =\s*$/m);
    assert.match(settings, /127\.0\.0\.1:10027\/inet\/receive_override_options = no_milters$/m);
  });
});
