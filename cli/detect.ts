/**
 * `outguard detect [--json] [--jsonl] [--reveal] [--min-confidence LEVEL]` — findings in text read
 * from stdin, with the detector set the settings describe (types, dictionaries, patterns).
 *
 * Only findings at LEVEL or above are printed: `--min-confidence`, else the setting
 * `detection.minConfidence` (default medium). Each finding shows its confidence and, for a
 * dictionary word or a company pattern, the dictionary or pattern name (`label`).
 *
 * Offsets are JavaScript string offsets (UTF-16 units) into the text as read. The clear value is
 * printed only with --reveal, for people tuning detectors on their own test data.
 */
import { createInterface } from 'node:readline';
import { detectionFrom } from '../config/detection.js';
import { atLeast, type Confidence, type Finding } from '../detectors/types.js';
import { CliError, settings } from './runtime.js';

export interface DetectOptions {
  json?: boolean;
  jsonl?: boolean;
  reveal?: boolean;
  /** Checked by the command line parser (low, medium, high). */
  minConfidence?: Confidence;
}

export async function detectCommand(options: DetectOptions): Promise<void> {
  const { config, file } = settings();
  const detection = detectionFrom(config, file);
  const min = options.minConfidence ?? config.detection.minConfidence;
  const findingsIn = (text: string) =>
    atLeast(detection.detect(text), min).map((f) => present(f, text, options.reveal));
  if (options.jsonl) return detectLines(findingsIn);
  const findings = findingsIn(await readStdin());
  if (options.json) {
    process.stdout.write(JSON.stringify(findings) + '\n');
    return;
  }
  for (const f of findings) {
    const type = f.label === undefined ? f.type : `${f.type}:${f.label}`;
    process.stdout.write(`${type}\t${f.start}-${f.end}\t${f.confidence}\t${f.value ?? f.masked}\n`);
  }
}

/** One JSON string per input line in, one JSON array of findings per line out. */
async function detectLines(findingsIn: (text: string) => ReturnType<typeof present>[]): Promise<void> {
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
    process.stdout.write(JSON.stringify(findingsIn(text)) + '\n');
  }
}

function present(f: Finding, text: string, reveal = false) {
  return {
    type: f.type,
    ...(f.label !== undefined ? { label: f.label } : {}),
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
