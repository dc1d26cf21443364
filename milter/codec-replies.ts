/**
 * Typed milter replies (milter → MTA) and their byte encodings.
 *
 * The session encodes these; the fake MTA in `test/support/milter-client.ts` and the benchmarks
 * decode them. Strings are written as UTF-8 with a NUL terminator. Checking that a reply is
 * *allowed* (a valid SMTP code, a clean quarantine reason, LF-only folding) is `verdict.ts`'s
 * job; this layer encodes whatever it is given.
 */
import { REPLY } from './constants.js';
import { MilterProtocolError } from './errors.js';
import { FieldReader, cstring, encodePacket, uint32 } from './framing.js';
import type { RawPacket } from './framing.js';

/** One setsymlist entry of the OPTNEG reply: the macros wanted at one stage (SMFIM_*). */
export interface SymbolList {
  readonly stage: number;
  readonly macros: readonly string[];
}

type Bare<T extends string> = { readonly type: T };

export type MilterReply =
  | { readonly type: 'optneg'; readonly version: number; readonly actions: number;
      readonly protocol: number; readonly symlists: readonly SymbolList[] }
  | Bare<'continue'> | Bare<'accept'> | Bare<'reject'> | Bare<'tempfail'> | Bare<'discard'>
  | Bare<'skip'> | Bare<'progress'> | Bare<'connFail'> | Bare<'shutdown'>
  /** A full SMTP reply, e.g. `550 5.7.1 text`, lines joined by CRLF. */
  | { readonly type: 'replyCode'; readonly text: string }
  | { readonly type: 'quarantine'; readonly reason: string }
  | { readonly type: 'addHeader'; readonly name: string; readonly value: string }
  | { readonly type: 'insertHeader'; readonly index: number; readonly name: string;
      readonly value: string }
  | { readonly type: 'changeHeader'; readonly index: number; readonly name: string;
      readonly value: string }
  | { readonly type: 'replaceBody'; readonly chunk: Buffer }
  | { readonly type: 'addRcpt'; readonly recipient: string }
  | { readonly type: 'addRcptPar'; readonly recipient: string; readonly args: string | null }
  | { readonly type: 'delRcpt'; readonly recipient: string }
  | { readonly type: 'chgFrom'; readonly sender: string; readonly args: string | null };

export type MilterReplyType = MilterReply['type'];

/** Replies that carry no data, by code. */
const BARE_REPLIES = {
  [REPLY.CONTINUE]: 'continue',
  [REPLY.ACCEPT]: 'accept',
  [REPLY.REJECT]: 'reject',
  [REPLY.TEMPFAIL]: 'tempfail',
  [REPLY.DISCARD]: 'discard',
  [REPLY.SKIP]: 'skip',
  [REPLY.PROGRESS]: 'progress',
  [REPLY.CONN_FAIL]: 'connFail',
  [REPLY.SHUTDOWN]: 'shutdown',
} as const;

type BareType = (typeof BARE_REPLIES)[keyof typeof BARE_REPLIES];

const BARE_CODES = Object.fromEntries(
  Object.entries(BARE_REPLIES).map(([code, type]) => [type, code]),
) as Record<BareType, string>;

/** Encode one reply as a whole packet (length prefix included). */
export function encodeReply(reply: MilterReply): Buffer {
  switch (reply.type) {
    case 'optneg':
      return encodePacket(REPLY.OPTNEG, encodeOptneg(reply));
    case 'replyCode':
      return encodePacket(REPLY.REPLYCODE, cstring(reply.text));
    case 'quarantine':
      return encodePacket(REPLY.QUARANTINE, cstring(reply.reason));
    case 'addHeader':
      return encodePacket(REPLY.ADDHEADER, strings(reply.name, reply.value));
    case 'insertHeader':
      return encodePacket(REPLY.INSHEADER, Buffer.concat([uint32(reply.index),
        strings(reply.name, reply.value)]));
    case 'changeHeader':
      return encodePacket(REPLY.CHGHEADER, Buffer.concat([uint32(reply.index),
        strings(reply.name, reply.value)]));
    case 'replaceBody':
      return encodePacket(REPLY.REPLBODY, reply.chunk);
    case 'addRcpt':
      return encodePacket(REPLY.ADDRCPT, cstring(reply.recipient));
    case 'addRcptPar':
      return encodePacket(REPLY.ADDRCPT_PAR, strings(reply.recipient, reply.args));
    case 'delRcpt':
      return encodePacket(REPLY.DELRCPT, cstring(reply.recipient));
    case 'chgFrom':
      return encodePacket(REPLY.CHGFROM, strings(reply.sender, reply.args));
    default:
      return encodePacket(BARE_CODES[reply.type]);
  }
}

