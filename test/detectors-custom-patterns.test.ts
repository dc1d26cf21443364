/**
 * Company patterns (detectors/custom-patterns.ts): RE2 compilation, the errors an administrator
 * sees, and UTF-16 offsets that hold whatever precedes or sits inside a match (Hangul, emoji,
 * a lone surrogate).
 *
 * Offsets are checked two ways: by slicing the text with them, and against JavaScript's own
 * RegExp on patterns both engines read the same way (no look-around, no back-references).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePatterns } from '../detectors/custom-patterns.js';
import { DetectionConfigError, type PatternSpec } from '../detectors/types.js';

const EMPLOYEE: PatternSpec = { name: 'employee-id', regex: 'EMP-[0-9]{6}' };
const PROJECT: PatternSpec = { name: 'project-code', regex: '프로젝트\\s?[가-힣]{2,4}' };
const TICKET: PatternSpec = { name: 'ticket', regex: 'jira-[0-9]+', ignoreCase: true };

/** Each match as [pattern name, matched text, start]. */
function matches(specs: readonly PatternSpec[], text: string): Array<[string, string, number]> {
  return compilePatterns(specs)
    .find(text)
    .map((m) => [specs[m.pattern]!.name, text.slice(m.start, m.end), m.start]);
}

/** The same search done by JavaScript's RegExp, as the oracle for offsets. */
function withRegExp(specs: readonly PatternSpec[], text: string): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  specs.forEach((spec, pattern) => {
    for (const m of text.matchAll(new RegExp(spec.regex, spec.ignoreCase ? 'giu' : 'gu'))) {
      out.push([pattern, m.index, m.index + m[0].length]);
    }
  });
  return out.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
}

function configError(specs: readonly PatternSpec[], pattern: RegExp): void {
  assert.throws(
    () => compilePatterns(specs),
    (err: unknown) => {
      assert.ok(err instanceof DetectionConfigError, `expected DetectionConfigError, got ${String(err)}`);
      assert.match(err.message, pattern);
      assert.doesNotMatch(err.message, /\n/, 'one line');
      return true;
    },
  );
}

