/**
 * Milter protocol constants (version 6), as the MTA and libmilter define them.
 *
 * Every value keeps its libmilter name in a comment, so a search for `SMFIC_BODYEOB` or
 * `SMFIP_HDR_LEADSPC` lands here. Command and reply codes are the single ASCII characters that
 * travel as the packet's code byte. Nothing in this file has behaviour; limits that the codec
 * and the session enforce live at the bottom with their reasons.
 */

/** Highest protocol version we speak (libmilter SMFI_PROT_VERSION). */
export const MILTER_VERSION = 6;

/** Lowest version we accept: version 1 has no protocol mask to negotiate with. */
export const MILTER_MIN_VERSION = 2;

/** Commands the MTA sends (SMFIC_*). */
export const CMD = {
  ABORT: 'A', // SMFIC_ABORT
  BODY: 'B', // SMFIC_BODY
  CONNECT: 'C', // SMFIC_CONNECT
  MACRO: 'D', // SMFIC_MACRO
  BODYEOB: 'E', // SMFIC_BODYEOB
  HELO: 'H', // SMFIC_HELO
  QUIT_NC: 'K', // SMFIC_QUIT_NC (v6: quit, but a new OPTNEG follows on this socket)
  HEADER: 'L', // SMFIC_HEADER
  MAIL: 'M', // SMFIC_MAIL
  EOH: 'N', // SMFIC_EOH
  OPTNEG: 'O', // SMFIC_OPTNEG
  QUIT: 'Q', // SMFIC_QUIT
  RCPT: 'R', // SMFIC_RCPT
  DATA: 'T', // SMFIC_DATA
  UNKNOWN: 'U', // SMFIC_UNKNOWN
} as const;

export type CommandCode = (typeof CMD)[keyof typeof CMD];

/** Replies the milter sends (SMFIR_*). */
export const REPLY = {
  ADDRCPT: '+', // SMFIR_ADDRCPT
  DELRCPT: '-', // SMFIR_DELRCPT
  ADDRCPT_PAR: '2', // SMFIR_ADDRCPT_PAR (v6)
  SHUTDOWN: '4', // SMFIR_SHUTDOWN (421, close the SMTP connection)
  ACCEPT: 'a', // SMFIR_ACCEPT
  REPLBODY: 'b', // SMFIR_REPLBODY
  CONTINUE: 'c', // SMFIR_CONTINUE
  DISCARD: 'd', // SMFIR_DISCARD
  CHGFROM: 'e', // SMFIR_CHGFROM (v6)
  CONN_FAIL: 'f', // SMFIR_CONN_FAIL (Sendmail only)
  ADDHEADER: 'h', // SMFIR_ADDHEADER
  INSHEADER: 'i', // SMFIR_INSHEADER
  SETSYMLIST: 'l', // SMFIR_SETSYMLIST (defined; the lists travel in the OPTNEG reply)
  CHGHEADER: 'm', // SMFIR_CHGHEADER
  OPTNEG: 'O', // SMFIR_OPTNEG (same letter as the command)
  PROGRESS: 'p', // SMFIR_PROGRESS
  QUARANTINE: 'q', // SMFIR_QUARANTINE
  REJECT: 'r', // SMFIR_REJECT
  SKIP: 's', // SMFIR_SKIP (v6)
  TEMPFAIL: 't', // SMFIR_TEMPFAIL
  REPLYCODE: 'y', // SMFIR_REPLYCODE
} as const;

export type ReplyCode = (typeof REPLY)[keyof typeof REPLY];

/** Action bits: which message edits the milter may make (SMFIF_*). */
export const ACTION = {
  ADDHDRS: 0x01, // SMFIF_ADDHDRS (also covers INSHEADER)
  CHGBODY: 0x02, // SMFIF_CHGBODY
  ADDRCPT: 0x04, // SMFIF_ADDRCPT
  DELRCPT: 0x08, // SMFIF_DELRCPT
  CHGHDRS: 0x10, // SMFIF_CHGHDRS
  QUARANTINE: 0x20, // SMFIF_QUARANTINE
  CHGFROM: 0x40, // SMFIF_CHGFROM (v6)
  ADDRCPT_PAR: 0x80, // SMFIF_ADDRCPT_PAR (v6)
  SETSYMLIST: 0x100, // SMFIF_SETSYMLIST (v6)
} as const;

/** Protocol bits: events the milter does not want, or will not answer (SMFIP_*). */
export const PROTO = {
  NOCONNECT: 0x1, // SMFIP_NOCONNECT
  NOHELO: 0x2, // SMFIP_NOHELO
  NOMAIL: 0x4, // SMFIP_NOMAIL
  NORCPT: 0x8, // SMFIP_NORCPT
  NOBODY: 0x10, // SMFIP_NOBODY
  NOHDRS: 0x20, // SMFIP_NOHDRS
  NOEOH: 0x40, // SMFIP_NOEOH
  NR_HDR: 0x80, // SMFIP_NR_HDR (no reply to each header)
  NOUNKNOWN: 0x100, // SMFIP_NOUNKNOWN
  NODATA: 0x200, // SMFIP_NODATA
  SKIP: 0x400, // SMFIP_SKIP
  RCPT_REJ: 0x800, // SMFIP_RCPT_REJ
  NR_CONN: 0x1000, // SMFIP_NR_CONN
  NR_HELO: 0x2000, // SMFIP_NR_HELO
  NR_MAIL: 0x4000, // SMFIP_NR_MAIL
  NR_RCPT: 0x8000, // SMFIP_NR_RCPT
  NR_DATA: 0x10000, // SMFIP_NR_DATA
  NR_UNKN: 0x20000, // SMFIP_NR_UNKN
  NR_EOH: 0x40000, // SMFIP_NR_EOH
  NR_BODY: 0x80000, // SMFIP_NR_BODY (no reply to each body chunk)
  HDR_LEADSPC: 0x100000, // SMFIP_HDR_LEADSPC (header values keep their leading space)
} as const;

/** Macro stages used in a setsymlist request (SMFIM_*). */
export const MACRO_STAGE = {
  CONNECT: 0, // SMFIM_CONNECT
  HELO: 1, // SMFIM_HELO
  ENVFROM: 2, // SMFIM_ENVFROM
  ENVRCPT: 3, // SMFIM_ENVRCPT
  DATA: 4, // SMFIM_DATA
  EOM: 5, // SMFIM_EOM
  EOH: 6, // SMFIM_EOH
} as const;

/** Address family byte of a CONNECT packet (SMFIA_*). */
export const FAMILY = {
  UNKNOWN: 'U', // SMFIA_UNKNOWN (no port, no address follow)
  UNIX: 'L', // SMFIA_UNIX
  INET: '4', // SMFIA_INET
  INET6: '6', // SMFIA_INET6
} as const;

/**
 * Largest packet we accept by default (length field, code byte included). Postfix sends at most
 * 65,535 body bytes per packet and Sendmail at most 1 MiB with SMFIP_MDS_1M, which we never
 * request; anything bigger is a corrupt length field. Matches config `milter.maxPacketBytes`.
 */
export const DEFAULT_MAX_PACKET_BYTES = 1024 * 1024;

/** Most body bytes Postfix puts in one BODY packet (observed: 200 KB came as 3 × 65,535 + rest). */
export const MTA_BODY_CHUNK_BYTES = 65535;

/** Bytes of the length prefix in front of every packet. */
export const PACKET_HEADER_BYTES = 4;
