/**
 * National health-insurance card number (건강보험증 번호), notes/korean-pii.md §1.11.
 *
 * 11 digits, printed `1-2345678901`, with no published check digit: only a health-insurance
 * keyword makes it one. Without a keyword the printed 1-10 form is kept as low; bare 11 digits
 * are nothing (a mobile number without its dashes has 11 digits too).
 */
import { BIT, dashOrSpace, inContext, shaped, type Judge } from './judge.js';
import { maskKeeping } from './mask.js';

const OWN = BIT.health;
const RIVALS = BIT.phone | BIT.account | BIT.business | BIT.card | BIT.reference;

export const judgeHealthInsurance: Judge = (candidate, ctx) => {
  const printed = shaped(candidate, 1, 10) && dashOrSpace(candidate);
  const bare = shaped(candidate, 11) && candidate.sep === 'none';
  if (!printed && !bare) return null;
  const keyword = inContext(ctx, candidate.start, candidate.end, OWN, RIVALS);
  if (!keyword && !printed) return null;
  return { type: 'health_insurance', confidence: keyword ? 'high' : 'low', masked: maskKeeping(candidate, 3) };
};
