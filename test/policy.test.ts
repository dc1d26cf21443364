import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { FINDING_TYPES, PII_TYPES, type FindingType } from '../detectors/types.js';
import { evaluatePolicy, policyLabels } from '../policies/evaluate.js';
import { DEFAULT_POLICY_PATH, loadPolicyFile, parsePolicy, PolicyError } from '../policies/load.js';
import type { PolicyFinding, PolicyInput } from '../policies/types.js';

const rrn = (confidence: PolicyFinding['confidence'] = 'high'): PolicyFinding => ({
  type: 'rrn',
  confidence,
  masked: '900101-1******',
  location: 'body',
});
const card: PolicyFinding = { type: 'credit_card', confidence: 'high', masked: '4111-11**-****-1111', location: 'subject' };
const input = (findings: PolicyFinding[], problems: PolicyInput['problems'] = []): PolicyInput => ({ findings, problems });
/** A finding of any type; masks are illustrative, the policy never reads them. */
const found = (type: FindingType, confidence: PolicyFinding['confidence'] = 'high'): PolicyFinding => ({
  type,
  confidence,
  masked: '***',
  location: 'body',
});
const keyword = (label: string, confidence: PolicyFinding['confidence'] = 'high'): PolicyFinding => ({
  type: 'keyword',
  confidence,
  masked: '대외비',
  location: 'subject',
  label,
});
const pattern = (label: string): PolicyFinding => ({ type: 'pattern', confidence: 'medium', masked: 'E********8', location: 'body', label });

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
    ['an attachment of a format with no extractor', input([], [{ code: 'unsupported-format', location: 'attachment:a.xls' }]), 'hold', 'uninspectable-hold'],
    ['an encrypted attachment', input([], [{ code: 'encrypted', location: 'attachment:급여.zip#명세서.xlsx' }]), 'hold', 'uninspectable-hold'],
    ['an attachment stopped by a limit', input([], [{ code: 'limit-exceeded', location: 'attachment:a.zip' }]), 'hold', 'uninspectable-hold'],
    ['an attachment whose name disagrees with its content', input([], [{ code: 'type-mismatch', location: 'attachment:계약서.txt' }]), 'monitor', 'type-mismatch-monitor'],
    ['a disguised attachment holding a resident number', input([rrn()], [{ code: 'type-mismatch', location: 'attachment:계약서.txt' }]), 'hold', 'personal-data-hold'],
    ['an unknown charset only', input([], [{ code: 'charset-unknown', location: 'body' }]), 'accept', null],
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

  const highRisk: FindingType[] = ['rrn', 'foreigner_rrn', 'driver_license', 'passport', 'credit_card', 'bank_account', 'health_insurance'];
  for (const type of highRisk) {
    it(`should hold a message carrying a ${type}`, () => {
      const decision = evaluatePolicy(policy, input([found(type, 'medium')]));
      assert.equal(decision.action, 'hold');
      assert.equal(decision.ruleId, 'personal-data-hold');
    });
  }

  // Signatures and invoices carry these in nearly every business mail.
  const everyday = PII_TYPES.filter((t) => !highRisk.includes(t));
  it(`should deliver mail with only ${everyday.join(', ')}`, () => {
    assert.deepEqual([...everyday].sort(), ['business_reg', 'corporate_reg', 'email', 'phone']);
    const decision = evaluatePolicy(policy, input(everyday.map((t) => found(t))));
    assert.equal(decision.action, 'accept');
    assert.equal(decision.ruleId, null);
  });

  it('should deliver mail with company keywords while no rule names them', () => {
    assert.equal(evaluatePolicy(policy, input([keyword('confidential'), pattern('employee-id')])).action, 'accept');
  });

  it('should ship a commented-out confidential rule that works once uncommented', () => {
    const lines = readFileSync(DEFAULT_POLICY_PATH, 'utf8').split('\n');
    const first = lines.findIndex((l) => l.includes('# - id: confidential-monitor'));
    assert.ok(first > 0, 'example rule not found');
    const example: string[] = [];
    for (const line of lines.slice(first)) {
      if (!line.startsWith('  #')) break;
      example.push('  ' + line.slice('  # '.length));
    }
    const uncommented = parsePolicy(`version: 1\nrules:\n${example.join('\n')}\n`);
    assert.equal(uncommented.rules[0]?.action, 'monitor');
    assert.equal(evaluatePolicy(uncommented, input([keyword('confidential')])).ruleId, 'confidential-monitor');
    assert.equal(evaluatePolicy(uncommented, input([keyword('projects')])).ruleId, null);
  });
});

