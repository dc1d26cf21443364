/**
 * Listen addresses, written the way Postfix writes milter endpoints: `inet:HOST:PORT` or
 * `unix:PATH`. The web service takes `HOST:PORT` (or the same `inet:` form).
 */

export type ListenAddress =
  | { readonly kind: 'inet'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly path: string };

/** Parse a listen address; throws an Error whose message says what was expected. */
export function parseListen(text: string, options: { allowBare?: boolean } = {}): ListenAddress {
  if (text.startsWith('unix:')) {
    const path = text.slice('unix:'.length);
    if (!path.startsWith('/')) throw new Error(`unix socket path must be absolute, got "${path}"`);
    return { kind: 'unix', path };
  }
  let rest: string;
  if (text.startsWith('inet:')) rest = text.slice('inet:'.length);
  else if (options.allowBare) rest = text;
  else throw new Error(`expected inet:HOST:PORT or unix:/PATH, got "${text}"`);
  // Bracketed IPv6 ([::1]:10030) or host:port split at the last colon.
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(rest);
  if (!match) throw new Error(`expected HOST:PORT, got "${rest}"`);
  const host = (match[1] ?? match[2]) as string;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) throw new Error(`port out of range: ${port}`);
  return { kind: 'inet', host, port };
}

export function formatListen(address: ListenAddress): string {
  if (address.kind === 'unix') return `unix:${address.path}`;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `inet:${host}:${address.port}`;
}
