/**
 * Driver's licence number (운전면허번호), notes/korean-pii.md §1.3.
 *
 * Current form `RR-YY-NNNNNN-CC`, 12 digits, RR a region code 11-26 or 28 (27 is unused). The
 * trailing CC has no public check algorithm, so nothing validates it.
 * - 2-2-6-2 with dashes or spaces and a valid region: the printed licence form, medium without a
 *   keyword, high with one;
 * - 12 bare digits with a valid region: high with a licence keyword, otherwise low — parcel
 *   tracking numbers (CJ, Hanjin) and Shinhan accounts (110…) are 12 bare digits too;
 * - the old form, a region name then `YY-NNNNNN-CC` (`서울 19-123456-61`): high, and the name is
 *   part of the span; 2-6-2 without the name needs a licence keyword (medium).
 */
import { BIT, dashOrSpace, evidence, shaped, type Judge } from './judge.js';
import { maskKeeping } from './mask.js';

const OWN = BIT.license;
const RIVALS = BIT.account | BIT.card | BIT.phone | BIT.business | BIT.health | BIT.reference;

/** Region names of the old form; `경기북부` before `경기` so the longer name wins. */
const REGION_NAMES = [
  '경기북부', '서울', '부산', '경기', '강원', '충북', '충남', '전북', '전남', '경북', '경남',
  '제주', '대구', '인천', '광주', '대전', '울산',
];

export function regionCodeValid(code: number): boolean {
  return (code >= 11 && code <= 26) || code === 28;
}

/** Start of a region name ending right before `at` (one space allowed between), or -1. */
function regionNameBefore(text: string, at: number): number {
  let end = at;
  if (text.charCodeAt(end - 1) === 32) end -= 1;
  for (const name of REGION_NAMES) {
    const start = end - name.length;
    if (start >= 0 && text.startsWith(name, start)) return start;
  }
  return -1;
}

export const judgeLicense: Judge = (candidate, ctx) => {
  const { digits } = candidate;
  const said = () => evidence(ctx, candidate.start, candidate.end, OWN, RIVALS);
  if (shaped(candidate, 2, 2, 6, 2) && dashOrSpace(candidate)) {
    if (!regionCodeValid(Number(digits.slice(0, 2)))) return null;
    const given = said();
    const confidence = given === 'own' ? 'high' : given === 'reference' ? 'low' : 'medium';
    return { type: 'driver_license', confidence, masked: maskKeeping(candidate, 4) };
  }
  if (shaped(candidate, 12) && candidate.sep === 'none') {
    if (!regionCodeValid(Number(digits.slice(0, 2)))) return null;
    return { type: 'driver_license', confidence: said() === 'own' ? 'high' : 'low', masked: maskKeeping(candidate, 4) };
  }
  if (shaped(candidate, 2, 6, 2) && dashOrSpace(candidate)) {
    const nameStart = regionNameBefore(ctx.scan.text, candidate.start);
    if (nameStart >= 0) {
      const name = ctx.scan.text.slice(nameStart, candidate.start).trimEnd();
      return {
        type: 'driver_license',
        confidence: 'high',
        masked: `${name} ${maskKeeping(candidate, 2)}`,
        start: nameStart,
      };
    }
    return said() === 'own' ? { type: 'driver_license', confidence: 'medium', masked: maskKeeping(candidate, 2) } : null;
  }
  return null;
};
