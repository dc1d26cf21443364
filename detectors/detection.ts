/**
 * A detector set: the scanner, the per-type judges, the company's dictionaries and patterns,
 * compiled once from the settings (`createDetection`) and run on every text of every message.
 *
 * `detect` scans once (scan.ts), lets every enabled judge look at every candidate, adds e-mail
 * addresses, passports, dictionary words and pattern matches, and resolves overlaps: a span is
 * reported once, as its most likely type. A candidate inside a URL drops one confidence level:
 * ids in links are mostly order and session numbers, yet `?rrn=9001011234568` leaks as well as
 * any text, so a value with its keyword (high) is still reported.
 *
 * Dictionary words and pattern matches are resolved apart from the personal-data types: a
 * company pattern that spans a resident number (`인사기록 … 900101-1234568`) must not hide it
 * from the policy, and its masked form has every personal-data value inside it masked, whatever
 * the pattern's own mask style.
 */
import { judgeAccount } from './bank-account.js';
import { judgeBusiness } from './business-reg.js';
import { forgetScan } from './context.js';
import { compilePatterns } from './custom-patterns.js';
import { judgeCorporate } from './corporate-reg.js';
import { judgeCard } from './credit-card.js';
import { judgeLicense } from './driver-license.js';
import { judgeHealthInsurance } from './health-insurance.js';
import { inUrl, type Judge, type JudgeContext, type Verdict } from './judge.js';
import { maskEmail, maskText } from './mask.js';
import { judgePassport } from './passport.js';
import { judgePhone } from './phone.js';
import { judgeRegistration, seoulToday } from './rrn.js';
import { Scanner, type DictionaryHit } from './scan.js';
import {
  CONFIDENCE_RANK,
  DetectionConfigError,
  PII_TYPES,
  type Confidence,
  type Detection,
  type DetectionOptions,
  type DictionarySpec,
  type Finding,
  type FindingType,
  type MaskStyle,
  type PatternMatcher,
  type PatternSpec,
  type PiiType,
} from './types.js';

/**
 * Judges of number candidates (judgeRegistration reports rrn and foreigner_rrn). All run whatever
 * types are reported: a company pattern's masked form must still hide a card number inside it
 * when only RRNs are looked for.
 */
const NUMBER_JUDGES: readonly Judge[] = [
  judgeRegistration,
  judgeCard,
  judgeCorporate,
  judgeBusiness,
  judgeLicense,
  judgeHealthInsurance,
  judgeAccount,
  judgePhone,
];

/**
 * Same span, same confidence: the type with a validator wins over the one without, the earlier
 * in this list.
 */
const TYPE_PRIORITY: readonly FindingType[] = [
  'rrn', 'foreigner_rrn', 'credit_card', 'corporate_reg', 'business_reg', 'driver_license', 'passport',
  'health_insurance', 'phone', 'bank_account', 'email', 'pattern', 'keyword',
];

function validateNames(kind: string, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (name.trim() === '') throw new DetectionConfigError(`${kind} with an empty name`);
    if (seen.has(name)) throw new DetectionConfigError(`${kind} "${name}" is defined twice`);
    seen.add(name);
  }
}

function validateDictionaries(dictionaries: readonly DictionarySpec[]): void {
  validateNames('dictionary', dictionaries.map((d) => d.name));
  const total = dictionaries.reduce((n, d) => n + d.words.length, 0);
  if (total > MAX_WORDS) throw new DetectionConfigError(`dictionaries hold ${total} words, more than ${MAX_WORDS}`);
  for (const d of dictionaries) {
    if (d.words.every((w) => w.trim() === '')) throw new DetectionConfigError(`dictionary "${d.name}" has no words`);
    const long = d.words.findIndex((w) => w.trim().length > MAX_WORD_LENGTH);
    if (long >= 0) {
      // Name, position and length only: a word file given by mistake may be a customer list,
      // and this message goes to stderr and the log.
      throw new DetectionConfigError(
        `dictionary "${d.name}": word ${long + 1} is ${d.words[long]!.trim().length} characters long (at most ${MAX_WORD_LENGTH})`,
      );
    }
  }
}