function encodeOptneg(reply: Extract<MilterReply, { type: 'optneg' }>): Buffer {
  return Buffer.concat([
    uint32(reply.version),
    uint32(reply.actions),
    uint32(reply.protocol),
    ...reply.symlists.flatMap((list) => [uint32(list.stage), cstring(list.macros.join(' '))]),
  ]);
}

function strings(...values: readonly (string | null)[]): Buffer {
  return Buffer.concat(values.filter((v): v is string => v !== null).map((v) => cstring(v)));
}

/** Decode one packet from a milter. Throws `MilterProtocolError` on any malformed field. */
export function decodeReply(packet: RawPacket): MilterReply {
  const bare = (BARE_REPLIES as Readonly<Record<string, BareType>>)[packet.code];
  if (bare) return { type: bare };
  const decode = REPLY_DECODERS[packet.code];
  if (!decode) throw new MilterProtocolError('reply', 'unknown reply code');
  return decode(packet.data);
}

type Decoder = (data: Buffer) => MilterReply;

const REPLY_DECODERS: Readonly<Record<string, Decoder>> = {
  [REPLY.OPTNEG]: decodeOptneg,
  [REPLY.REPLYCODE]: (data) => ({ type: 'replyCode', text: single(data, 'replyCode') }),
  [REPLY.QUARANTINE]: (data) => ({ type: 'quarantine', reason: single(data, 'quarantine') }),
  [REPLY.ADDHEADER]: (data) => {
    const r = new FieldReader(data, 'addHeader');
    return finish(r, { type: 'addHeader', name: r.cstring(), value: r.cstring() });
  },
  [REPLY.INSHEADER]: (data) => {
    const r = new FieldReader(data, 'insertHeader');
    const index = r.uint32();
    return finish(r, { type: 'insertHeader', index, name: r.cstring(), value: r.cstring() });
  },
  [REPLY.CHGHEADER]: (data) => {
    const r = new FieldReader(data, 'changeHeader');
    const index = r.uint32();
    return finish(r, { type: 'changeHeader', index, name: r.cstring(), value: r.cstring() });
  },
  [REPLY.REPLBODY]: (data) => ({ type: 'replaceBody', chunk: data }),
  [REPLY.ADDRCPT]: (data) => ({ type: 'addRcpt', recipient: single(data, 'addRcpt') }),
  [REPLY.DELRCPT]: (data) => ({ type: 'delRcpt', recipient: single(data, 'delRcpt') }),
  [REPLY.ADDRCPT_PAR]: (data) => {
    const [recipient, args] = withOptionalArgs(data, 'addRcptPar');
    return { type: 'addRcptPar', recipient, args };
  },
  [REPLY.CHGFROM]: (data) => {
    const [sender, args] = withOptionalArgs(data, 'chgFrom');
    return { type: 'chgFrom', sender, args };
  },
};

function decodeOptneg(data: Buffer): MilterReply {
  const r = new FieldReader(data, 'optneg');
  const version = r.uint32();
  const actions = r.uint32();
  const protocol = r.uint32();
  const symlists: SymbolList[] = [];
  while (r.remaining > 0) {
    const stage = r.uint32();
    symlists.push({ stage, macros: r.cstring().split(' ').filter((name) => name !== '') });
  }
  return { type: 'optneg', version, actions, protocol, symlists };
}

function single(data: Buffer, stage: string): string {
  const r = new FieldReader(data, stage);
  const value = r.cstring();
  r.end();
  return value;
}

function withOptionalArgs(data: Buffer, stage: string): [string, string | null] {
  const r = new FieldReader(data, stage);
  const first = r.cstring();
  const args = r.remaining > 0 ? r.cstring() : null;
  r.end();
  return [first, args];
}

function finish<T extends MilterReply>(reader: FieldReader, reply: T): T {
  reader.end();
  return reply;
}
