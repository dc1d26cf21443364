/**
 * Typed milter packets, both directions, and their byte encodings.
 *
 * `decodeCommand`/`encodeCommand` cover everything the MTA sends (O D C H M R T L N B E A Q K U);
 * `decodeReply`/`encodeReply` in `codec-replies.ts` cover everything the milter sends. The
 * session uses the command decoder and the reply encoder; the test client and the benchmarks use
 * the other two. Decoding is strict about layout (missing NULs, short integers, odd macro lists)
 * and throws `MilterProtocolError`; it is lenient only where real MTAs differ: empty macro lists
 * and an empty MAIL sender are valid.
 */
import type { ConnectFamily } from './types.js';
import { CMD, FAMILY } from './constants.js';
import { MilterProtocolError } from './errors.js';
import { FieldReader, cstring, encodePacket, uint16, uint32 } from './framing.js';
import type { RawPacket } from './framing.js';

export { MilterProtocolError } from './errors.js';
export { PacketReader, encodePacket, decodeText } from './framing.js';
export type { RawPacket } from './framing.js';
export * from './codec-replies.js';

/** A macro name and its value, in the order the MTA sent them. */
export type MacroPair = readonly [name: string, value: string];

export type MilterCommand =
  | { readonly type: 'optneg'; readonly version: number; readonly actions: number;
      readonly protocol: number }
  /** `stage` is the code of the command these macros belong to (`'C'`, `'M'`, `'E'` …). */
  | { readonly type: 'macro'; readonly stage: string; readonly macros: readonly MacroPair[] }
  | { readonly type: 'connect'; readonly hostname: string; readonly family: ConnectFamily;
      readonly port: number | null; readonly address: string | null }
  | { readonly type: 'helo'; readonly helo: string }
  /** `sender` as sent, angle brackets included; `args` are the ESMTP parameters. */
  | { readonly type: 'mail'; readonly sender: string; readonly args: readonly string[] }
  | { readonly type: 'rcpt'; readonly recipient: string; readonly args: readonly string[] }
  | { readonly type: 'data' }
  /** `value` stays bytes: header text may be 8-bit (raw EUC-KR) and must survive exactly. */
  | { readonly type: 'header'; readonly name: string; readonly value: Buffer }
  | { readonly type: 'eoh' }
  | { readonly type: 'body'; readonly chunk: Buffer }
  /** libmilter allows a last body chunk inside BODYEOB; Postfix always sends it as BODY. */
  | { readonly type: 'eob'; readonly chunk: Buffer }
  | { readonly type: 'abort' }
  | { readonly type: 'quit' }
  | { readonly type: 'quitNc' }
  | { readonly type: 'unknown'; readonly line: string };

export type MilterCommandType = MilterCommand['type'];

const FAMILY_BY_CODE: Readonly<Record<string, ConnectFamily>> = {
  [FAMILY.INET]: 'inet',
  [FAMILY.INET6]: 'inet6',
  [FAMILY.UNIX]: 'unix',
  [FAMILY.UNKNOWN]: 'unknown',
};

const CODE_BY_FAMILY: Readonly<Record<ConnectFamily, string>> = {
  inet: FAMILY.INET,
  inet6: FAMILY.INET6,
  unix: FAMILY.UNIX,
  unknown: FAMILY.UNKNOWN,
};

/** Decode one packet from the MTA. Throws `MilterProtocolError` on any malformed field. */
export function decodeCommand(packet: RawPacket): MilterCommand {
  const decode = COMMAND_DECODERS[packet.code];
  if (!decode) throw new MilterProtocolError('command', 'unknown command code');
  return decode(packet.data);
}

type Decoder = (data: Buffer) => MilterCommand;

const COMMAND_DECODERS: Readonly<Record<string, Decoder>> = {
  [CMD.OPTNEG]: decodeOptneg,
  [CMD.MACRO]: decodeMacro,
  [CMD.CONNECT]: decodeConnect,
  [CMD.HELO]: (data) => {
    const r = new FieldReader(data, 'helo');
    const helo = r.cstring();
    r.end();
    return { type: 'helo', helo };
  },
  [CMD.MAIL]: (data) => {
    const [sender, ...args] = argv(data, 'mail');
    return { type: 'mail', sender, args };
  },
  [CMD.RCPT]: (data) => {
    const [recipient, ...args] = argv(data, 'rcpt');
    return { type: 'rcpt', recipient, args };
  },
  [CMD.DATA]: () => ({ type: 'data' }),
  [CMD.HEADER]: (data) => {
    const r = new FieldReader(data, 'header');
    const name = r.cstring();
    const value = r.cstringBytes();
    r.end();
    return { type: 'header', name, value };
  },
  [CMD.EOH]: () => ({ type: 'eoh' }),
  [CMD.BODY]: (data) => ({ type: 'body', chunk: data }),
  [CMD.BODYEOB]: (data) => ({ type: 'eob', chunk: data }),
  [CMD.ABORT]: () => ({ type: 'abort' }),
  [CMD.QUIT]: () => ({ type: 'quit' }),
  [CMD.QUIT_NC]: () => ({ type: 'quitNc' }),
  [CMD.UNKNOWN]: (data) => {
    const r = new FieldReader(data, 'unknown');
    const line = r.cstring();
    r.end();
    return { type: 'unknown', line };
  },
};

