/**
 * The store, as a specification. One suite, run twice: on SQLite in a fresh folder and on
 * PostgreSQL in a fresh schema (TEST_DATABASE_URL, default the local server). Every test gets
 * its own empty database, so each reads on its own.
 *
 * Personal data here is synthetic: RRN 900101-1234568 passes the legacy checksum and card
 * 4111111111111111 passes Luhn; neither belongs to anyone.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import iconv from 'iconv-lite';
import { createLogger } from '../log/logger.js';
import {
  newMessageId,
  openStore,
  SQLITE_FILE,
  STORE_KEY_ENV,
  STORE_KEY_FILE,
  StoreError,
  type NewMessageRecord,
  type Store,
  type StoreOptions,
} from '../store/index.js';
import { createTestSchema, pgUnreachableReason, TEST_DATABASE_URL } from './support/pg.js';

const RRN = '900101-1234568';
const MASKED_SUBJECT = '[인사] 홍길동 주민번호 900101-1****** 확인 부탁드립니다';

/** A hit in a company dictionary, as the engine records it (mask `none`: not personal data). */
const CONFIDENTIAL_KEYWORD = {
  type: 'keyword',
  masked: '대외비',
  location: 'subject',
  confidence: 'high',
  start: 1,
  end: 4,
  label: 'confidential',
};

/** A held message as the engine records it: masked subject, masked findings, one problem. */
function heldRecord(overrides: Partial<NewMessageRecord> = {}): NewMessageRecord {
  return {
    id: newMessageId(),
    queueId: '4ZkQ2T0mWcz1xLp',
    clientAddress: '192.0.2.10',
    clientName: 'mail.example.co.kr',
    helo: 'mail.example.co.kr',
    sender: 'hong@example.co.kr',
    recipients: ['kim@partner.example', 'lee@partner.example'],
    messageId: '<20260501093000.1234@example.co.kr>',
    subject: MASKED_SUBJECT,
    size: 2048,
    attachmentNames: ['급여명세서_5월.xlsx'],
    action: 'hold',
    ruleId: 'rrn-external',
    reason: 'resident registration number to an outside recipient',
    state: 'held',
    findings: [
      {
        type: 'rrn',
        masked: '900101-1******',
        location: 'subject',
        confidence: 'high',
        start: 14,
        end: 28,
      },
      {
        type: 'credit_card',
        masked: '4111-11**-****-1111',
        location: 'body',
        confidence: 'medium',
        start: 120,
        end: 139,
      },
    ],
    problems: [
      {
        code: 'unsupported-format',
        location: 'attachment:급여명세서_5월.xlsx',
        detail: 'no extractor for this format yet',
      },
    ],
    receivedAt: new Date('2026-05-01T09:30:00.000Z'),
    ...overrides,
  };
}

/** A Korean mail as Postfix hands it over: EUC-KR subject and body, the clear RRN inside. */
function rawEucKrMail(): Buffer {
  const b64 = (text: string) => iconv.encode(text, 'euc-kr').toString('base64');
  const head = [
    `From: =?EUC-KR?B?${b64('홍길동')}?= <hong@example.co.kr>`,
    'To: kim@partner.example',
    `Subject: =?EUC-KR?B?${b64('[인사] 홍길동 주민번호 확인')}?=`,
    'Message-ID: <20260501093000.1234@example.co.kr>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=euc-kr',
    'Content-Transfer-Encoding: 8bit',
  ].join('\r\n');
  const body = iconv.encode(`김 과장님,\r\n홍길동 주민등록번호: ${RRN}\r\n카드: 4111111111111111\r\n`, 'euc-kr');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]);
}

function withoutUpdatedAt<T extends { updatedAt: Date }>(record: T): Omit<T, 'updatedAt'> {
  const { updatedAt, ...rest } = record;
  assert.ok(updatedAt instanceof Date && !Number.isNaN(updatedAt.getTime()));
  return rest;
}

/** One empty database and folder, plus ways to look under the store's API. */
interface Place {
  readonly options: StoreOptions;
  /** Runs SQL on the database directly; `?` placeholders on both dialects. */
  all<Row extends object>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Every byte the database keeps for us, as it sits at rest. */
  bytesAtRest(): Promise<Buffer>;
}

