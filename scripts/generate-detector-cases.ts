/**
 * The labelled detector test set (issue 3): generator and fixture writer.
 *
 * `generateCases()` builds every case from seeded streams, so the same code always yields the
 * same cases; run as a script it writes test/fixtures/detector-cases.jsonl, one JSON object per
 * line with a fixed key order. test/detector-accuracy.test.ts checks that the committed fixture
 * equals a fresh run (nobody edits it by hand) and scores the detectors against it.
 *
 *   node --import tsx scripts/generate-detector-cases.ts
 *
 * The labels restate issue 3's ground truth independently of detectors/*. Each case passes the
 * self-check in detector-cases/self-check.ts before it is written; a label that cannot be
 * justified from the spec stops the generator rather than reaching the fixture.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FindingType } from '../detectors/types.js';
import type { CaseDraft, Draft } from './detector-cases/builder.js';
import { documentCases } from './detector-cases/documents.js';
import { ruleCases } from './detector-cases/rules.js';
import { selfCheck } from './detector-cases/self-check.js';
import { singleTypeCases } from './detector-cases/single-type.js';
import { trapCases } from './detector-cases/traps.js';

export { LABELLED_SET_CLOCK } from './detector-cases/checks.js';
export { LABELLED_SET_DICTIONARIES, LABELLED_SET_PATTERNS } from './detector-cases/keywords.js';

export interface ExpectedFinding {
  readonly type: FindingType;
  /** Dictionary or pattern name, for `keyword` and `pattern` only. */
  readonly label?: string;
  /** UTF-16 offsets of the value as written, `end` exclusive. */
  readonly start: number;
  readonly end: number;
}

export interface LabelledCase {
  /** `<aim>-<slug>-<nnn>`: aim is the type the case is about, or `mail` for a multi-type document. */
  readonly id: string;
  readonly category: string;
  readonly text: string;
  readonly expected: readonly ExpectedFinding[];
}

export const FIXTURE_PATH = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'test',
  'fixtures',
  'detector-cases.jsonl',
);

function expectedOf(draft: Draft): ExpectedFinding[] {
  const out: ExpectedFinding[] = [];
  for (const p of draft.placed) {
    if (p.piece.kind === 'value') out.push({ type: p.piece.type, start: p.start, end: p.end });
    if (p.piece.kind === 'rule') out.push({ type: p.piece.type, label: p.piece.label, start: p.start, end: p.end });
  }
  return out.sort((a, b) => a.start - b.start);
}

function allDrafts(): CaseDraft[] {
  return [...singleTypeCases(), ...documentCases(), ...ruleCases(), ...trapCases()];
}

export function generateCases(): LabelledCase[] {
  const counters = new Map<string, number>();
  return allDrafts().map((d) => {
    const key = `${d.aim}-${d.slug}`;
    const k = (counters.get(key) ?? 0) + 1;
    counters.set(key, k);
    const id = `${key}-${String(k).padStart(3, '0')}`;
    selfCheck(id, d.draft);
    return { id, category: d.category, text: d.draft.text, expected: expectedOf(d.draft) };
  });
}

/** One line per case, keys always in the same order, so diffs of the fixture stay readable. */
export function toJsonl(cases: readonly LabelledCase[]): string {
  const line = (c: LabelledCase): string =>
    JSON.stringify({
      id: c.id,
      category: c.category,
      text: c.text,
      expected: c.expected.map((e) =>
        e.label === undefined
          ? { type: e.type, start: e.start, end: e.end }
          : { type: e.type, label: e.label, start: e.start, end: e.end },
      ),
    });
  return cases.map(line).join('\n') + '\n';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cases = generateCases();
  writeFileSync(FIXTURE_PATH, toJsonl(cases));
  console.log(`wrote ${cases.length} cases to ${path.relative(process.cwd(), FIXTURE_PATH)}`);
}