describe('dictionary and pattern labels', () => {
  const policy = parsePolicy(`
version: 1
rules:
  - id: confidential-to-outside
    when:
      findings:
        types: [keyword]
        labels: [confidential, secret]
        min: 2
    action: hold
  - id: employee-ids
    when:
      findings:
        labels: [employee-id]
        min_confidence: medium
    action: monitor
`);
  const cases: Array<[string, PolicyFinding[], string | null]> = [
    ['two words from the labelled dictionaries', [keyword('confidential'), keyword('secret')], 'confidential-to-outside'],
    ['one labelled word', [keyword('confidential')], null],
    ['two words from another dictionary', [keyword('projects'), keyword('projects')], null],
    ['a pattern named like the dictionary, not a keyword', [keyword('confidential'), pattern('confidential')], null],
    ['two low-confidence words below the default floor', [keyword('confidential', 'low'), keyword('secret', 'low')], null],
    ['a match of the labelled pattern (no types: any labelled type)', [pattern('employee-id')], 'employee-ids'],
    ['personal data only, which has no label', [rrn(), card], null],
  ];
  for (const [what, findings, rule] of cases) {
    it(`should decide ${rule ?? 'the default'} for ${what}`, () => {
      assert.equal(evaluatePolicy(policy, input(findings)).ruleId, rule);
    });
  }

  it('should count keyword and pattern findings per label', () => {
    const decision = evaluatePolicy(policy, input([keyword('confidential'), keyword('secret'), keyword('confidential'), pattern('employee-id'), rrn()]));
    assert.deepEqual(decision.countsByType, { 'keyword:confidential': 2, 'keyword:secret': 1, 'pattern:employee-id': 1, rrn: 1 });
    assert.equal(decision.reason, 'keyword:confidential x2, keyword:secret x1');
  });

  it('should list every label its conditions select, nested ones included', () => {
    const nested = parsePolicy(`
version: 1
rules:
  - id: a
    when:
      any:
        - findings: { labels: [confidential] }
        - not: { all: [{ findings: { types: [pattern], labels: [employee-id, confidential] } }] }
    action: hold
  - id: b
    when: { findings: { types: [rrn] } }
    action: hold
`);
    assert.deepEqual(policyLabels(nested), ['confidential', 'employee-id']);
    assert.deepEqual(policyLabels(loadPolicyFile()), []);
  });

  it('should accept every finding type in types', () => {
    const all = parsePolicy(`version: 1\nrules:\n  - id: any\n    when: { findings: { types: [${FINDING_TYPES.join(', ')}] } }\n    action: hold\n`);
    for (const type of FINDING_TYPES) {
      assert.equal(evaluatePolicy(all, input([found(type)])).ruleId, 'any', type);
    }
  });

  it('should accept labels beside keyword or pattern among other types', () => {
    const mixed = parsePolicy('version: 1\nrules:\n  - id: m\n    when: { findings: { types: [rrn, pattern], labels: [employee-id] } }\n    action: hold\n');
    assert.equal(evaluatePolicy(mixed, input([pattern('employee-id')])).ruleId, 'm');
    // Labels narrow keyword and pattern findings only: the rrn listed beside them still counts,
    // a pattern with another label does not.
    assert.equal(evaluatePolicy(mixed, input([rrn()])).ruleId, 'm');
    assert.equal(evaluatePolicy(mixed, input([pattern('other')])).ruleId, null);
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
    [
      'labels without keyword or pattern in types',
      'version: 1\nrules:\n  - id: a\n    when:\n      findings:\n        types: [rrn, credit_card]\n        labels: [confidential]\n    action: hold\n',
      /^p\.yaml:7: rule "a", field when\.findings\.labels: labels name dictionaries and patterns: add keyword or pattern to types$/,
    ],
    ['an empty labels list', 'version: 1\nrules:\n  - id: a\n    when: { findings: { labels: [] } }\n    action: hold\n', /^p\.yaml:4: rule "a", field when\.findings\.labels: /],
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

describe('counting limits', () => {
  it('should refuse a min above the findings a message keeps of one kind', () => {
    const rule = (min: number) =>
      `version: 1\nrules:\n  - id: bulk\n    description: bulk\n    when:\n      findings:\n        types: [rrn]\n        min: ${min}\n    action: block\n`;
    assert.equal(parsePolicy(rule(1000)).rules[0]?.id, 'bulk');
    assert.throws(() => parsePolicy(rule(1001)), (err: Error) => err instanceof PolicyError && /at most 1000/.test(err.message));
  });
});
