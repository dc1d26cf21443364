/**
 * Milter codec: every command and reply round-trips, the wire bytes match the protocol, a stream
 * cut or glued anywhere decodes the same, and malformed input is a MilterProtocolError.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeCommand,
  decodeReply,
  encodeCommand,
  encodePacket,
  encodeReply,
  MilterProtocolError,
  PacketReader,
} from '../milter/codec.js';
import type { MilterCommand, MilterReply, RawPacket } from '../milter/codec.js';

/** All whole packets in `bytes`, pushed as one chunk. */
function packetsOf(bytes: Buffer, maxPacketBytes?: number): RawPacket[] {
  const out: RawPacket[] = [];
  new PacketReader({ maxPacketBytes }).push(bytes, (p) => out.push(p));
  return out;
}

function onlyPacket(bytes: Buffer): RawPacket {
  const packets = packetsOf(bytes);
  assert.equal(packets.length, 1);
  return packets[0] as RawPacket;
}

/** Small deterministic PRNG (mulberry32) so a failing cut pattern can be replayed by seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const korean = '주민번호 900101-1234568 포함';
const eucKrSubject = Buffer.from([0xc1, 0xd6, 0xb9, 0xce, 0xb9, 0xf8, 0xc8, 0xa3]); // 주민번호

const COMMANDS: readonly [string, MilterCommand][] = [
  ['optneg', { type: 'optneg', version: 6, actions: 0x1ff, protocol: 0x1fffff }],
  ['macro with pairs', { type: 'macro', stage: 'C', macros: [['j', 'relay.example.kr'],
    ['{daemon_name}', 'ORIGINATING'], ['_', 'mail.example.kr [192.0.2.10]']] }],
  ['empty macro list', { type: 'macro', stage: 'H', macros: [] }],
  ['macro with empty value', { type: 'macro', stage: 'E', macros: [['i', '']] }],
  ['connect inet', { type: 'connect', hostname: 'mail.example.kr', family: 'inet', port: 40000,
    address: '192.0.2.10' }],
  ['connect inet6', { type: 'connect', hostname: '[2001:db8::1]', family: 'inet6', port: 25,
    address: '2001:db8::1' }],
  ['connect unix', { type: 'connect', hostname: 'localhost', family: 'unix', port: 0,
    address: '/var/run/sock' }],
  ['connect unknown', { type: 'connect', hostname: 'unknown', family: 'unknown', port: null,
    address: null }],
  ['helo', { type: 'helo', helo: 'mail.example.kr' }],
  ['mail with args', { type: 'mail', sender: '<kim@example.kr>',
    args: ['SIZE=1024', 'BODY=8BITMIME'] }],
  ['mail null sender (non_smtpd)', { type: 'mail', sender: '', args: [] }],
  ['rcpt', { type: 'rcpt', recipient: '<lee@example.com>', args: ['NOTIFY=NEVER'] }],
  ['data', { type: 'data' }],
  ['header utf-8', { type: 'header', name: 'Subject', value: Buffer.from(` ${korean}`) }],
  ['header 8-bit euc-kr', { type: 'header', name: 'Subject', value: eucKrSubject }],
  ['header folded', { type: 'header', name: 'To', value: Buffer.from(' a@x.kr,\n\tb@y.kr') }],
  ['header empty value', { type: 'header', name: 'X-Empty', value: Buffer.alloc(0) }],
  ['eoh', { type: 'eoh' }],
  ['body', { type: 'body', chunk: Buffer.from(`${korean}\r\n.\r\n`) }],
  ['body with NUL bytes', { type: 'body', chunk: Buffer.from([0, 1, 0, 255]) }],
  ['eob', { type: 'eob', chunk: Buffer.alloc(0) }],
  ['eob with last chunk', { type: 'eob', chunk: Buffer.from('tail\r\n') }],
  ['abort', { type: 'abort' }],
  ['quit', { type: 'quit' }],
  ['quit_nc', { type: 'quitNc' }],
  ['unknown', { type: 'unknown', line: 'XFOO bar' }],
];

const REPLIES: readonly [string, MilterReply][] = [
  ['optneg without symlists', { type: 'optneg', version: 6, actions: 0x31, protocol: 0x180080,
    symlists: [] }],
  ['optneg with symlists', { type: 'optneg', version: 6, actions: 0x131, protocol: 0x180080,
    symlists: [{ stage: 2, macros: ['i', '{auth_authen}'] },
      { stage: 5, macros: ['i', '{daemon_name}'] }] }],
  ['continue', { type: 'continue' }],
  ['accept', { type: 'accept' }],
  ['reject', { type: 'reject' }],
  ['tempfail', { type: 'tempfail' }],
  ['discard', { type: 'discard' }],
  ['skip', { type: 'skip' }],
  ['progress', { type: 'progress' }],
  ['conn fail', { type: 'connFail' }],
  ['shutdown', { type: 'shutdown' }],
  ['reply code multi-line', { type: 'replyCode', text: '550-5.7.1 a\r\n550 5.7.1 b %%' }],
  ['quarantine', { type: 'quarantine', reason: 'outguard hold rule=rrn' }],
  ['add header', { type: 'addHeader', name: 'X-Outguard', value: 'held' }],
  ['insert header', { type: 'insertHeader', index: 0, name: 'X-Outguard', value: 'first' }],
  ['change header (delete)', { type: 'changeHeader', index: 2, name: 'Received', value: '' }],
  ['replace body', { type: 'replaceBody', chunk: Buffer.from('new body\r\n') }],
  ['add rcpt', { type: 'addRcpt', recipient: '<audit@example.kr>' }],
  ['add rcpt with args', { type: 'addRcptPar', recipient: '<a@example.kr>',
    args: 'NOTIFY=NEVER' }],
  ['add rcpt without args', { type: 'addRcptPar', recipient: '<a@example.kr>', args: null }],
  ['del rcpt', { type: 'delRcpt', recipient: '<b@example.kr>' }],
  ['change from', { type: 'chgFrom', sender: '<c@example.kr>', args: 'SIZE=10' }],
  ['change from without args', { type: 'chgFrom', sender: '<c@example.kr>', args: null }],
];

describe('milter codec', { timeout: 60_000 }, () => {
  describe('when a command is encoded and decoded', () => {
    for (const [title, command] of COMMANDS) {
      it(`should round-trip ${title}`, () => {
        assert.deepEqual(decodeCommand(onlyPacket(encodeCommand(command))), command);
      });
    }
  });

  describe('when a reply is encoded and decoded', () => {
    for (const [title, reply] of REPLIES) {
      it(`should round-trip ${title}`, () => {
        assert.deepEqual(decodeReply(onlyPacket(encodeReply(reply))), reply);
      });
    }
  });

  describe('wire bytes', () => {
    it('should frame a packet as big-endian length (code included), code, data', () => {
      assert.deepEqual(encodePacket('c'), Buffer.from([0, 0, 0, 1, 0x63]));
      const optneg = encodeCommand(COMMANDS[0]![1]);
      assert.equal(optneg.toString('hex'), '0000000d' + '4f' + '00000006' + '000001ff' +
        '001fffff');
    });

    it('should write CONNECT as host NUL, family, uint16 port, address NUL', () => {
      const bytes = encodeCommand({ type: 'connect', hostname: 'h', family: 'inet', port: 25,
        address: '1.2.3.4' });
      assert.deepEqual(bytes.subarray(4), Buffer.from('Ch\x004\x00\x191.2.3.4\x00', 'latin1'));
    });

    it('should write the setsymlist pairs after the three masks', () => {
      const bytes = encodeReply(REPLIES[1]![1]);
      const expected = Buffer.concat([
        Buffer.from('O', 'latin1'),
        Buffer.from('00000006' + '00000131' + '00180080', 'hex'),
        Buffer.from('00000002', 'hex'), Buffer.from('i {auth_authen}\0', 'latin1'),
        Buffer.from('00000005', 'hex'), Buffer.from('i {daemon_name}\0', 'latin1'),
      ]);
      assert.deepEqual(bytes.subarray(4), expected);
      assert.equal(bytes.readUInt32BE(0), expected.length);
    });

    it('should write INSHEADER as uint32 index, name NUL, value NUL', () => {
      const bytes = encodeReply({ type: 'insertHeader', index: 1, name: 'X', value: ' v' });
      assert.deepEqual(bytes.subarray(4), Buffer.from('i\0\0\0\x01X\0 v\0', 'latin1'));
    });

    it('should decode 8-bit header names as latin1 and UTF-8 strings as text', () => {
      const helo = encodeCommand({ type: 'helo', helo: '메일.example.kr' });
      assert.deepEqual(decodeCommand(onlyPacket(helo)), { type: 'helo', helo: '메일.example.kr' });
      const raw = encodePacket('H', Buffer.concat([eucKrSubject, Buffer.from([0])]));
      const decoded = decodeCommand(onlyPacket(raw));
      assert.equal(decoded.type === 'helo' && Buffer.from(decoded.helo, 'latin1').equals(
        eucKrSubject), true);
    });
  });

  describe('when the stream is split and coalesced at random boundaries', () => {
    const small = Buffer.concat(COMMANDS.map(([, command]) => encodeCommand(command)));
    const large = Buffer.concat([
      small,
      encodeCommand({ type: 'body', chunk: Buffer.alloc(65535, 0x41) }),
      encodeCommand({ type: 'body', chunk: Buffer.alloc(150_000, 0x42) }),
      small,
    ]);

    /** Feed `stream` in random pieces of 1..maxPiece bytes; return the decoded commands. */
    function feed(stream: Buffer, seed: number, maxPiece: number): MilterCommand[] {
      const random = prng(seed);
      const reader = new PacketReader();
      const got: MilterCommand[] = [];
      for (let offset = 0; offset < stream.length;) {
        const size = 1 + Math.floor(random() * maxPiece);
        reader.push(stream.subarray(offset, offset + size), (p) => got.push(decodeCommand(p)));
        offset += size;
      }
      assert.equal(reader.bufferedBytes, 0, `seed ${seed}`);
      return got;
    }

    it('should decode tiny cuts (inside length prefixes and strings) identically', () => {
      const expected = packetsOf(small).map((p) => decodeCommand(p));
      for (let seed = 1; seed <= 500; seed++) {
        assert.deepEqual(feed(small, seed, 1 + (seed % 9)), expected, `seed ${seed}`);
      }
    });

    it('should decode large and glued pieces across big packets identically', () => {
      const expected = packetsOf(large).map((p) => decodeCommand(p));
      for (let seed = 1; seed <= 200; seed++) {
        const maxPiece = seed % 2 === 0 ? 2000 : 120_000;
        assert.deepEqual(feed(large, seed, maxPiece), expected, `seed ${seed}`);
      }
    });

    it('should decode the whole stream fed one byte at a time', () => {
      const expected = packetsOf(small).map((p) => decodeCommand(p));
      const reader = new PacketReader();
      const got: MilterCommand[] = [];
      for (let i = 0; i < small.length; i++) {
        reader.push(small.subarray(i, i + 1), (p) => got.push(decodeCommand(p)));
      }
      assert.deepEqual(got, expected);
    });
  });

  describe('when the input is malformed', () => {
    const frameErrors: readonly [string, Buffer][] = [
      ['zero length', Buffer.from([0, 0, 0, 0, 0x63])],
      ['length over the limit', Buffer.from([0, 0x10, 0, 1, 0x42])],
      ['length 0xffffffff', Buffer.from([0xff, 0xff, 0xff, 0xff])],
    ];
    for (const [title, bytes] of frameErrors) {
      it(`should refuse a frame with ${title}`, () => {
        assert.throws(() => packetsOf(bytes), (err: unknown) =>
          err instanceof MilterProtocolError && err.stage === 'frame');
      });
    }

    it('should refuse an oversize length before its data arrives', () => {
      const reader = new PacketReader({ maxPacketBytes: 65536 });
      const header = Buffer.alloc(4);
      header.writeUInt32BE(65537, 0);
      assert.throws(() => reader.push(header, () => {}), MilterProtocolError);
    });

    it('should accept a packet of exactly the limit', () => {
      const bytes = encodeCommand({ type: 'body', chunk: Buffer.alloc(65535) });
      assert.equal(packetsOf(bytes, 65536).length, 1);
    });

    it('should stay failed after a bad frame, and deliver the packets before it', () => {
      const reader = new PacketReader();
      const got: RawPacket[] = [];
      const good = encodeCommand({ type: 'abort' });
      assert.throws(() => reader.push(Buffer.concat([good, Buffer.from([0, 0, 0, 0])]),
        (p) => got.push(p)), MilterProtocolError);
      assert.equal(got.length, 1);
      assert.throws(() => reader.push(good, (p) => got.push(p)), MilterProtocolError);
      assert.equal(got.length, 1);
    });

    const commandErrors: readonly [string, string, string, string][] = [
      ['unknown command code', 'Z', '', 'command'],
      ['HELO without NUL', 'H', 'mail.example.kr', 'helo'],
      ['HELO with trailing bytes', 'H', 'a\0b', 'helo'],
      ['HEADER without value', 'L', 'Subject\0', 'header'],
      ['HEADER value without NUL', 'L', 'Subject\0 x', 'header'],
      ['macro with odd name/value count', 'D', 'Mi\0ABC\0{auth_authen}\0', 'macro'],
      ['macro without stage byte', 'D', '', 'macro'],
      ['macro value without NUL', 'D', 'Ei\0ABC', 'macro'],
      ['OPTNEG cut short', 'O', '\0\0\0\x06\0\0', 'optneg'],
      ['CONNECT with unknown family', 'C', 'h\0X', 'connect'],
      ['CONNECT without port', 'C', 'h\x004', 'connect'],
      ['CONNECT without address NUL', 'C', 'h\x004\0\x19x', 'connect'],
      ['MAIL with no data', 'M', '', 'mail'],
      ['RCPT without NUL', 'R', '<a@b>', 'rcpt'],
      ['UNKNOWN without NUL', 'U', 'XFOO', 'unknown'],
    ];
    for (const [title, code, data, stage] of commandErrors) {
      it(`should refuse ${title}`, () => {
        const packet = { code, data: Buffer.from(data, 'latin1') };
        assert.throws(() => decodeCommand(packet), (err: unknown) =>
          err instanceof MilterProtocolError && err.stage === stage);
      });
    }

    it('should accept an empty macro list (stage byte only)', () => {
      const command = decodeCommand({ code: 'D', data: Buffer.from('H', 'latin1') });
      assert.deepEqual(command, { type: 'macro', stage: 'H', macros: [] });
    });

    it('should accept a MAIL holding only a NUL (null sender from non_smtpd_milters)', () => {
      const command = decodeCommand({ code: 'M', data: Buffer.from([0]) });
      assert.deepEqual(command, { type: 'mail', sender: '', args: [] });
    });

    const replyErrors: readonly [string, string, string][] = [
      ['unknown reply code', 'Z', ''],
      ['INSHEADER without index', 'i', '\0\0'],
      ['ADDHEADER without value', 'h', 'X\0'],
      ['QUARANTINE without NUL', 'q', 'reason'],
      ['OPTNEG symlist without names', 'O', '\0\0\0\x06\0\0\0\0\0\0\0\0\0\0\0\x05'],
    ];
    for (const [title, code, data] of replyErrors) {
      it(`should refuse a reply with ${title}`, () => {
        assert.throws(() => decodeReply({ code, data: Buffer.from(data, 'latin1') }),
          MilterProtocolError);
      });
    }

    it('should name the stage and reason without packet contents', () => {
      const err = new MilterProtocolError('header', 'missing NUL terminator');
      assert.equal(err.message, 'milter: header: missing NUL terminator');
      assert.equal(err.name, 'MilterProtocolError');
    });
  });
});