export function createDetection(options: DetectionOptions = {}): Detection {
  const types = new Set<PiiType>(options.types ?? PII_TYPES);
  for (const type of types) {
    if (!PII_TYPES.includes(type)) throw new DetectionConfigError(`unknown personal-data type "${type}"`);
  }
  const dictionaries = options.dictionaries ?? [];
  const patterns = options.patterns ?? [];
  validateDictionaries(dictionaries);
  const matcher = patterns.length > 0 ? compilePatterns(patterns) : null;
  const scanner = new Scanner(dictionaries);
  const now = options.now ?? (() => new Date());
  const reported: FindingType[] = [...types];
  if (dictionaries.length > 0) reported.push('keyword');
  if (patterns.length > 0) reported.push('pattern');

  return {
    types: reported,
    detect(text: string): Finding[] {
      const today = seoulToday(now());
      const found: Finding[] = [];
      // Most texts hold no link at all; then no candidate needs the backward look.
      const links = text.includes('://') || /www\./i.test(text);
      const add = (verdict: Verdict, start: number, end: number, lower = false): void => {
        found.push({
          type: verdict.type,
          start: verdict.start ?? start,
          end: verdict.end ?? end,
          confidence: lower ? LOWER[verdict.confidence] : verdict.confidence,
          masked: verdict.masked,
        });
      };
      let ctx: JudgeContext | null = null;
      const scan = scanner.scan(text, (candidate, partialScan) => {
        ctx ??= { scan: partialScan, today };
        let url: boolean | undefined;
        for (const judge of NUMBER_JUDGES) {
          const verdict = judge(candidate, ctx);
          if (verdict === null) continue;
          // Only bare digit runs are the ids links carry; a grouped value in a link is still one.
          url ??= links && candidate.sep === 'none' && inUrl(text, candidate.start);
          add(verdict, candidate.start, candidate.end, url);
        }
      });
      ctx ??= { scan, today };
      for (const shape of scan.passports) add(judgePassport(shape, ctx), shape.start, shape.end);
      forgetScan(scan);
      for (const span of scan.emails) {
        found.push({ type: 'email', start: span.start, end: span.end, confidence: 'high', masked: maskEmail(text.slice(span.start, span.end)) });
      }
      // Overlaps among the reported types only: a type nobody asked for must not displace one
      // that was (a card keyword retyping an RRN when only RRNs are looked for).
      const partial = types.size < PII_TYPES.length;
      // resolveOverlaps sorts its argument: `found` itself only when it is not needed again.
      const personal = resolveOverlaps(partial ? found.filter((f) => types.has(f.type as PiiType)) : found);
      if (dictionaries.length === 0 && matcher === null) return personal;
      const everything = partial ? resolveOverlaps(found) : personal;
      const company = dictionaryFindings(text, scan.dictionary, dictionaries, everything);
      if (matcher !== null) company.push(...patternFindings(text, matcher, patterns, everything));
      return [...personal, ...resolveOverlaps(company)].sort((a, b) => a.start - b.start || a.end - b.end);
    },
  };
}

/**
 * The text of [start, end) with every personal-data finding in it replaced by its masked form
 * (a part of one cut by the span's edge becomes `*`), then masked in `style`.
 */
function maskCompanySpan(text: string, start: number, end: number, personal: readonly Finding[], style: MaskStyle): string {
  let out = '';
  let at = start;
  // Personal findings do not overlap, so their ends ascend with their starts: binary search.
  let low = 0;
  let high = personal.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (personal[mid]!.end <= start) low = mid + 1;
    else high = mid;
  }
  for (let k = low; k < personal.length; k += 1) {
    const f = personal[k]!;
    if (f.start >= end) break;
    const from = Math.max(f.start, start);
    const to = Math.min(f.end, end);
    out += text.slice(at, from);
    out += from === f.start && to === f.end ? f.masked : '*'.repeat(to - from);
    at = to;
  }
  return maskText(out + text.slice(at, end), style);
}

