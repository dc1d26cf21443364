/**
 * Milter server: listening on TCP and unix sockets, surviving bad peers, idle timeouts and an
 * orderly shutdown that lets pending verdicts out.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { startMilterServer } from '../milter/server.js';
import type { ListenAddress } from '../config/listen.js';
import { MilterClient, sendMessage, sendMessageContent } from './support/milter-client.js';
import type { TestMessage } from './support/milter-client.js';
import {
  bounded,
  closeAllHarnesses,
  deferred,
  greet,
  startHarness,
} from './support/milter-harness.js';

const MAIL: TestMessage = {
  sender: '<kim@example.kr>',
  recipients: ['<lee@example.com>'],
  headers: [['Subject', ' 주민번호 확인']],
  body: '900101-1234568\r\n',
};

const ACCEPT_ALL = { onEndOfMessage: async () => ({ kind: 'accept' }) as const };

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'outguard-milter-'));
}

/** Resolve when `check` holds; the loop bound only stops a broken test from hanging. */
async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check());
}

describe('milter server', { timeout: 60_000 }, () => {
  afterEach(closeAllHarnesses);

  describe('when listening on TCP port 0', () => {
    it('should report the bound port and count connections', async () => {
      const harness = await startHarness();
      try {
        const address = harness.server.address;
        assert.equal(address.kind, 'inet');
        assert.ok(address.kind === 'inet' && address.port > 0);
        assert.equal(harness.server.connectionCount, 0);
        const client = await harness.client();
        assert.equal(harness.server.connectionCount, 1);
        client.destroy();
        await eventually(() => harness.server.connectionCount === 0);
      } finally {
        await harness.close();
      }
    });

    it('should refuse to start on a port already in use', async () => {
      const harness = await startHarness();
      try {
        await assert.rejects(startMilterServer({ listen: harness.server.address,
          handler: ACCEPT_ALL }), /EADDRINUSE/);
      } finally {
        await harness.close();
      }
    });
  });

  describe('when listening on a unix socket', () => {
    let dir: string;
    before(async () => {
      dir = await tempDir();
    });
    after(() => fs.rm(dir, { recursive: true, force: true }));

    it('should serve a session, set mode 0660 and remove the socket on close', async () => {
      const listen: ListenAddress = { kind: 'unix', path: path.join(dir, 'milter.sock') };
      const harness = await startHarness({ listen });
      const stat = await fs.lstat(listen.path);
      assert.ok(stat.isSocket());
      assert.equal(stat.mode & 0o777, 0o660);
      const client = await harness.client();
      await greet(client);
      assert.deepEqual((await sendMessage(client, MAIL)).map((r) => r.type), ['accept']);
      await harness.close();
      await assert.rejects(fs.lstat(listen.path), /ENOENT/);
    });

    it('should honour a configured socket mode', async () => {
      const listen: ListenAddress = { kind: 'unix', path: path.join(dir, 'mode.sock') };
      const harness = await startHarness({ listen, socketMode: 0o600 });
      try {
        assert.equal((await fs.lstat(listen.path)).mode & 0o777, 0o600);
      } finally {
        await harness.close();
      }
    });

    it('should replace a stale socket file nobody listens on', async () => {
      const file = path.join(dir, 'stale.sock');
      // A listener killed with SIGKILL leaves its socket file behind, as after a crash.
      const script = `require('net').createServer().listen(${JSON.stringify(file)},
        () => process.kill(process.pid, 'SIGKILL'))`;
      spawnSync(process.execPath, ['-e', script]);
      assert.ok((await fs.lstat(file)).isSocket());
      const harness = await startHarness({ listen: { kind: 'unix', path: file } });
      try {
        const client = await harness.client();
        assert.equal((await client.connectCmd()).type, 'continue');
      } finally {
        await harness.close();
      }
    });

    it('should refuse to start when a live listener owns the socket', async () => {
      const file = path.join(dir, 'live.sock');
      const live = net.createServer();
      await new Promise<void>((resolve) => live.listen(file, resolve));
      try {
        await assert.rejects(startMilterServer({ listen: { kind: 'unix', path: file },
          handler: ACCEPT_ALL }), /in use/);
      } finally {
        await new Promise<void>((resolve) => live.close(() => resolve()));
      }
    });

    it('should refuse to remove a path that is not a socket', async () => {
      const file = path.join(dir, 'regular-file');
      await fs.writeFile(file, 'keep me');
      await assert.rejects(startMilterServer({ listen: { kind: 'unix', path: file },
        handler: ACCEPT_ALL }), /not a socket/);
      assert.equal(await fs.readFile(file, 'utf8'), 'keep me');
    });
  });

  describe('when a peer misbehaves', () => {
    it('should drop a peer that sends garbage and keep serving the next one', async () => {
      const harness = await startHarness();
      try {
        const bad = await harness.client(null);
        bad.writeRaw(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
        await bounded(bad.closed, 'close');
        const oversize = await harness.client(null);
        oversize.writeRaw(Buffer.from([0x7f, 0xff, 0xff, 0xff, 0x42]));
        await bounded(oversize.closed, 'close');
        const good = await harness.client();
        await greet(good);
        assert.deepEqual((await sendMessage(good, MAIL)).map((r) => r.type), ['accept']);
      } finally {
        await harness.close();
      }
    });

    it('should drop a peer that floods commands without waiting for replies', async () => {
      const release = deferred();
      const harness = await startHarness({
        verdict: async () => {
          await release.promise;
          return { kind: 'accept' };
        },
      });
      const client = await harness.client();
      await greet(client);
      await sendMessageContent(client, MAIL);
      const lost = assert.rejects(client.eom(), /connection closed/);
      await eventually(() => harness.envelopes.length === 1);
      // While the verdict is pending, a legitimate MTA sends nothing; this one sends 300 ABORTs.
      for (let i = 0; i < 300; i++) client.abort();
      await bounded(lost, 'connection drop');
      release.resolve();
      assert.ok(harness.logs.some((l) => l.message === 'protocol error, closing connection' &&
        l['reason'] === 'peer does not wait for replies'));
      await eventually(() => harness.logs.some((l) =>
        l.message === 'connection closed before the verdict was sent'));
    });

    it('should close a connection that stays idle past the idle timeout', async () => {
      const harness = await startHarness({ idleTimeoutMs: 30 });
      try {
        const client = await harness.client(null);
        await bounded(client.closed, 'close');
        assert.ok(harness.logs.some((l) => l.message === 'closing connection' &&
          l['reason'] === 'idle timeout'));
      } finally {
        await harness.close();
      }
    });

    it('should not count a slow handler as idleness', async () => {
      const release = deferred();
      const harness = await startHarness({
        // Long enough that setup never trips it on a loaded machine; the wait below spans three.
        idleTimeoutMs: 500,
        progressIntervalMs: 60_000,
        verdict: async () => {
          await release.promise;
          return { kind: 'accept' };
        },
      });
      try {
        const client = await harness.client();
        client.replyTimeoutMs = 60_000;
        await greet(client);
        await sendMessageContent(client, MAIL);
        const verdict = client.eom();
        // Several idle periods pass while the handler works; the connection must survive them.
        await new Promise((r) => setTimeout(r, 1500));
        release.resolve();
        assert.deepEqual((await verdict).map((r) => r.type), ['accept']);
      } finally {
        await harness.close();
      }
    });
  });

  describe('when closing', () => {
    it('should let a pending verdict out before disconnecting', async () => {
      const release = deferred();
      const started = deferred();
      const harness = await startHarness({
        verdict: async () => {
          started.resolve();
          await release.promise;
          return { kind: 'quarantine', reason: 'rrn' };
        },
      });
      const client = await harness.client();
      await greet(client);
      await sendMessageContent(client, MAIL);
      const verdict = client.eom();
      await bounded(started.promise, 'handler start');
      const closing = harness.server.close();
      // A new MTA connection is no longer accepted while we drain.
      await assert.rejects(MilterClient.connect(harness.server.address));
      release.resolve();
      assert.deepEqual((await verdict).map((r) => r.type), ['quarantine', 'accept']);
      await bounded(closing, 'server close');
      await bounded(client.closed, 'close');
      assert.equal(harness.server.connectionCount, 0);
    });

    it('should cut a handler that outlives the grace period', async () => {
      const harness = await startHarness({
        closeGraceMs: 20,
        verdict: () => new Promise<never>(() => {}),
      });
      const client = await harness.client();
      await greet(client);
      await sendMessageContent(client, MAIL);
      const cut = assert.rejects(client.eom(), /connection closed/);
      await eventually(() => harness.envelopes.length === 1);
      await harness.server.close();
      await cut;
      assert.equal(harness.server.connectionCount, 0);
    });
  });
});