describe('compilePatterns', () => {
  describe('when the text is Korean mail', () => {
    it('should give offsets that slice out the match after Hangul', () => {
      const text = '안녕하세요. 신규 입사자 사번은 EMP-204518 입니다.';
      assert.deepEqual(matches([EMPLOYEE], text), [['employee-id', 'EMP-204518', text.indexOf('EMP')]]);
    });

    it('should give offsets for a match that is itself Hangul', () => {
      const text = '이번 분기 프로젝트 한빛 일정 공유드립니다';
      assert.deepEqual(matches([PROJECT], text), [['project-code', '프로젝트 한빛', 6]]);
    });

    it('should count an emoji before the match as two UTF-16 units', () => {
      const text = '확인 부탁드려요 🙏🙏 사번 EMP-771203';
      const [found] = compilePatterns([EMPLOYEE]).find(text);
      assert.equal(found?.start, text.indexOf('EMP'));
      assert.equal(text.slice(found!.start, found!.end), 'EMP-771203');
    });

    it('should include an emoji inside the match whole', () => {
      const spec: PatternSpec = { name: 'flagged', regex: '🚩[가-힣]+🚩' };
      const text = '메모: 🚩보안검토🚩 완료 후 발송';
      assert.deepEqual(matches([spec], text), [['flagged', '🚩보안검토🚩', 4]]);
    });

    it('should keep offsets right after a lone surrogate (damaged text)', () => {
      const text = '깨진 문자 \uD83D 다음 EMP-000321';
      assert.deepEqual(matches([EMPLOYEE], text), [['employee-id', 'EMP-000321', text.indexOf('EMP')]]);
    });

    it('should agree with RegExp on every offset in mixed Korean, emoji and ASCII text', () => {
      const specs = [EMPLOYEE, PROJECT, TICKET, { name: 'won', regex: '[0-9,]+원' }];
      const parts = ['사번 EMP-120034', ' 😀 ', '프로젝트 누리', ' JIRA-77 ', '총 1,250,000원', ' 𠀋字 ', 'jira-8'];
      let text = '';
      for (let i = 0; i < 60; i += 1) text += parts[(i * 7) % parts.length] + (i % 3 === 0 ? '\n' : ' ');
      const found = compilePatterns(specs).find(text).map((m) => [m.pattern, m.start, m.end]);
      assert.ok(found.length > 40, `expected many matches, got ${found.length}`);
      assert.deepEqual(found, withRegExp(specs, text));
    });

    it('should match an ASCII-only text the same way', () => {
      const text = 'Ticket JIRA-12 and jira-345 for EMP-555001.';
      assert.deepEqual(matches([EMPLOYEE, TICKET], text), [
        ['ticket', 'JIRA-12', 7],
        ['ticket', 'jira-345', 19],
        ['employee-id', 'EMP-555001', 32],
      ]);
    });
  });

  describe('when several patterns are configured', () => {
    it('should report every non-overlapping match of each pattern, sorted by start', () => {
      const text = 'EMP-100001 프로젝트 가람 jira-1 EMP-100002';
      assert.deepEqual(matches([TICKET, EMPLOYEE, PROJECT], text), [
        ['employee-id', 'EMP-100001', 0],
        ['project-code', '프로젝트 가람', 11],
        ['ticket', 'jira-1', 19],
        ['employee-id', 'EMP-100002', 26],
      ]);
    });

    it('should not report overlapping matches of one pattern', () => {
      assert.deepEqual(matches([{ name: 'pair', regex: '가가' }], '가가가가가'), [
        ['pair', '가가', 0],
        ['pair', '가가', 2],
      ]);
    });

    it('should report matches of two patterns that overlap each other', () => {
      const specs = [EMPLOYEE, { name: 'six-digits', regex: '[0-9]{6}' }];
      assert.deepEqual(matches(specs, '사번 EMP-310777'), [
        ['employee-id', 'EMP-310777', 3],
        ['six-digits', '310777', 7],
      ]);
    });

    it('should fold case only for the pattern that asks', () => {
      const specs = [EMPLOYEE, TICKET];
      assert.deepEqual(matches(specs, 'emp-123456 JIRA-9'), [['ticket', 'JIRA-9', 11]]);
    });

    it('should give the same answer when called again on another text and back', () => {
      const matcher = compilePatterns([EMPLOYEE, TICKET]);
      const first = matcher.find('가 EMP-900900 나 jira-3');
      matcher.find('전혀 관계없는 본문');
      assert.deepEqual(matcher.find('가 EMP-900900 나 jira-3'), first);
      assert.equal(first.length, 2);
    });

    it('should find nothing in an empty text or with no patterns', () => {
      assert.deepEqual(compilePatterns([EMPLOYEE]).find(''), []);
      assert.deepEqual(compilePatterns([]).find('EMP-123456'), []);
    });
  });

  describe('when a pattern cannot be used', () => {
    it('should name the pattern and RE2 reason for a syntax error', () => {
      configError([EMPLOYEE, { name: 'broken', regex: 'EMP-[0-9' }], /^pattern "broken": missing \].*RE2/);
    });

    it('should say look-around is not supported', () => {
      configError([{ name: 'lookahead', regex: 'EMP-(?=[0-9])' }], /pattern "lookahead":.*look-around/);
    });

    it('should say back-references are not supported', () => {
      configError([{ name: 'repeat', regex: '([가-힣])\\1' }], /pattern "repeat":.*back-references/);
    });

    for (const [title, regex] of [
      ['a star', 'a*'],
      ['an optional group', '(기밀)?'],
      ['a word boundary', '\\b'],
      ['a line start', '^'],
    ] as const) {
      it(`should refuse a pattern that matches empty: ${title}`, () => {
        configError([{ name: 'everywhere', regex }], /pattern "everywhere": it can match an empty string/);
      });
    }

    it('should refuse an empty regex', () => {
      configError([{ name: 'nothing', regex: '' }], /pattern "nothing": the regex is empty/);
    });

    it('should refuse an empty name', () => {
      configError([EMPLOYEE, { name: '  ', regex: 'x+' }], /pattern #2: the name is empty/);
    });

    it('should refuse a name used twice', () => {
      configError([EMPLOYEE, { name: 'employee-id', regex: 'E[0-9]+' }], /pattern "employee-id": the name is used twice/);
    });
  });

  describe('when the pattern would make a backtracking engine hang', () => {
    it('should still answer in linear time', () => {
      // `(a+)+$` on 'aaa…ab' takes exponential time in a backtracking engine: RegExp would not
      // finish on 40 characters within a day. RE2 needs milliseconds for 200,000; the bound is
      // set far above that so a busy machine cannot make it flaky.
      const matcher = compilePatterns([{ name: 'nested', regex: '(a+)+$' }, EMPLOYEE]);
      const text = 'a'.repeat(200_000) + 'b';
      const started = performance.now();
      assert.deepEqual(matcher.find(text), []);
      assert.ok(performance.now() - started < 2000, 'RE2 took over 2 s');
    });
  });
});