/** Leftmost-longest occurrences of each dictionary's words, as findings labelled with its name. */
function dictionaryFindings(
  text: string,
  hits: readonly DictionaryHit[],
  dictionaries: readonly DictionarySpec[],
  personal: readonly Finding[],
): Finding[] {
  const out: Finding[] = [];
  const reachedBy = new Map<number, number>();
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const hit of sorted) {
    if ((reachedBy.get(hit.dictionary) ?? -1) > hit.start) continue;
    reachedBy.set(hit.dictionary, hit.end);
    const spec = dictionaries[hit.dictionary]!;
    out.push({
      type: 'keyword',
      start: hit.start,
      end: hit.end,
      confidence: spec.confidence ?? 'high',
      masked: maskCompanySpan(text, hit.start, hit.end, personal, spec.mask ?? 'none'),
      label: spec.name,
    });
  }
  return out;
}

function patternFindings(
  text: string,
  matcher: PatternMatcher,
  patterns: readonly PatternSpec[],
  personal: readonly Finding[],
): Finding[] {
  return matcher.find(text).map((m) => {
    const spec = patterns[m.pattern]!;
    return {
      type: 'pattern' as const,
      start: m.start,
      end: m.end,
      confidence: spec.confidence ?? 'medium',
      masked: maskCompanySpan(text, m.start, m.end, personal, spec.mask ?? 'partial'),
      label: spec.name,
    };
  });
}

/** One level down, for a value inside a URL. */
const LOWER: Readonly<Record<Confidence, Confidence>> = { high: 'medium', medium: 'low', low: 'low' };

/** Longest dictionary word accepted: the trie walk at each position is bounded by it. */
export const MAX_WORD_LENGTH = 100;

/**
 * Most dictionary words in one detector set. The trie keeps a Map per node: 100,000 words of
 * code names measured about 300 MiB of heap to build, and the old set lives on during a reload.
 */
export const MAX_WORDS = 200_000;

const PRIORITY: ReadonlyMap<FindingType, number> = new Map(TYPE_PRIORITY.map((type, rank) => [type, rank]));

function priority(type: FindingType): number {
  return PRIORITY.get(type)!;
}

/** Does a number finding lie inside an e-mail address's span (`900101-1234568@x.co`)? */
function numberInsideEmail(email: Finding, other: Finding): boolean {
  return email.type === 'email' && other.type !== 'email' && other.confidence !== 'low';
}

function beats(candidate: Finding, incumbent: Finding): boolean {
  // An address must not swallow a validated number written as its local part.
  if (numberInsideEmail(incumbent, candidate)) return true;
  if (numberInsideEmail(candidate, incumbent)) return false;
  const rank = CONFIDENCE_RANK[candidate.confidence] - CONFIDENCE_RANK[incumbent.confidence];
  if (rank !== 0) return rank > 0;
  const length = candidate.end - candidate.start - (incumbent.end - incumbent.start);
  if (length !== 0) return length > 0;
  return priority(candidate.type) < priority(incumbent.type);
}

/**
 * Findings ordered by start with no two overlapping: of two that overlap, the higher confidence
 * wins, then the longer span, then the type earlier in TYPE_PRIORITY; a number beats the e-mail
 * address it is written in.
 */
export function resolveOverlaps(found: Finding[]): Finding[] {
  if (found.length < 2) return found;
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Finding[] = [];
  for (const candidate of found) {
    // Kept findings do not overlap and are ordered by start, so their ends ascend: walk back
    // only while they still reach the candidate.
    let first = kept.length;
    while (first > 0 && kept[first - 1]!.end > candidate.start) first -= 1;
    let wins = true;
    for (let i = first; i < kept.length && wins; i += 1) wins = beats(candidate, kept[i]!);
    if (!wins) continue;
    // The rivals are the tail of `kept`, from `first` on.
    kept.length = first;
    kept.push(candidate);
  }
  return kept;
}
