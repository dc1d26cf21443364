import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluatePolicy } from '../policies/evaluate.js';
import { loadPolicyFile, parsePolicy, PolicyError } from '../policies/load.js';
import type { PolicyFinding, PolicyInput } from '../policies/types.js';

const rrn = (confidence: PolicyFinding['confidence'] = 'high'): PolicyFinding => ({
  type: 'rrn',
  confidence,
  masked: '900101-1******',
  location: 'body',
});
const card: PolicyFinding = { type: 'credit_card', confidence: 'high', masked: '4111-11**-****-1111', location: 'subject' };
const input = (findings: PolicyFinding[], problems: PolicyInput['problems'] = []): PolicyInput => ({ findings, problems });

describe('the shipped default policy', () => {
  const policy = loadPolicyFile();
  const cases: Array<[string, PolicyInput, string, string | null]> = [
    ['clean mail', input([]), 'accept', null],
    ['a resident number', input([rrn()]), 'hold', 'personal-data-hold'],
    ['a medium-confidence resident number', input([rrn('medium')]), 'hold', 'personal-data-hold'],
    ['a low-confidence resident number only', input([rrn('low')]), 'accept', null],
    ['a card number', input([card]), 'hold', 'personal-data-hold'],
    ['a message that could not be parsed', input([], [{ code: 'unparseable', location: 'message' }]), 'hold', 'uninspectable-hold'],
    ['a message cut at the size limit', input([], [{ code: 'truncated', location: 'message' }]), 'hold', 'uninspectable-hold'],
    ['an attachment with no extractor yet', input([], [{ code: 'unsupported-format', location: 'attachment:a.pdf' }]), 'accept', null],
  ];
  for (const [what, given, action, rule] of cases) {
    it(`should decide ${action} for ${what}`, () => {
      const decision = evaluatePolicy(policy, given);
      assert.equal(decision.action, action);
      assert.equal(decision.ruleId, rule);
    });
  }

  it('should count findings by type and explain the match without values', () => {
    const decision = evaluatePolicy(policy, input([rrn(), rrn(), card]));
    assert.deepEqual(decision.countsByType, { rrn: 2, credit_card: 1 });
    assert.equal(decision.reason, 'rrn x2, credit_card x1');
  });
});

describe('policy conditions', () => {
  const policy = parsePolicy(`
version: 1
default_action: monitor
rules:
  - id: many-cards-block
    when: { findings: { types: [credit_card], min: 2 } }
    action: block
    reply: { en: Card numbers may not be mailed, ko: 카드번호는 메일로 보낼 수 없습니다 }
  - id: rrn-not-broken
    when:
      all:
        - findings: { types: [rrn], min: 1, min_confidence: high }
        - not: { problems: [unparseable] }
    action: hold
  - id: either
    when:
      any:
        - problems: [charset-unknown]
        - findings: { min: 3, min_confidence: low }
    action: hold
`);
  const cases: Array<[string, PolicyInput, string, string | null]> = [
    ['two cards', input([card, card]), 'block', 'many-cards-block'],
    ['one card', input([card]), 'monitor', null],
    ['a high rrn in a parsed mail', input([rrn()]), 'hold', 'rrn-not-broken'],
    ['a high rrn with a parse problem', input([rrn()], [{ code: 'unparseable', location: 'message' }]), 'monitor', null],
    ['a medium rrn', input([rrn('medium')]), 'monitor', null],
    ['an unknown charset', input([], [{ code: 'charset-unknown', location: 'body' }]), 'hold', 'either'],
    ['three low findings of any type', input([rrn('low'), rrn('low'), card]), 'hold', 'either'],
  ];
  for (const [what, given, action, rule] of cases) {
    it(`should decide ${action} for ${what}`, () => {
      const decision = evaluatePolicy(policy, given);
      assert.equal(decision.action, action);
      assert.equal(decision.ruleId, rule);
    });
  }
  it('should carry the block reply', () => {
    assert.equal(evaluatePolicy(policy, input([card, card])).reply?.en, 'Card numbers may not be mailed');
  });
});

describe('policy YAML errors', () => {
  const refused: Array<[string, string, RegExp]> = [
    ['an unknown field, with its rule and line', 'version: 1\nrules:\n  - id: a\n    when: { findings: { min: 1 } }\n    action: hold\n    acton: block\n', /^p\.yaml:6: rule "a", unknown field "acton"$/],
    ['an unknown action', 'version: 1\nrules:\n  - id: a\n    when: { findings: { min: 1 } }\n    action: quarantine\n', /^p\.yaml:5: rule "a", field action: /],
    ['an unknown finding type', 'version: 1\nrules:\n  - id: a\n    when:\n      findings:\n        types: [rrn, ssn]\n    action: hold\n', /^p\.yaml:\d+: rule "a", /],
    ['a duplicate rule id', 'version: 1\nrules:\n  - id: a\n    when: { problems: [truncated] }\n    action: hold\n  - id: a\n    when: { problems: [truncated] }\n    action: hold\n', /^p\.yaml:6: rule "a", field id: duplicate rule id "a"$/],
    ['a reply on a non-block rule', 'version: 1\nrules:\n  - id: a\n    when: { problems: [truncated] }\n    action: hold\n    reply: { en: x, ko: y }\n', /reply is only for action block/],
    ['a wrong version', 'version: 2\nrules: []\n', /^p\.yaml:1: field version: /],
    ['broken YAML', 'version: 1\nrules: [\n', /^p\.yaml:\d+: /],
  ];
  for (const [what, text, message] of refused) {
    it(`should refuse ${what}`, () => {
      assert.throws(() => parsePolicy(text, 'p.yaml'), (err: Error) => {
        assert.ok(err instanceof PolicyError, String(err));
        assert.match(err.message, message);
        return true;
      });
    });
  }
});
