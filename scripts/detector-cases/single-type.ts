/**
 * Cases about one type at a time: each family's Korean and English sentences, then the same
 * values written the hard ways (full-width, soft-wrapped mid-line, U+200B inside, HTML entities,
 * digit-by-digit spacing). The rewritten forms always sit in keyed wording, so a miss there is
 * a miss of the form, not of the context rule.
 */
import type { CaseDraft, Draft, Value } from './builder.js';
import { doc, rewritten } from './builder.js';
import type { Ctx } from './context.js';
import { castFor } from './context.js';
import type { Family, Template } from './families.js';
import { FAMILIES } from './families.js';
import { fullwidth, htmlEscaped, spaced, wrappedAfterSeparator, wrappedInGroup, zeroWidth } from './render.js';
import { Rng } from './rng.js';

/** How many sentence cases each family gets, per language. */
const KO_SENTENCES = 14;
const EN_SENTENCES = 8;

/** Types people write digit by digit in forms (`9 0 0 1 0 1 - …`). */
const SPACED_TYPES = new Set(['rrn', 'foreigner_rrn', 'credit_card', 'phone', 'business_reg']);

function keyed(templates: readonly Template[]): Template[] {
  return templates.filter((t) => t.keyed);
}

function sentences(family: Family, rng: Rng, out: CaseDraft[]): void {
  const langs: Array<[readonly Template[], number, string, string]> = [
    [family.ko, KO_SENTENCES, 'ko-sentence', 'sentence-ko'],
    [family.en, EN_SENTENCES, 'en-sentence', 'sentence-en'],
  ];
  for (const [templates, count, slug, category] of langs) {
    for (let i = 0; i < count; i++) {
      const template = templates[i % templates.length] as Template;
      const c = castFor(rng);
      out.push({ aim: family.type, slug, category, draft: template.render(family.draw(c, template.keyed), c) });
    }
  }
}

/** Running text around a wrapped value: the line breaks inside it, words on both sides. */
function wrapFrame(family: Family, c: Ctx, v: Value, english: boolean): Draft {
  const phrase = family.phrase(c);
  return english
    ? doc`Following up on your request: ${phrase.en} ${v} and the other papers follow tomorrow.`
    : doc`요청하신 자료 회신드립니다. ${phrase.ko} ${v} 이고, 나머지 서류는 내일 오전 중에 보내드리겠습니다.`;
}

function htmlFrames(family: Family, c: Ctx, v: Value, i: number): Draft {
  const phrase = family.phrase(c);
  switch (i % 3) {
    case 0:
      return doc`<p>안녕하세요.<br>\n${phrase.ko} <b>${v}</b> 입니다.</p>`;
    case 1:
      return doc`<table><tr><th>${family.label}</th><td>${v}</td></tr></table>`;
    default:
      return doc`<div style="font-family:'Malgun Gothic'">${family.label}&nbsp;:&nbsp;${v}<br>\n확인 부탁드립니다.</div>`;
  }
}

function rewrittenForms(family: Family, rng: Rng, out: CaseDraft[]): void {
  const ko = keyed(family.ko);
  const add = (slug: string, category: string, draft: Draft): void => {
    out.push({ aim: family.type, slug, category, draft });
  };
  if (family.type !== 'email') {
    for (let i = 0; i < 3; i++) {
      const c = castFor(rng);
      const t = ko[i % ko.length] as Template;
      const letters = family.type === 'passport' && i > 0;
      add('fullwidth', 'fullwidth', t.render(fullwidth(family.draw(c, true), letters), c));
    }
  }
  for (let i = 0; i < 3; i++) {
    const c = castFor(rng);
    const v = family.draw(c, true, true);
    // The third frame writes groups with spaces, which an editor saves as &nbsp;. Not for the
    // old licence form or the health number, whose spaced forms the spec does not define.
    const spacedOk = i === 2 && family.type !== 'driver_license' && family.type !== 'health_insurance';
    const written = spacedOk ? rewritten(v, v.text.replace(/-/g, ' ')) : v;
    add('html', 'html', htmlFrames(family, c, i === 1 ? htmlEscaped(written, '&#x2d;') : htmlEscaped(written), i));
  }
  if (!family.digitForms) return;
  for (let i = 0; i < 3; i++) {
    const c = castFor(rng);
    const v = family.draw(c, true, true);
    const w = i < 2 ? wrappedInGroup(v, rng) : wrappedAfterSeparator(v, rng, rng.chance(0.5) ? '\n' : '\r\n');
    add('wrapped', 'wrapped', wrapFrame(family, c, w, i === 1));
  }
  for (let i = 0; i < 2; i++) {
    const c = castFor(rng);
    const t = ko[(i + 1) % ko.length] as Template;
    add('zero-width', 'zero-width', t.render(zeroWidth(family.draw(c, true), rng), c));
  }
  if (SPACED_TYPES.has(family.type)) {
    for (let i = 0; i < 2; i++) {
      const c = castFor(rng);
      const phrase = family.phrase(c);
      const v = spaced(family.draw(c, true, true));
      add('spaced', 'spaced', i === 0 ? doc`${phrase.ko} ${v} 입니다.` : doc`For the form, ${phrase.en} ${v}.`);
    }
  }
}

export function singleTypeCases(): CaseDraft[] {
  const out: CaseDraft[] = [];
  for (const family of FAMILIES) {
    sentences(family, Rng.for(`sentences/${family.type}`), out);
    rewrittenForms(family, Rng.for(`forms/${family.type}`), out);
  }
  return out;
}
