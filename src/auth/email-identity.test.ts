import { deceptiveEmail, emailSkeleton, normaliseEmail } from './email-identity.js';

describe('normaliseEmail: NFKC, trimmed, lower-cased', () => {
  it.each([
    [' Ada@Example.TEST ', 'ada@example.test'],
    ['ＡＤＡ@ｅｘａｍｐｌｅ.test', 'ada@example.test'],
    ['rene\u0301@example.test', 'ren\u00e9@example.test'],
    ['\u212bngstr\u00f6m@example.test', '\u00e5ngstr\u00f6m@example.test'],
  ])('%j → %j', (typed, stored) => {
    expect(normaliseEmail(typed)).toBe(stored);
    expect(normaliseEmail(stored)).toBe(stored);
  });
});

describe('deceptiveEmail: refused from the address alone', () => {
  it.each([
    ['admin@collegia.example'],
    ['ren\u00e9.dupont@example.test'],
    ['\u0438\u0432\u0430\u043d@example.test'],
    ['\u03b5\u03bb\u03bb\u03b7\u03bd\u03b1\u03c2@example.gr'],
    ['\u5c71\u7530\u305f\u308d\u3046@example.jp'],
    ['\u0930\u093e\u092e@example.in'],
    ['user+tag_1-2@sub-domain.example'],
  ])('%s is fine', (email) => {
    expect(deceptiveEmail(normaliseEmail(email))).toBeNull();
  });

  it('letters of two scripts in the local part', () => {
    expect(deceptiveEmail('\u0430dmin@collegia.example')).toEqual({ kind: 'mixed', part: 'local part', scripts: ['Cyrillic', 'Latin'] });
  });

  it('letters of two scripts in one label of the domain (each label is judged alone)', () => {
    expect(deceptiveEmail('admin@collegia.ex\u0430mple')).toEqual({
      kind: 'mixed',
      part: 'domain label "ex\u0430mple"',
      scripts: ['Cyrillic', 'Latin'],
    });
    expect(deceptiveEmail('\u0438\u0432\u0430\u043d@\u043f\u0440\u0438\u043c\u0435\u0440.example')).toBeNull();
  });

  it.each([
    ['a zero-width space', 'ad\u200bmin@collegia.example', 'U+200B'],
    ['a right-to-left override', 'ad\u202emin@collegia.example', 'U+202E'],
    ['a soft hyphen', 'ad\u00admin@collegia.example', 'U+00AD'],
    ['a mark on a Latin letter that has no composed form', 'n\u0308@example.test', 'U+0308'],
  ])('%s', (_label, email, point) => {
    expect(deceptiveEmail(normaliseEmail(email))).toEqual({ kind: 'hidden', detail: expect.stringContaining(point) });
  });
});

describe('emailSkeleton: what an address looks like', () => {
  it.each([
    ['an accent', 'adm\u00edn@collegia.example'],
    ['a combining accent', 'admi\u0301n@collegia.example'],
    ['Cyrillic letters', '\u0430dmin@c\u043ellegia.example'],
    ['Greek letters', 'admin@c\u03bfllegia.example'],
    ['"rn" for "m"', 'adrnin@collegia.example'],
    ['digits for letters ("1" for "l")', 'admin@co11egia.examp1e'],
    ['full-width letters', 'ａｄｍｉｎ@collegia.example'],
  ])('%s: the same as the plain address', (_label, email) => {
    expect(emailSkeleton(normaliseEmail(email))).toBe(emailSkeleton('admin@collegia.example'));
  });

  it('different addresses keep different skeletons', () => {
    expect(emailSkeleton('alice@example.test')).not.toBe(emailSkeleton('alicia@example.test'));
    expect(emailSkeleton('\u0438\u0432\u0430\u043d@example.test')).not.toBe(emailSkeleton('ivan@example.test'));
  });
});
