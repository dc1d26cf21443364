/**
 * `outguard detect [--json] [--jsonl] [--reveal]` — findings in text read from stdin.
 *
 * Offsets are JavaScript string offsets (UTF-16 units) into the text as read. The clear value is
 * printed only with --reveal, for people tuning detectors on their own test data.
 */
import { createInterface } from 'node:readline';
import { detectAll } from '../detectors/index.js';
import type { Finding } from '../detectors/types.js';
import { CliError } from './runtime.js';

export interface DetectOptions {
  json?: boolean;
  jsonl?: boolean;
  reveal?: boolean;
}

export async function detectCommand(options: DetectOptions): Promise<void> {
  if (options.jsonl) return detectLines(options);
  const text = await readStdin();
  const findings = detectAll(text).map((f) => present(f, text, options.reveal));
  if (options.json) {
    process.stdout.write(JSON.stringify(findings) + '\n');
    return;
  }
  for (const f of findings) {
    process.stdout.write(`${f.type}\t${f.start}-${f.end}\t${f.confidence}\t${f.value ?? f.masked}\n`);
  }
}

/** One JSON string per input line in, one JSON array of findings per line out. */
async function detectLines(options: DetectOptions): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    let text: unknown;
    try {
      text = JSON.parse(line);
    } catch {
      throw new CliError(`line ${lineNumber}: not JSON`, 2);
    }
    if (typeof text !== 'string') throw new CliError(`line ${lineNumber}: expected a JSON string`, 2);
    const findings = detectAll(text).map((f) => present(f, text, options.reveal));
    process.stdout.write(JSON.stringify(findings) + '\n');
  }
}

function present(f: Finding, text: string, reveal = false) {
  return {
    type: f.type,
    start: f.start,
    end: f.end,
    confidence: f.confidence,
    masked: f.masked,
    ...(reveal ? { value: text.slice(f.start, f.end) } : {}),
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
