/**
 * OPTNEG: what we ask the MTA for, and what we settle on given what it offers.
 *
 * We never ask for more than was offered (Postfix fails the milter on "request mask conflict",
 * Sendmail likewise), never answer a higher version than offered ("protocol version conflict"),
 * and never use NO* flags: connect and HELO data are cheap and belong in the audit record. When
 * the MTA offers less than we want we carry on with less and say so; negotiation has no error
 * packet.
 */
import type { SymbolList } from './codec-replies.js';
import type { MilterReply } from './codec-replies.js';
import { ACTION, MACRO_STAGE, MILTER_MIN_VERSION, MILTER_VERSION, PROTO } from './constants.js';

/** What the MTA offers in its OPTNEG command. */
export interface MilterOffer {
  readonly version: number;
  readonly actions: number;
  readonly protocol: number;
}

/** What both sides agreed on; flags not in here are not used on this connection. */
export interface Negotiated {
  readonly version: number;
  readonly actions: number;
  readonly protocol: number;
}

/** Add, insert and change headers, hold mail, and choose our own macros. */
export const WANTED_ACTIONS =
  ACTION.ADDHDRS | ACTION.CHGHDRS | ACTION.QUARANTINE | ACTION.SETSYMLIST;

/**
 * No reply per header or body chunk (the verdict comes at end of message anyway), and header
 * values with their leading space so the raw message can be rebuilt exactly.
 */
export const WANTED_PROTOCOL = PROTO.NR_HDR | PROTO.NR_BODY | PROTO.HDR_LEADSPC;

/**
 * Macros we request when the MTA lets us choose (SMFIF_SETSYMLIST). At end of message: the
 * queue id for the record, the SASL login and the listener for policy and loop avoidance, the
 * client for audit. At MAIL: enough to skip a whole message early (service account, null
 * sender). Postfix leaves out macros that have no value.
 */
export const SYMBOL_LISTS: readonly SymbolList[] = [
  { stage: MACRO_STAGE.ENVFROM, macros: ['i', '{auth_authen}', '{mail_addr}'] },
  {
    stage: MACRO_STAGE.EOM,
    macros: [
      'i',
      '{auth_authen}',
      '{daemon_name}',
      '{daemon_port}',
      '{client_addr}',
      '{client_name}',
    ],
  },
];

/** A wanted feature the MTA did not offer, and what we do without it. */
export interface Degradation {
  readonly feature: string;
  readonly effect: string;
}

export interface Negotiation {
  readonly granted: Negotiated;
  readonly reply: Extract<MilterReply, { type: 'optneg' }>;
  readonly degraded: readonly Degradation[];
}

const ACTION_FEATURES: readonly [number, string, string][] = [
  [ACTION.QUARANTINE, 'SMFIF_QUARANTINE', 'holds are sent as tempfail'],
  [ACTION.ADDHDRS, 'SMFIF_ADDHDRS', 'header additions are dropped'],
  [ACTION.CHGHDRS, 'SMFIF_CHGHDRS', 'header changes are dropped'],
  [ACTION.SETSYMLIST, 'SMFIF_SETSYMLIST', 'macros are whatever the MTA is configured to send'],
];

const PROTOCOL_FEATURES: readonly [number, string, string][] = [
  [PROTO.NR_HDR, 'SMFIP_NR_HDR', 'replying to every header'],
  [PROTO.NR_BODY, 'SMFIP_NR_BODY', 'replying to every body chunk'],
  [PROTO.HDR_LEADSPC, 'SMFIP_HDR_LEADSPC', 'leading space of header values is restored by rule'],
];

/**
 * Settle the connection's parameters. Returns null when the MTA's version is below 2: there is
 * nothing to negotiate with, and the caller closes the connection.
 */
export function negotiate(offer: MilterOffer): Negotiation | null {
  if (offer.version < MILTER_MIN_VERSION) return null;
  const version = Math.min(MILTER_VERSION, offer.version);
  // SETSYMLIST is a version 6 action; never claim it on an older protocol.
  const wantedActions = version >= 6 ? WANTED_ACTIONS : WANTED_ACTIONS & ~ACTION.SETSYMLIST;
  const actions = (wantedActions & offer.actions) >>> 0;
  const protocol = (WANTED_PROTOCOL & offer.protocol) >>> 0;
  const symlists = actions & ACTION.SETSYMLIST ? SYMBOL_LISTS : [];
  return {
    granted: { version, actions, protocol },
    reply: { type: 'optneg', version, actions, protocol, symlists },
    degraded: degradations(version, actions, protocol),
  };
}

function degradations(version: number, actions: number, protocol: number): Degradation[] {
  const out: Degradation[] = [];
  if (version < MILTER_VERSION) {
    out.push({ feature: 'protocol version 6', effect: 'no progress packets during slow scans' });
  }
  for (const [bit, feature, effect] of ACTION_FEATURES) {
    if (!(actions & bit)) out.push({ feature, effect });
  }
  for (const [bit, feature, effect] of PROTOCOL_FEATURES) {
    if (!(protocol & bit)) out.push({ feature, effect });
  }
  return out;
}
