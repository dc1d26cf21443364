/**
 * 7z and RAR archives, through Debian's `7z` (p7zip-full, which is 7-Zip 26 in a 16.02 package
 * name). No maintained npm package reads 7z or RAR without native code, and 7-Zip is the
 * reference reader for both.
 *
 * RAR: the Debian build has no RAR codec (DFSG), so it lists RAR archives and extracts stored
 * entries, but not compressed ones: those are reported `unsupported-format` per entry.
 *
 * How, and why so:
 *   - the archive is written to a private temporary folder (mkdtemp, mode 0700) and always
 *     removed afterwards;
 *   - `7z l -slt` lists it first; entries flagged encrypted are reported, never extracted, and
 *     an archive whose listing is itself encrypted fails at once (an empty `-p` password and no
 *     stdin, so 7z never waits for a password) and is EncryptedFile;
 *   - the listed sizes are checked (ratio per solid block, entry count, decompressed bytes) and
 *     charged to the budget before anything is written, since the writing happens outside us;
 *   - extraction runs under `ulimit -f` of the largest declared size, so an entry that inflates
 *     past what the listing claimed is killed by the kernel rather than filling the disk;
 *   - both runs get the time left in the budget and are killed (SIGKILL) when it runs out;
 *   - only regular files inside the folder are read back: links in an archive are skipped;
 *   - entries that share a path are not read (extraction would overwrite one with another);
 *   - an error line names its entry by the entry's listed path (paths may hold " : "); a failed
 *     run whose errors name no known entry makes the archive unreadable, and a file read back at
 *     another size than listed is unreadable at its path.
 */
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { lstat, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import {
  EncryptedFile,
  LimitExceeded,
  type Budget,
  type ExtractContext,
  type ExtractResult,
  type Extractor,
  type FileProblem,
  type InnerFile,
} from './types.js';
import { RATIO_FLOOR_BYTES } from './zip-reader.js';

export const sevenZipExtractor: Extractor = {
  kinds: ['7z', 'rar'],
  extract: readSevenZip,
};

/** A listing longer than this (a million entries) is not parsed: 32 MiB of `Path = …` lines. */
const MAX_LISTING_BYTES = 32 * 1024 * 1024;

const MAX_STDERR_BYTES = 64 * 1024;

interface ArchiveType {
  readonly switch: string;
  readonly label: string;
}

interface ListedEntry {
  readonly path: string;
  readonly size: number;
  readonly packed: number | null;
  readonly folder: boolean;
  readonly link: boolean;
  readonly encrypted: boolean;
  /** Solid block number (7z); entries of one block are compressed together. */
  readonly block: string | null;
}

interface Listing {
  readonly entries: ListedEntry[];
  /** Why 7z called the archive damaged while still listing it; null when it did not. */
  readonly damage: string | null;
}

async function readSevenZip(bytes: Buffer, context: ExtractContext): Promise<ExtractResult> {
  const type = archiveType(bytes);
  const { budget } = context;
  budget.checkTime();
  const dir = await mkdtemp(join(tmpdir(), 'outguard-7z-'));
  try {
    const archive = join(dir, 'archive');
    await writeFile(archive, bytes, { mode: 0o600 });
    const listed = await list(archive, type, budget);
    if (listed === null) {
      const problem: FileProblem = { code: 'unsupported-format', where: '', detail: '7z is not installed' };
      return { pieces: [], children: [], problems: [problem] };
    }
    const problems: FileProblem[] = [];
    if (listed.damage !== null) {
      const detail = `${type.label} archive is damaged: ${listed.damage}`;
      problems.push({ code: 'unreadable', where: '', detail });
    }
    const selected = select(listed.entries, bytes.length, budget, problems);
    const children =
      selected.length === 0 ? [] : await extract(archive, dir, type, selected, budget, problems);
    return { pieces: [], children, problems };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function archiveType(bytes: Buffer): ArchiveType {
  if (bytes.length >= 6 && bytes.readUInt32BE(0) === 0x377abcaf && bytes.readUInt16BE(4) === 0x271c) {
    return { switch: '-t7z', label: '7z' };
  }
  if (bytes.length >= 7 && bytes.toString('latin1', 0, 6) === 'Rar!\x1a\x07') {
    return bytes[6] === 0x01 ? { switch: '-trar5', label: 'RAR' } : { switch: '-trar', label: 'RAR' };
  }
  throw new Error('not a 7z or RAR archive');
}

// ---- listing -------------------------------------------------------------------------------

async function list(archive: string, type: ArchiveType, budget: Budget): Promise<Listing | null> {
  const run = await run7z(['l', '-slt', '-p', '-sccUTF-8', type.switch, '--', archive], budget, null);
  if (run === null) return null;
  const output = run.stdout.toString('utf8');
  const text = `${output}\n${run.stderr}`;
  if (/Wrong password|Cannot open encrypted archive/i.test(text)) {
    throw new EncryptedFile(`${type.label} archive is encrypted (file names included)`);
  }
  if (run.overflow) {
    const detail = `${type.label} archive listing is larger than ${MAX_LISTING_BYTES} bytes`;
    throw new LimitExceeded('entries', detail);
  }
  const separator = output.indexOf('\n----------\n');
  if (separator < 0) {
    throw new Error(`${type.label} archive cannot be opened: ${errorReason(text) ?? 'unknown error'}`);
  }
  const entries = parseListing(output.slice(separator + 12));
  const damage = run.code === 0 ? null : (errorReason(text) ?? 'listing ended with errors');
  return { entries, damage };
}

function parseListing(text: string): ListedEntry[] {
  const entries: ListedEntry[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const at = line.indexOf(' = ');
      if (at > 0) fields.set(line.slice(0, at), line.slice(at + 3));
    }
    const path = fields.get('Path');
    if (path === undefined || path === '') continue;
    const attributes = fields.get('Attributes') ?? '';
    const packed = fields.get('Packed Size');
    entries.push({
      path: path.replace(/\\/g, '/'),
      size: Number(fields.get('Size') ?? '0') || 0,
      packed: packed === undefined || packed === '' ? null : Number(packed) || 0,
      folder: fields.get('Folder') === '+' || attributes.startsWith('D'),
      link: /(^|\s)l[rwxsStT-]{9}/.test(attributes),
      encrypted: fields.get('Encrypted') === '+',
      block: fields.get('Block') || null,
    });
  }
  return entries;
}

/** The first line 7z prints under ERRORS: or after ERROR:, without the archive's path. */
function errorReason(text: string): string | null {
  const lines = text.split('\n').map((l) => l.trim());
  const errorsAt = lines.findIndex((l) => l === 'ERRORS:');
  const candidate = errorsAt >= 0 ? lines[errorsAt + 1] : lines.find((l) => l.startsWith('Open ERROR:'));
  if (!candidate) return null;
  return candidate.replace(/^Open ERROR:\s*/, '').slice(0, 80);
}

// ---- choosing what to extract --------------------------------------------------------------

/**
 * The entries to extract, with every refusal recorded: encrypted entries, blocks past the
 * ratio limit, and whatever comes after a limit of the whole message.
 */
function select(
  entries: readonly ListedEntry[],
  archiveBytes: number,
  budget: Budget,
  problems: FileProblem[],
): ListedEntry[] {
  const all = entries.filter((e) => !e.folder && !e.link);
  // Entries sharing a path overwrite one another on extraction, so what is read back would be
  // the survivor counted twice; 7z can only pick entries by name, so they are not read at all.
  const counts = new Map<string, number>();
  for (const entry of all) counts.set(entry.path, (counts.get(entry.path) ?? 0) + 1);
  for (const [path, count] of counts) {
    if (count < 2) continue;
    const detail = `${count} archive entries share this path; none is read`;
    problems.push({ code: 'unsupported-format', where: '', path, detail });
  }
  const files = all.filter((e) => counts.get(e.path) === 1);
  const overRatio = blocksOverRatio(files, archiveBytes, budget.limits.maxCompressionRatio);
  const chosen: ListedEntry[] = [];
  for (const entry of files) {
    if (entry.encrypted) {
      problems.push({ code: 'encrypted', where: '', path: entry.path, detail: 'archive entry is encrypted' });
      continue;
    }
    if (overRatio.has(groupOf(entry))) {
      const detail = `compression ratio over the ${budget.limits.maxCompressionRatio}:1 limit`;
      problems.push({ code: 'limit-exceeded', where: '', path: entry.path, detail });
      continue;
    }
    try {
      budget.takeEntry();
      budget.takeDecompressed(entry.size);
    } catch (err) {
      if (!(err instanceof LimitExceeded)) throw err;
      problems.push({ code: 'limit-exceeded', where: '', path: entry.path, detail: err.message });
      break;
    }
    chosen.push(entry);
  }
  return chosen;
}

function groupOf(entry: ListedEntry): string {
  return entry.block === null ? `entry:${entry.path}` : `block:${entry.block}`;
}

/**
 * Groups (a solid block, or a single entry) whose declared output is over the ratio limit. A
 * 7z listing gives a block's packed size on its first entry only; when no packed size is known
 * at all, the whole archive's size stands in.
 */
function blocksOverRatio(
  entries: readonly ListedEntry[],
  archiveBytes: number,
  maxRatio: number,
): Set<string> {
  const groups = new Map<string, { size: number; packed: number }>();
  for (const entry of entries) {
    const group = groups.get(groupOf(entry)) ?? { size: 0, packed: 0 };
    group.size += entry.size;
    group.packed += entry.packed ?? 0;
    groups.set(groupOf(entry), group);
  }
  const over = new Set<string>();
  for (const [key, group] of groups) {
    const packed = group.packed > 0 ? group.packed : archiveBytes;
    if (group.size > RATIO_FLOOR_BYTES && group.size > packed * maxRatio) over.add(key);
  }
  return over;
}

// ---- extraction ----------------------------------------------------------------------------

async function extract(
  archive: string,
  dir: string,
  type: ArchiveType,
  entries: readonly ListedEntry[],
  budget: Budget,
  problems: FileProblem[],
): Promise<InnerFile[]> {
  const out = join(dir, 'out');
  const listFile = join(dir, 'list.txt');
  await writeFile(listFile, `${entries.map((e) => e.path).join('\n')}\n`, { mode: 0o600 });
  const largest = Math.max(...entries.map((e) => e.size), 1);
  // -spd: names are literal, never wildcards; -i@: only the entries chosen from the listing.
  const args = ['x', '-y', '-bd', '-p', '-sccUTF-8', '-scsUTF-8', '-spd', type.switch];
  args.push(`-o${out}`, `-i@${listFile}`, '--', archive);
  const run = await run7z(args, budget, largest);
  if (run === null) throw new Error('7z is not installed');
  if (run.signal === 'SIGXFSZ') {
    const detail = 'an entry grew past the size the archive declared';
    problems.push({ code: 'limit-exceeded', where: '', detail });
  }
  const { failed, unmatched } = entryErrors(run.stderr, entries);
  // A failed run that names no entry we know (or none at all) leaves every file in doubt.
  if (run.code !== 0 && run.signal !== 'SIGXFSZ' && (unmatched > 0 || failed.size === 0)) {
    problems.push({ code: 'unreadable', where: '', detail: `7z exited with status ${run.code ?? 'none'}` });
  }
  const children: InnerFile[] = [];
  for (const entry of entries) {
    const reason = failed.get(entry.path);
    if (reason !== undefined) {
      problems.push(reason);
      continue;
    }
    const file = await readBack(out, entry);
    if ('bytes' in file) children.push(file);
    else problems.push(file.problem);
  }
  return children;
}

/**
 * `ERROR: <reason> : <path>` lines, as problems by path. A path may itself hold " : ", so the
 * line is matched against the entries' own paths (the longest that ends it) rather than split.
 * `unmatched` counts error lines that name no known entry.
 */
function entryErrors(
  stderr: string,
  entries: readonly ListedEntry[],
): { failed: Map<string, FileProblem>; unmatched: number } {
  const failed = new Map<string, FileProblem>();
  const paths = [...new Set(entries.map((e) => e.path))].sort((a, b) => b.length - a.length);
  let unmatched = 0;
  for (const raw of stderr.split('\n')) {
    const line = raw.replace(/\r$/, '').replace(/\\/g, '/');
    if (!line.startsWith('ERROR: ')) continue;
    const path = paths.find((p) => line.endsWith(` : ${p}`));
    if (path === undefined) {
      unmatched += 1;
      continue;
    }
    const reason = line.slice(7, line.length - path.length - 3).trim();
    if (/Unsupported Method/i.test(reason)) {
      const detail = 'compression method not available in this 7z build (no RAR codec)';
      failed.set(path, { code: 'unsupported-format', where: '', path, detail });
    } else if (/Wrong password|encrypted/i.test(reason)) {
      failed.set(path, { code: 'encrypted', where: '', path, detail: 'archive entry is encrypted' });
    } else {
      failed.set(path, { code: 'unreadable', where: '', path, detail: `7z: ${reason.slice(0, 60)}` });
    }
  }
  return { failed, unmatched };
}

async function readBack(out: string, entry: ListedEntry): Promise<InnerFile | { problem: FileProblem }> {
  const { path } = entry;
  const target = resolve(out, path);
  if (!target.startsWith(out + sep)) {
    return { problem: { code: 'unreadable', where: '', path, detail: 'entry path leaves the archive' } };
  }
  const stat = await lstat(target).catch(() => null);
  if (stat === null || !stat.isFile()) {
    return { problem: { code: 'unreadable', where: '', path, detail: 'entry was not extracted' } };
  }
  if (stat.size > entry.size) {
    const detail = `entry inflates past its declared size of ${entry.size} bytes`;
    return { problem: { code: 'limit-exceeded', where: '', path, detail } };
  }
  if (stat.size !== entry.size) {
    // 7z leaves a short (often empty) file behind for an entry it could not write whole.
    const detail = `extracted ${stat.size} of ${entry.size} listed bytes`;
    return { problem: { code: 'unreadable', where: '', path, detail } };
  }
  return { path: entry.path, bytes: await readFile(target) };
}

// ---- running 7z ----------------------------------------------------------------------------

interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly overflow: boolean;
}

/**
 * Runs 7z with no stdin, the budget's time left as a hard timeout, and, when `maxFileBytes` is
 * given, a file-size rlimit (dash counts `ulimit -f` in 512-byte blocks, bash in 1024: either
 * way the bound holds). Resolves null when 7z is not installed.
 */
function run7z(
  args: readonly string[],
  budget: Budget,
  maxFileBytes: number | null,
): Promise<RunResult | null> {
  const timeout = budget.timeLeft();
  if (timeout <= 0) throw new LimitExceeded('time', 'no time left to run 7z');
  const blocks = String(Math.ceil((maxFileBytes ?? 0) / 512) + 1);
  const [command, argv] =
    maxFileBytes === null
      ? ['7z', [...args]]
      : ['/bin/sh', ['-c', 'ulimit -f "$1" && shift && exec "$@"', 'sh', blocks, '7z', ...args]];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    let overflow = false;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeout);
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > MAX_LISTING_BYTES) {
        overflow = true;
        child.kill('SIGKILL');
      } else stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderrBytes += chunk.length;
      if (stderrBytes <= MAX_STDERR_BYTES) stderr.push(chunk);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err.code === 'ENOENT') resolvePromise(null);
      else reject(new Error(`7z could not be started (${err.code ?? 'error'})`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(new LimitExceeded('time', 'the time budget ran out while 7z was working'));
        return;
      }
      const errText = Buffer.concat(stderr).toString('utf8');
      // Through /bin/sh, a missing 7z is the shell's "not found" (127) rather than ENOENT.
      if (code === 127 && /not found/i.test(errText)) {
        resolvePromise(null);
        return;
      }
      resolvePromise({ code, signal, stdout: Buffer.concat(stdout), stderr: errText, overflow });
    });
  });
}