interface Backend {
  readonly name: string;
  readonly dialect: 'sqlite' | 'postgres';
  readonly skip: string | false;
  fresh(): Promise<Place>;
  cleanup(): Promise<void>;
}

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'og-store-'));
}

function sqliteBackend(): Backend {
  const dirs: string[] = [];
  return {
    name: 'SQLite',
    dialect: 'sqlite',
    skip: false,
    async fresh() {
      const dataDir = path.join(await tempDir(), 'data');
      dirs.push(path.dirname(dataDir));
      const file = path.join(dataDir, SQLITE_FILE);
      return {
        options: { dataDir, env: {} },
        async all<Row extends object>(text: string, params: unknown[] = []) {
          const db = new BetterSqlite3(file);
          try {
            const statement = db.prepare(text);
            if (statement.reader) return statement.all(...params) as Row[];
            statement.run(...params);
            return [];
          } finally {
            db.close();
          }
        },
        async bytesAtRest() {
          const files = [file, `${file}-wal`].filter((f) => existsSync(f));
          return Buffer.concat(await Promise.all(files.map((f) => readFile(f))));
        },
      };
    },
    async cleanup() {
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}

async function postgresBackend(): Promise<Backend> {
  const unreachable = await pgUnreachableReason();
  const drops: Array<() => Promise<void>> = [];
  const dirs: string[] = [];
  return {
    name: 'PostgreSQL',
    dialect: 'postgres',
    skip: unreachable ?? false,
    async fresh() {
      const schema = await createTestSchema(TEST_DATABASE_URL);
      drops.push(schema.drop);
      const dataDir = path.join(await tempDir(), 'data');
      dirs.push(path.dirname(dataDir));
      const all = <Row extends object>(text: string, params: unknown[] = []) => {
        let n = 0;
        return schema.query<Row>(text.replace(/\?/g, () => `$${(n += 1)}`), params);
      };
      return {
        options: { dataDir, databaseUrl: schema.url, env: {} },
        all,
        async bytesAtRest() {
          const copies = await all<{ nonce: Buffer; tag: Buffer; ciphertext: Buffer }>(
            'select nonce, tag, ciphertext from raw_copies',
          );
          const text = await all<{ t: string }>(
            `select (select coalesce(json_agg(m), '[]') from messages m)::text ||
                    (select coalesce(json_agg(f), '[]') from findings f)::text ||
                    (select coalesce(json_agg(e), '[]') from message_events e)::text as t`,
          );
          return Buffer.concat([
            ...copies.flatMap((c) => [c.nonce, c.tag, c.ciphertext]),
            Buffer.from(text[0]?.t ?? '', 'utf8'),
          ]);
        },
      };
    },
    async cleanup() {
      for (const drop of drops) await drop();
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}

function defineStoreSuite(backend: Backend): void {
  describe(`store on ${backend.name}`, { skip: backend.skip }, () => {
    const opened: Store[] = [];
    async function freshStore(): Promise<{ store: Store; place: Place }> {
      const place = await backend.fresh();
      const store = await openStore(place.options);
      opened.push(store);
      return { store, place };
    }
    after(async () => {
      await Promise.all(opened.map((s) => s.close()));
      await backend.cleanup();
    });

    describe('when a message is recorded', () => {
      it('should return it by our id with every field as recorded', async () => {
        const { store } = await freshStore();
        const record = heldRecord();
        await store.recordMessage(record);
        const found = await store.getMessage(record.id);
        assert.ok(found);
        assert.deepEqual(withoutUpdatedAt(found), record);
        assert.equal(store.dialect, backend.dialect);
      });

      it('should keep a Korean subject and attachment name character for character', async () => {
        const { store } = await freshStore();
        // CP949-only syllables (똠, 뷁) and a character outside the BMP, as UTF-8 in the store.
        const subject = '똠방각하 뷁 — 고객 명단 정리 🗂️ (주민번호 900101-1******)';
        const record = heldRecord({ subject, attachmentNames: ['고객명단_최종(2).hwp'] });
        await store.recordMessage(record);
        const found = await store.getMessage(record.id);
        assert.equal(found?.subject, subject);
        assert.deepEqual(found?.attachmentNames, ['고객명단_최종(2).hwp']);
      });

      it('should find it by its Postfix queue id', async () => {
        const { store } = await freshStore();
        const record = heldRecord({ queueId: '3F1A2B4C5D' });
        await store.recordMessage(record);
        assert.equal((await store.getMessage('3F1A2B4C5D'))?.id, record.id);
      });

      it('should return the newest message when Postfix reused the queue id', async () => {
        const { store } = await freshStore();
        const queueId = 'A1B2C3D4E5';
        const older = heldRecord({ queueId, receivedAt: new Date('2026-05-01T08:00:00Z') });
        const newer = heldRecord({ queueId, receivedAt: new Date('2026-05-03T08:00:00Z') });
        // Recorded out of order: "newest" is the receive time, not the insert order.
        await store.recordMessage(newer);
        await store.recordMessage(older);
        assert.equal((await store.getMessage('A1B2C3D4E5'))?.id, newer.id);
        assert.equal((await store.getMessage(older.id))?.id, older.id);
      });

      it('should return null for an id or queue id it does not hold', async () => {
        const { store } = await freshStore();
        assert.equal(await store.getMessage(newMessageId()), null);
        assert.equal(await store.getMessage('NOQUEUE'), null);
        assert.equal(await store.getMessage(''), null);
      });

      it('should refuse a second record with the same id', async () => {
        const { store } = await freshStore();
        const record = heldRecord();
        await store.recordMessage(record);
        await assert.rejects(store.recordMessage({ ...record, queueId: 'B0B0B0B0B0' }), {
          name: 'StoreError',
          code: 'duplicate-message',
        });
      });

      it('should refuse a record that breaks the contract, writing nothing', async () => {
        const { store } = await freshStore();
        const cases: Array<[string, Partial<NewMessageRecord>]> = [
          ['unknown state', { state: 'approved' as never }],
          ['unknown action', { action: 'quarantine' as never }],
          ['id that is not a ULID', { id: 'msg-1' }],
          ['negative size', { size: -1 }],
          ['invalid date', { receivedAt: new Date('not a date') }],
        ];
        for (const [label, overrides] of cases) {
          const record = heldRecord(overrides);
          await assert.rejects(store.recordMessage(record), { code: 'bad-record' }, label);
        }
        assert.deepEqual(await store.listMessages(), []);
      });

      it('should keep the dictionary or pattern name of keyword and pattern findings', async () => {
        const { store, place } = await freshStore();
        const findings = [
          CONFIDENTIAL_KEYWORD,
          { type: 'pattern', masked: 'E********6', location: 'attachment:인사명단.xlsx', confidence: 'medium', start: 3, end: 13, label: 'employee-id' },
          { type: 'rrn', masked: '900101-1******', location: 'body', confidence: 'high', start: 40, end: 54 },
        ];
        const record = heldRecord({ findings });
        await store.recordMessage(record);
        assert.deepEqual((await store.getMessage(record.id))?.findings, findings);
        const [listed] = await store.listMessages({ state: 'held' });
        assert.deepEqual(listed?.findings.map((f) => f.label ?? null), ['confidential', 'employee-id', null]);
        const rows = await place.all<{ type: string; label: string | null }>(
          'select type, label from findings where message_id = ? order by seq',
          [record.id],
        );
        assert.deepEqual(rows.map((r) => [r.type, r.label]), [
          ['keyword', 'confidential'],
          ['pattern', 'employee-id'],
          ['rrn', null],
        ]);
      });

      it('should keep many findings in their recorded order', async () => {
        const { store } = await freshStore();
        // More than one INSERT's worth, as a spreadsheet of customers gives.
        const findings = Array.from({ length: 1203 }, (_, i) => ({
          type: 'rrn',
          masked: '900101-1******',
          location: 'attachment:고객명단.csv',
          confidence: 'high',
          start: i * 20,
          end: i * 20 + 14,
        }));
        const record = heldRecord({ findings });
        await store.recordMessage(record);
        assert.deepEqual((await store.getMessage(record.id))?.findings, findings);
      });

      it('should open the audit trail with the recorded state', async () => {
        const { store } = await freshStore();
        const record = heldRecord();
        await store.recordMessage(record);
        const events = await store.events(record.id);
        assert.equal(events.length, 1);
        assert.deepEqual(
          { from: events[0]?.from, to: events[0]?.to, actor: events[0]?.actor },
          { from: null, to: 'held', actor: 'outguard' },
        );
        assert.equal(events[0]?.reason, record.reason);
        assert.equal(events[0]?.messageId, record.id);
      });
    });

    describe('when listing messages', () => {
      it('should list those in a state, newest first', async () => {
        const { store } = await freshStore();
        const day = (d: number) => new Date(`2026-05-0${d}T12:00:00Z`);
        const held1 = heldRecord({ receivedAt: day(1) });
        const held3 = heldRecord({ receivedAt: day(3) });
        const accepted = heldRecord({ receivedAt: day(2), state: 'accepted', action: 'accept' });
        for (const r of [held1, accepted, held3]) await store.recordMessage(r);
        const held = await store.listMessages({ state: 'held' });
        assert.deepEqual(
          held.map((r) => r.id),
          [held3.id, held1.id],
        );
        assert.equal(held[0]?.findings.length, 2);
        const everything = await store.listMessages();
        assert.deepEqual(
          everything.map((r) => r.id),
          [held3.id, accepted.id, held1.id],
        );
      });

      it('should honour since and limit', async () => {
        const { store } = await freshStore();
        const records = [1, 2, 3, 4].map((d) =>
          heldRecord({ receivedAt: new Date(`2026-05-0${d}T00:00:00Z`) }),
        );
        for (const r of records) await store.recordMessage(r);
        const since = await store.listMessages({ since: new Date('2026-05-02T00:00:00Z') });
        assert.deepEqual(
          since.map((r) => r.receivedAt.toISOString().slice(0, 10)),
          ['2026-05-04', '2026-05-03', '2026-05-02'],
        );
        const limited = await store.listMessages({ limit: 1 });
        assert.deepEqual(
          limited.map((r) => r.id),
          [records[3]?.id],
        );
        await assert.rejects(store.listMessages({ limit: 0 }), RangeError);
      });
    });

    describe('when moving a message between states', () => {
      it('should move it and append who did it and why', async () => {
        const { store } = await freshStore();
        const record = heldRecord();
        await store.recordMessage(record);
        const moved = await store.transition(record.id, ['held'], 'released', {
          actor: 'admin@example.co.kr',
          reason: '인사팀 확인 완료',
        });
        assert.equal(moved, true);
        const found = await store.getMessage(record.id);
        assert.equal(found?.state, 'released');
        assert.ok(found && found.updatedAt.getTime() >= record.receivedAt.getTime());
        const events = await store.events(record.id);
        assert.deepEqual(
          events.map((e) => [e.from, e.to, e.actor, e.reason]),
          [
            [null, 'held', 'outguard', record.reason],
            ['held', 'released', 'admin@example.co.kr', '인사팀 확인 완료'],
          ],
        );
        assert.ok(events.every((e) => e.at instanceof Date));
      });

      it('should refuse from a state the message is not in, changing nothing', async () => {
        const { store } = await freshStore();
        const record = heldRecord({ state: 'accepted', action: 'accept' });
        await store.recordMessage(record);
        assert.equal(await store.transition(record.id, ['held'], 'released'), false);
        assert.equal((await store.getMessage(record.id))?.state, 'accepted');
        assert.equal((await store.events(record.id)).length, 1);
      });

      it('should accept any of several starting states', async () => {
        const { store } = await freshStore();
        const record = heldRecord({ state: 'monitored', action: 'monitor' });
        await store.recordMessage(record);
        assert.equal(await store.transition(record.id, ['held', 'monitored'], 'discarded'), true);
        assert.equal((await store.events(record.id))[1]?.from, 'monitored');
      });

      it('should answer false for a message it does not hold', async () => {
        const { store } = await freshStore();
        assert.equal(await store.transition(newMessageId(), ['held'], 'released'), false);
      });

      it('should let exactly one of two concurrent moves win', async () => {
        const { store } = await freshStore();
        const record = heldRecord();
        await store.recordMessage(record);
        const results = await Promise.all([
          store.transition(record.id, ['held'], 'released', { actor: 'admin-a' }),
          store.transition(record.id, ['held'], 'discarded', { actor: 'admin-b' }),
        ]);
        assert.deepEqual(
          results.filter((r) => r),
          [true],
        );
        const events = await store.events(record.id);
        assert.equal(events.length, 2);
        assert.equal((await store.getMessage(record.id))?.state, events[1]?.to);
      });

      it('should let exactly one of two separately opened stores win', async () => {
        // PostgreSQL: two pools, as two relays have. SQLite: two stores in one process, which
        // must share a connection or the second would wait on the first's lock until SQLITE_BUSY.
        const { store, place } = await freshStore();
        const other = await openStore(place.options);
        opened.push(other);
        const record = heldRecord();
        await store.recordMessage(record);
        for (let round = 0; round < 5; round += 1) {
          const [a, b] = await Promise.all([
            store.transition(record.id, ['held'], 'released', { actor: 'host-a' }),
            other.transition(record.id, ['held'], 'released', { actor: 'host-b' }),
          ]);
          assert.equal(Number(a) + Number(b), 1, `round ${round}`);
          assert.equal(await store.transition(record.id, ['released'], 'held'), true);
        }
        assert.equal((await store.events(record.id)).length, 11);
      });
    });

    describe('when keeping a raw copy', () => {
      it('should give back the same bytes', async () => {
        const { store } = await freshStore();
        const record = heldRecord();
        await store.recordMessage(record);
        const raw = rawEucKrMail();
        await store.saveRawCopy(record.id, raw);
        const copy = await store.getRawCopy(record.id);
        assert.ok(copy);
        assert.equal(Buffer.compare(copy, raw), 0);
      });

      it('should keep neither the clear RRN nor the Korean text at rest', async () => {
        const { store, place } = await freshStore();
        const record = heldRecord();
        await store.recordMessage(record);
        await store.saveRawCopy(record.id, rawEucKrMail());
        const atRest = await place.bytesAtRest();
        // The control: the masked subject is there, so we are reading the right bytes.
        assert.ok(atRest.includes(Buffer.from(MASKED_SUBJECT, 'utf8')));
        assert.equal(atRest.includes(Buffer.from(RRN, 'latin1')), false);
        assert.equal(atRest.includes(Buffer.from('4111111111111111', 'latin1')), false);
        assert.equal(atRest.includes(iconv.encode('주민등록번호', 'euc-kr')), false);
      });

      it('should replace an earlier copy', async () => {
        const { store } = await freshStore();
        const record = heldRecord();
        await store.recordMessage(record);
        await store.saveRawCopy(record.id, Buffer.from('first version\r\n'));
        await store.saveRawCopy(record.id, rawEucKrMail());
        assert.deepEqual(await store.getRawCopy(record.id), rawEucKrMail());
      });

      it('should answer null when there is none, and after deleting it', async () => {
        const { store } = await freshStore();
        const record = heldRecord();
        await store.recordMessage(record);
        assert.equal(await store.getRawCopy(record.id), null);
        await store.saveRawCopy(record.id, rawEucKrMail());
        await store.deleteRawCopy(record.id);
        assert.equal(await store.getRawCopy(record.id), null);
        assert.ok(await store.getMessage(record.id), 'the record itself stays');
      });

      it('should refuse a copy of a message it does not hold', async () => {
        const { store } = await freshStore();
        await assert.rejects(store.saveRawCopy(newMessageId(), rawEucKrMail()), {
          code: 'unknown-message',
        });
      });

      it('should throw when the stored ciphertext was altered', async () => {
        const { store, place } = await freshStore();
        const record = heldRecord();
        await store.recordMessage(record);
        await store.saveRawCopy(record.id, rawEucKrMail());
        const [row] = await place.all<{ ciphertext: Buffer }>(
          'select ciphertext from raw_copies where message_id = ?',
          [record.id],
        );
        assert.ok(row);
        const altered = Buffer.from(row.ciphertext);
        altered[40] = (altered[40] ?? 0) ^ 0x01;
        await place.all('update raw_copies set ciphertext = ? where message_id = ?', [
          altered,
          record.id,
        ]);
        await assert.rejects(store.getRawCopy(record.id), {
          name: 'StoreError',
          code: 'raw-copy-corrupt',
        });
      });

      it("should throw when one message's copy is moved onto another", async () => {
        const { store, place } = await freshStore();
        const a = heldRecord();
        const b = heldRecord();
        await store.recordMessage(a);
        await store.recordMessage(b);
        await store.saveRawCopy(a.id, rawEucKrMail());
        await store.saveRawCopy(b.id, Buffer.from('harmless\r\n'));
        await place.all('delete from raw_copies where message_id = ?', [b.id]);
        await place.all('update raw_copies set message_id = ? where message_id = ?', [b.id, a.id]);
        await assert.rejects(store.getRawCopy(b.id), { code: 'raw-copy-corrupt' });
      });

      it('should name a key mismatch when another host sealed the copy', async () => {
        const { store, place } = await freshStore();
        const record = heldRecord();
        await store.recordMessage(record);
        await store.saveRawCopy(record.id, rawEucKrMail());
        const otherHost = await openStore({
          ...place.options,
          env: { [STORE_KEY_ENV]: 'ab'.repeat(32) },
        });
        opened.push(otherHost);
        await assert.rejects(otherHost.getRawCopy(record.id), { code: 'store-key-mismatch' });
        assert.equal((await otherHost.getMessage(record.id))?.id, record.id);
      });
    });

    describe('when opening', () => {
      it('should migrate once and find its records when opened again', async () => {
        const { store, place } = await freshStore();
        const record = heldRecord();
        await store.recordMessage(record);
        await store.saveRawCopy(record.id, rawEucKrMail());
        await store.close();
        const again = await openStore(place.options);
        opened.push(again);
        assert.equal((await again.getMessage(record.id))?.subject, MASKED_SUBJECT);
        assert.deepEqual(await again.getRawCopy(record.id), rawEucKrMail());
        const applied = await place.all<{ name: string }>('select name from kysely_migration');
        assert.deepEqual(
          applied.map((m) => m.name),
          ['0001-initial', '0002-finding-label'],
        );
      });

      it('should add the finding label to a database made before it, keeping old rows', async () => {
        const { store, place } = await freshStore();
        const before = heldRecord();
        await store.recordMessage(before);
        await store.close();
        // Back to the layout of 0001: no label column, and the step not recorded as applied.
        await place.all('alter table findings drop column label');
        await place.all('delete from kysely_migration where name = ?', ['0002-finding-label']);

        const upgraded = await openStore(place.options);
        opened.push(upgraded);
        assert.deepEqual(withoutUpdatedAt((await upgraded.getMessage(before.id))!), before);
        const labelled = heldRecord({ findings: [CONFIDENTIAL_KEYWORD] });
        await upgraded.recordMessage(labelled);
        assert.deepEqual((await upgraded.getMessage(labelled.id))?.findings, [CONFIDENTIAL_KEYWORD]);
      });

      it('should refuse calls once closed, and leave other stores working', async () => {
        const { store, place } = await freshStore();
        const other = await openStore(place.options);
        opened.push(other);
        await store.close();
        await assert.rejects(store.listMessages(), { name: 'StoreError', code: 'closed' });
        const record = heldRecord();
        await other.recordMessage(record);
        assert.equal((await other.getMessage(record.id))?.id, record.id);
      });

      it('should let two stores migrate the same empty database at once', async () => {
        const place = await backend.fresh();
        const [one, two] = await Promise.all([openStore(place.options), openStore(place.options)]);
        opened.push(one, two);
        const record = heldRecord();
        await one.recordMessage(record);
        assert.equal((await two.getMessage(record.id))?.id, record.id);
      });

      it('should create the key file with mode 0600 and reuse it', async () => {
        const place = await backend.fresh();
        const first = await openStore(place.options);
        opened.push(first);
        const keyFile = path.join(place.options.dataDir, STORE_KEY_FILE);
        const info = await stat(keyFile);
        assert.equal(info.mode & 0o777, 0o600);
        assert.equal(info.size, 32);
        const record = heldRecord();
        await first.recordMessage(record);
        await first.saveRawCopy(record.id, rawEucKrMail());
        const second = await openStore(place.options);
        opened.push(second);
        assert.deepEqual(await second.getRawCopy(record.id), rawEucKrMail());
      });

      it('should take the key from OUTGUARD_STORE_KEY and write no key file', async () => {
        const place = await backend.fresh();
        const env = { [STORE_KEY_ENV]: '0f'.repeat(32) };
        const store = await openStore({ ...place.options, env });
        opened.push(store);
        assert.equal(existsSync(path.join(place.options.dataDir, STORE_KEY_FILE)), false);
        const record = heldRecord();
        await store.recordMessage(record);
        await store.saveRawCopy(record.id, rawEucKrMail());
        const sameKey = await openStore({ ...place.options, env });
        opened.push(sameKey);
        assert.deepEqual(await sameKey.getRawCopy(record.id), rawEucKrMail());
      });

      it('should read a hex key from keyFile, the same key as the environment form', async () => {
        const place = await backend.fresh();
        const keyFile = path.join(path.dirname(place.options.dataDir), 'shared.key');
        await writeFile(keyFile, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
        const fromFile = await openStore({ ...place.options, keyFile });
        opened.push(fromFile);
        const record = heldRecord();
        await fromFile.recordMessage(record);
        await fromFile.saveRawCopy(record.id, rawEucKrMail());
        const fromEnv = await openStore({
          ...place.options,
          env: { [STORE_KEY_ENV]: 'ab'.repeat(32) },
        });
        opened.push(fromEnv);
        assert.deepEqual(await fromEnv.getRawCopy(record.id), rawEucKrMail());
        assert.equal(existsSync(path.join(place.options.dataDir, STORE_KEY_FILE)), false);
      });

      it('should refuse a malformed OUTGUARD_STORE_KEY', async () => {
        const place = await backend.fresh();
        const env = { [STORE_KEY_ENV]: 'not-a-key' };
        await assert.rejects(openStore({ ...place.options, env }), (err: unknown) => {
          assert.ok(err instanceof StoreError);
          assert.equal(err.code, 'bad-store-key');
          return true;
        });
      });

      it('should log where it opened, without the key or a password', async () => {
        const place = await backend.fresh();
        const stream = new PassThrough();
        const lines: string[] = [];
        stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n')));
        const key = '5a'.repeat(32);
        const logger = createLogger({ stream, level: 'debug' });
        const store = await openStore({ ...place.options, logger, env: { [STORE_KEY_ENV]: key } });
        opened.push(store);
        const entries = lines.filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
        const openedLine = entries.find((e) => e.message === 'store opened');
        assert.ok(openedLine);
        assert.equal(openedLine.dialect, backend.dialect);
        assert.equal(openedLine.keySource, 'env');
        assert.equal(lines.join('\n').includes(key), false);
      });

      it(
        'should create the data folder 0700 and the database file 0600',
        { skip: backend.dialect === 'postgres' && 'SQLite only: no database file here' },
        async () => {
          const place = await backend.fresh();
          const store = await openStore(place.options);
          opened.push(store);
          await store.recordMessage(heldRecord());
          assert.equal((await stat(place.options.dataDir)).mode & 0o777, 0o700);
          const file = path.join(place.options.dataDir, SQLITE_FILE);
          assert.equal((await stat(file)).mode & 0o777, 0o600);
          assert.equal((await stat(`${file}-wal`)).mode & 0o777, 0o600);
        },
      );
    });
  });
}

defineStoreSuite(sqliteBackend());
defineStoreSuite(await postgresBackend());