function decodeOptneg(data: Buffer): MilterCommand {
  const r = new FieldReader(data, 'optneg');
  // Extra bytes after the three masks are tolerated: nothing defines them yet.
  return { type: 'optneg', version: r.uint32(), actions: r.uint32(), protocol: r.uint32() };
}

function decodeMacro(data: Buffer): MilterCommand {
  const r = new FieldReader(data, 'macro');
  const stage = String.fromCharCode(r.byte());
  // An empty list (stage byte only) is valid: Postfix sends one for HELO without TLS.
  const strings = r.cstrings();
  if (strings.length % 2 !== 0) throw r.fail('odd macro name/value count');
  const macros: MacroPair[] = [];
  for (let i = 0; i < strings.length; i += 2) {
    macros.push([strings[i] as string, strings[i + 1] as string]);
  }
  return { type: 'macro', stage, macros };
}

function decodeConnect(data: Buffer): MilterCommand {
  const r = new FieldReader(data, 'connect');
  const hostname = r.cstring();
  const family = FAMILY_BY_CODE[String.fromCharCode(r.byte())];
  if (!family) throw r.fail('unknown address family');
  if (family === 'unknown') {
    r.end();
    return { type: 'connect', hostname, family, port: null, address: null };
  }
  const port = r.uint16();
  const address = r.cstring();
  r.end();
  return { type: 'connect', hostname, family, port, address };
}

/** An argv field with at least one string (the address); the NUL-only MAIL of a DSN is fine. */
function argv(data: Buffer, stage: string): [string, ...string[]] {
  const strings = new FieldReader(data, stage).cstrings();
  const [first, ...rest] = strings;
  if (first === undefined) throw new MilterProtocolError(stage, 'missing address');
  return [first, ...rest];
}

/** Encode one MTA command as a whole packet (length prefix included). */
export function encodeCommand(command: MilterCommand): Buffer {
  switch (command.type) {
    case 'optneg':
      return encodePacket(CMD.OPTNEG, Buffer.concat([
        uint32(command.version), uint32(command.actions), uint32(command.protocol),
      ]));
    case 'macro':
      return encodePacket(CMD.MACRO, Buffer.concat([
        Buffer.from(command.stage.slice(0, 1), 'latin1'),
        ...command.macros.flatMap(([name, value]) => [cstring(name), cstring(value)]),
      ]));
    case 'connect':
      return encodePacket(CMD.CONNECT, encodeConnect(command));
    case 'helo':
      return encodePacket(CMD.HELO, cstring(command.helo));
    case 'mail':
      return encodePacket(CMD.MAIL, encodeArgv(command.sender, command.args));
    case 'rcpt':
      return encodePacket(CMD.RCPT, encodeArgv(command.recipient, command.args));
    case 'data':
      return encodePacket(CMD.DATA);
    case 'header':
      return encodePacket(CMD.HEADER, Buffer.concat([cstring(command.name),
        cstring(command.value)]));
    case 'eoh':
      return encodePacket(CMD.EOH);
    case 'body':
      return encodePacket(CMD.BODY, command.chunk);
    case 'eob':
      return encodePacket(CMD.BODYEOB, command.chunk);
    case 'abort':
      return encodePacket(CMD.ABORT);
    case 'quit':
      return encodePacket(CMD.QUIT);
    case 'quitNc':
      return encodePacket(CMD.QUIT_NC);
    case 'unknown':
      return encodePacket(CMD.UNKNOWN, cstring(command.line));
  }
}

function encodeConnect(command: Extract<MilterCommand, { type: 'connect' }>): Buffer {
  const family = Buffer.from(CODE_BY_FAMILY[command.family], 'latin1');
  if (command.family === 'unknown') return Buffer.concat([cstring(command.hostname), family]);
  return Buffer.concat([
    cstring(command.hostname),
    family,
    uint16(command.port ?? 0),
    cstring(command.address ?? ''),
  ]);
}

function encodeArgv(first: string, rest: readonly string[]): Buffer {
  return Buffer.concat([cstring(first), ...rest.map((arg) => cstring(arg))]);
}
