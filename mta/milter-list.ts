/**
 * Postfix milter lists (`smtpd_milters`, `non_smtpd_milters`) and milter addresses.
 *
 * A list holds addresses separated by commas or whitespace. From Postfix 3.0 an entry can be a
 * group with per-milter settings that override the main.cf defaults:
 * `{ inet:127.0.0.1:10030, default_action=quarantine, content_timeout=60s }`.
 * Addresses are `inet:HOST:PORT` (IPv6 hosts in brackets) or `unix:PATH`; Postfix also takes
 * Sendmail's `local:PATH`. Postfix daemons work in the queue directory, so a relative unix path
 * is relative to it, and a chrooted smtpd or cleanup (Debian's default) reads even an absolute
 * path inside it (MILTER_README).
 */
import path from 'node:path';
import { parseListen, type ListenAddress } from '../config/listen.js';

export interface MilterListEntry {
  /** The address exactly as written. */
  readonly address: string;
  /** Per-milter settings from a `{ … }` group, e.g. `default_action`. */
  readonly settings: Readonly<Record<string, string>>;
}

/** Split a milter list into entries; groups keep their settings. */
export function parseMilterList(value: string): MilterListEntry[] {
  const entries: MilterListEntry[] = [];
  let rest = value.trim();
  while (rest !== '') {
    if (rest.startsWith('{')) {
      const close = rest.indexOf('}');
      const body = close < 0 ? rest.slice(1) : rest.slice(1, close);
      rest = close < 0 ? '' : rest.slice(close + 1);
      const parts = splitList(body);
      const [address, ...options] = parts;
      if (address) entries.push({ address, settings: parseSettings(options) });
    } else {
      const match = /^[^\s,{]+/.exec(rest);
      const token = match ? match[0] : rest;
      entries.push({ address: token, settings: {} });
      rest = rest.slice(token.length);
    }
    rest = rest.replace(/^[\s,]+/, '');
  }
  return entries;
}

function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((t) => t !== '');
}

function parseSettings(options: readonly string[]): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const option of options) {
    const eq = option.indexOf('=');
    if (eq > 0) settings[option.slice(0, eq).trim()] = option.slice(eq + 1).trim();
  }
  return settings;
}

/** Render entries back into main.cf syntax. */
export function formatMilterList(entries: readonly MilterListEntry[]): string {
  return entries
    .map((e) => {
      const settings = Object.entries(e.settings).map(([k, v]) => `${k}=${v}`);
      return settings.length === 0 ? e.address : `{ ${[e.address, ...settings].join(', ')} }`;
    })
    .join(', ');
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '0:0:0:0:0:0:0:1']);
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '*', '']);

/**
 * The address Postfix should use to reach a milter listening on `listen` (Outguard's
 * `milter.listen`). A wildcard listener is reached over loopback.
 */
export function postfixMilterAddress(listen: string): string {
  const address = parseListen(listen);
  if (address.kind === 'unix') return `unix:${address.path}`;
  const host = WILDCARD_HOSTS.has(address.host) ? '127.0.0.1' : address.host;
  return host.includes(':') ? `inet:[${host}]:${address.port}` : `inet:${host}:${address.port}`;
}

/**
 * True when the Postfix milter address `entry` reaches a milter listening on `listen`.
 * Loopback spellings are equivalent to each other; a wildcard listener matches any host on its
 * port. `queueDirectory` resolves relative unix paths.
 */
export function milterAddressMatches(
  entry: string,
  listen: string,
  queueDirectory = '/var/spool/postfix',
): boolean {
  const ours = parseListen(listen);
  const theirs = parsePostfixMilterAddress(entry, queueDirectory);
  if (!theirs) return false;
  if (ours.kind === 'unix' || theirs.kind === 'unix') {
    if (ours.kind !== 'unix' || theirs.kind !== 'unix') return false;
    // A chrooted smtpd or cleanup reads an absolute path inside the queue directory.
    return ours.path === theirs.path || ours.path === path.join(queueDirectory, theirs.path);
  }
  if (ours.port !== theirs.port) return false;
  const a = ours.host.toLowerCase();
  const b = theirs.host.toLowerCase();
  if (WILDCARD_HOSTS.has(a)) return true;
  return a === b || (LOOPBACK_HOSTS.has(a) && LOOPBACK_HOSTS.has(b));
}

function parsePostfixMilterAddress(entry: string, queueDirectory: string): ListenAddress | null {
  const unix = /^(?:unix|local):(.+)$/.exec(entry);
  if (unix) return { kind: 'unix', path: path.resolve(queueDirectory, unix[1] as string) };
  try {
    return parseListen(entry);
  } catch {
    return null;
  }
}
