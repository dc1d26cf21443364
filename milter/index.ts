/**
 * Public face of the milter layer: start a server with a handler, or drive the codec directly
 * (benchmarks, the fake MTA in tests). Everything else in this folder is internal.
 */
export type * from './types.js';
export { startMilterServer, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_CLOSE_GRACE_MS } from './server.js';
export type { MilterServer, MilterServerOptions } from './server.js';
export {
  MilterSession,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_PROGRESS_INTERVAL_MS,
} from './session.js';
export type { SessionIo, SessionOptions } from './session.js';
export { DEFAULT_SPOOL_FROM_BYTES, loadRaw, prepareSpool, rawSize, SpoolError } from './spool.js';
export type { RawMessage, SpooledMessage, SpoolOptions } from './spool.js';
export {
  decodeCommand,
  encodeCommand,
  decodeReply,
  encodeReply,
  encodePacket,
  decodeText,
  PacketReader,
  MilterProtocolError,
} from './codec.js';
export type {
  MacroPair,
  MilterCommand,
  MilterCommandType,
  MilterReply,
  MilterReplyType,
  RawPacket,
  SymbolList,
} from './codec.js';
export { negotiate, WANTED_ACTIONS, WANTED_PROTOCOL, SYMBOL_LISTS } from './negotiate.js';
export type { MilterOffer, Negotiated, Negotiation, Degradation } from './negotiate.js';
export {
  smtpReplyText,
  sanitizeQuarantineReason,
  headerValueForMta,
  MAX_QUARANTINE_REASON_BYTES,
} from './verdict.js';
export * from './constants.js';
