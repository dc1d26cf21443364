/**
 * The detector set the settings describe: `detection.types`, the company's dictionaries (inline
 * words and word files) and patterns, turned into `DetectionOptions` and compiled.
 *
 * Everything that can be wrong with them (a word file that is missing, unreadable or not UTF-8,
 * a pattern RE2 refuses, two dictionaries with one name) is a ConfigError with a one-line
 * message naming the dictionary or pattern, so `outguard start` and every command that scans
 * refuse to run with it (exit status 2), and a SIGHUP reload keeps the previous set.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createDetection } from '../detectors/index.js';
import {
  DetectionConfigError,
  type Detection,
  type DetectionOptions,
  type DictionarySpec,
} from '../detectors/types.js';
import { ConfigError } from './load.js';
import type { Config } from './schema.js';

/**
 * Largest word file we read. A list of 100,000 code names is about 2 MiB and builds a few
 * hundred MiB of matcher (detectors/detection.ts MAX_WORDS); a bigger file is most likely a
 * wrong path (a log, a dump).
 */
export const MAX_DICTIONARY_FILE_BYTES = 4 * 1024 * 1024;

type DictionarySetting = Config['detection']['dictionaries'][number];

/**
 * Options for `createDetection`. Relative word-file paths are taken from `configDir`, the
 * folder of the config file (default: the current folder, when settings came from defaults).
 */
export function detectionOptionsFrom(config: Config, configDir: string = process.cwd()): DetectionOptions {
  const { types, dictionaries, patterns } = config.detection;
  return {
    types,
    dictionaries: dictionaries.map((d) => dictionarySpec(d, configDir)),
    patterns: patterns.map((p) => ({
      name: p.name,
      regex: p.regex,
      ignoreCase: p.ignoreCase,
      confidence: p.confidence,
      mask: p.mask,
    })),
  };
}

/**
 * The compiled detector set for these settings. `file` is the config file they came from (null
 * for defaults only): it anchors relative word files and names the source in errors.
 */
export function detectionFrom(config: Config, file: string | null): Detection {
  return compileDetection(config, file).detection;
}

/**
 * The options and the detector set compiled from them, checked alike. The daemon keeps the
 * options to send to its scan workers, which compile their own set.
 */
export function compileDetection(
  config: Config,
  file: string | null,
): { readonly options: DetectionOptions; readonly detection: Detection } {
  const options = detectionOptionsFrom(config, file ? path.dirname(path.resolve(file)) : undefined);
  try {
    return { options, detection: createDetection(options) };
  } catch (err) {
    if (!(err instanceof DetectionConfigError)) throw err;
    throw new ConfigError(`bad setting detection: ${err.message} (${file ? `in ${file}` : 'default'})`);
  }
}

function dictionarySpec(setting: DictionarySetting, configDir: string): DictionarySpec {
  const fromFile = setting.file ? readWordFile(setting.name, path.resolve(configDir, setting.file)) : [];
  return {
    name: setting.name,
    words: [...new Set([...setting.words, ...fromFile])],
    confidence: setting.confidence,
    mask: setting.mask,
  };
}

/** One word a line; `#` at the start of a line (after spaces) makes it a comment. */
export function parseWordList(text: string): string[] {
  const words: string[] = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const word = line.trim();
    if (word !== '' && !word.startsWith('#')) words.push(word);
  }
  return words;
}

function readWordFile(dictionary: string, file: string): string[] {
  const fail = (why: string): never => {
    throw new ConfigError(`bad setting detection: dictionary "${dictionary}": ${file}: ${why}`);
  };
  let bytes: Buffer;
  try {
    const size = statSync(file).size;
    if (size > MAX_DICTIONARY_FILE_BYTES) fail(`${size} bytes, more than ${MAX_DICTIONARY_FILE_BYTES}`);
    bytes = readFileSync(file);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    return fail(readError(err));
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('not UTF-8 text (save the word list as UTF-8)');
  }
  return parseWordList(text);
}

const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'file not found',
  EACCES: 'permission denied',
  EISDIR: 'is a folder, not a file',
};

function readError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && READ_ERRORS[code]) ?? `cannot read: ${(err as Error).message.split('\n')[0]}`;
}
