/**
 * Every setting Outguard reads, declared once with its type, default and meaning.
 *
 * Layering (later wins): these defaults, then the YAML config file, then the environment
 * variables listed in `config/load.ts`. Unknown keys are refused, so a typo is an error at start
 * rather than a setting silently ignored.
 */
import { z } from 'zod';
import { DEFAULT_LIMITS } from '../content/limits.js';
import { POOL_DEFAULTS } from '../engine/scan-pool.js';
import { CONFIDENCES, PII_TYPES, type Confidence, type PiiType } from '../detectors/types.js';
import { parseListen } from './listen.js';
import { DEFAULT_SPOOL_FROM_BYTES } from '../milter/spool.js';

const milterListen = z.string().superRefine((value, ctx) => {
  try {
    parseListen(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

const webListen = z.string().superRefine((value, ctx) => {
  try {
    parseListen(value, { allowBare: true });
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

const confidence = z.enum(CONFIDENCES as [Confidence, ...Confidence[]]);
const maskStyle = z.enum(['none', 'partial', 'full']);

/** Dictionary and pattern names label findings (`keyword:confidential`) and policy `labels`. */
const label = z.string().regex(/^\S{1,64}$/u, 'one word of at most 64 characters, no spaces');

const dictionary = z
  .object({
    name: label,
    /** Words listed inline. Latin letters match in either case (detectors/keywords.ts). */
    words: z.array(z.string().trim().min(1, 'empty word')).default([]),
    /**
     * A word list, one word a line; `#` starts a comment line, blank lines are skipped. A
     * relative path is taken from the config file's folder. Read at start and on SIGHUP.
     */
    file: z.string().min(1).optional(),
    /** A company word is not a guess: high unless the list is known to be noisy. */
    confidence: confidence.default('high'),
    /** How a hit is shown in records and logs; `none`, because a keyword is not personal data. */
    mask: maskStyle.default('none'),
  })
  .strict()
  .refine((d) => d.words.length > 0 || d.file !== undefined, {
    message: 'needs words, a file, or both',
  });

const pattern = z
  .object({
    name: label,
    /** RE2 syntax (linear time): no look-around, no back-references. */
    regex: z.string().min(1),
    ignoreCase: z.boolean().default(false),
    confidence: confidence.default('medium'),
    /** Default `partial`: a company id can still point at a person. */
    mask: maskStyle.default('partial'),
  })
  .strict();

export const configSchema = z
  .object({
    /** Folder for the SQLite store, the store key and runtime files. Created at start. */
    dataDir: z.string().min(1).default('./data'),
    /**
     * `postgres://…` puts the store on PostgreSQL (several relays sharing one database);
     * unset means SQLite in `dataDir`.
     */
    databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://').optional(),
    /** Path of the policy YAML; unset means the shipped `policies/default.yaml`. */
    policyFile: z.string().min(1).optional(),
    log: z
      .object({
        level: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
      })
      .strict()
      .prefault({}),
    milter: z
      .object({
        /** Where Postfix connects: `inet:HOST:PORT` or `unix:/PATH`. */
        listen: milterListen.default('inet:127.0.0.1:10030'),
        /**
         * Largest message we buffer for inspection. Larger mail is held, not passed: we cannot
         * vouch for what we did not read. 64 MiB is six times Postfix's default
         * message_size_limit (10,240,000 bytes).
         */
        maxMessageBytes: z.number().int().min(65536).default(64 * 1024 * 1024),
        /**
         * Messages from this size on are written to `<dataDir>/spool` as they arrive, instead of
         * held in the daemon's memory while they wait for and go through a scan (milter/spool.ts).
         */
        spoolFromBytes: z.number().int().min(65536).default(DEFAULT_SPOOL_FROM_BYTES),
        /**
         * How often we tell Postfix "still working" during a scan. Each progress packet restarts
         * Postfix's milter_content_timeout (300 s by default), so anything well below it works.
         */
        progressIntervalMs: z.number().int().min(100).max(60000).default(5000),
        /**
         * Longest a scan may take before we give up on it and answer `onError`. Kept below
         * Postfix's smtpd_timeout so the client is answered before it gives up.
         */
        scanTimeoutMs: z.number().int().min(1000).default(120000),
        /**
         * What Postfix is told when Outguard cannot decide (internal error, timeout):
         * `tempfail` makes the client retry later; `quarantine` holds the message. Never accept.
         */
        onError: z.enum(['tempfail', 'quarantine']).default('tempfail'),
        /** Largest milter packet we accept; Postfix sends at most 65,535 body bytes per packet. */
        maxPacketBytes: z.number().int().min(65536).max(16 * 1024 * 1024).default(1024 * 1024),
      })
      .strict()
      .prefault({}),
    web: z
      .object({
        /** Where the web service listens: `HOST:PORT`. */
        listen: webListen.default('127.0.0.1:10031'),
      })
      .strict()
      .prefault({}),
    postfix: z
      .object({
        /** Postfix configuration directory, passed as `-c` to postqueue/postsuper/postconf. */
        configDir: z.string().min(1).optional(),
        /** Folder holding postqueue, postsuper and postconf. */
        commandDir: z.string().min(1).default('/usr/sbin'),
      })
      .strict()
      .prefault({}),
    detection: z
      .object({
        /**
         * Lowest confidence `outguard detect` prints when `--min-confidence` is not given.
         * Policies have their own floor per rule (`min_confidence`).
         */
        minConfidence: confidence.default('medium'),
        /** Personal-data types to look for; default every type. */
        types: z
          .array(z.enum(PII_TYPES as [PiiType, ...PiiType[]]))
          .min(1)
          .default(() => [...PII_TYPES]),
        /** Company word lists (대외비, 기밀, project code names): `keyword` findings. */
        dictionaries: z.array(dictionary).default([]),
        /** Company regular expressions: `pattern` findings. */
        patterns: z.array(pattern).default([]),
      })
      .strict()
      .prefault({}),
    /**
     * Attachment extraction: the per-message limits (content/limits.ts explains each default)
     * and the worker pool the daemon extracts and scans in. A limit that is hit is a
     * `limit-exceeded` problem, and such a message is held whatever the policy says.
     */
    extraction: z
      .object({
        /** UTF-8 bytes of text taken from one message, all parts together; the rest is `truncated`. */
        maxTextBytes: z.number().int().min(1024).default(DEFAULT_LIMITS.maxTextBytes),
        /** Bytes inflated from all archives and compressed formats of one message together. */
        maxDecompressedBytes: z.number().int().min(1024 * 1024).default(DEFAULT_LIMITS.maxDecompressedBytes),
        /** Archive entries opened in one message. */
        maxEntries: z.number().int().min(1).default(DEFAULT_LIMITS.maxEntries),
        /** Containers inside containers (a zip in a zip in a mail is 2; a forward of a forward is 2). */
        maxDepth: z.number().int().min(1).max(64).default(DEFAULT_LIMITS.maxDepth),
        /** Uncompressed ÷ compressed size of one archive entry; past it, a bomb. */
        maxCompressionRatio: z.number().min(2).default(DEFAULT_LIMITS.maxCompressionRatio),
        /**
         * Extraction time for one message, in ms. Keep it below `milter.scanTimeoutMs`, so a slow
         * file is reported as over a limit instead of failing the whole message.
         */
        timeBudgetMs: z.number().int().min(1000).default(DEFAULT_LIMITS.timeBudgetMs),
        /** Pixels of one image given to OCR; larger images are `limit-exceeded`. */
        maxImagePixels: z.number().int().min(10_000).default(DEFAULT_LIMITS.maxImagePixels),
        /** Images given to OCR per message. */
        maxOcrImages: z.number().int().min(0).default(DEFAULT_LIMITS.maxOcrImages),
        pool: z
          .object({
            /** Child processes extracting and scanning mail; default the number of CPUs. */
            size: z.number().int().min(1).max(256).optional(),
            /**
             * Messages waiting for a free child; beyond it a message is answered `milter.onError`
             * at once. Default 100, Postfix's default_process_limit.
             */
            maxQueue: z.number().int().min(0).default(POOL_DEFAULTS.maxQueue),
            /** V8 heap cap of each child, in MiB (`--max-old-space-size`). Default 1024. */
            maxOldSpaceMb: z.number().int().min(128).default(POOL_DEFAULTS.maxOldSpaceMb),
            /** Messages a child scans before it is replaced (bounds a slow leak). Default 500. */
            maxMessagesPerChild: z.number().int().min(1).default(POOL_DEFAULTS.maxMessagesPerChild),
            /** Resident size, in MiB, past which a child is replaced after its message. Default 1024. */
            maxRssMb: z.number().int().min(64).default(POOL_DEFAULTS.maxRssBytes / (1024 * 1024)),
            /**
             * Resident size, in MiB, past which a child is killed in the middle of a message (the
             * message fails closed): the heap cap does not bound a library's buffers. Default 1536.
             */
            maxJobRssMb: z.number().int().min(128).default(POOL_DEFAULTS.maxJobRssBytes / (1024 * 1024)),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    approval: z
      .object({
        /**
         * Hours a held message waits for a decision. `outguard doctor` checks it against
         * Postfix's maximal_queue_lifetime.
         */
        expiryHours: z.number().positive().max(24 * 30).default(72),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
