/**
 * How an email is recognised as the same account, or as a look-alike of one.
 *
 * - `normaliseEmail`: NFKC (full-width and other compatibility forms fold to their plain letters,
 *   an accent typed as a combining mark composes with its letter), trimmed, lower-cased. The
 *   form stored in `account.email` and looked up at sign-in.
 * - `deceptiveEmail`: refuses, from the address alone, what no honest address needs: invisible
 *   characters (zero-width, bidirectional controls…), an accent left over that composes with no
 *   letter, and letters of several scripts in one part (a Cyrillic "а" among Latin letters).
 *   The rule is UTS #39's "highly restrictive" level, applied to the local part and to each
 *   label of the domain: one script each, or Latin with Han and the Japanese kana, with Han
 *   and Bopomofo, or with Han and Hangul. It never depends on which accounts exist, so a
 *   refusal tells nothing about them.
 * - `emailSkeleton`: what the address looks like, for comparison with existing accounts:
 *   compatibility-decomposed, accents removed, letters of other scripts that look like Latin
 *   ones mapped to them (Cyrillic "а" → "a", Greek "ο" → "o"…), and a few sequences that pass
 *   for one letter ("rn" → "m"). Two addresses with the same skeleton are look-alikes. The map
 *   is Collegia's own, written from the characters UTS #39 lists as confusable with Latin
 *   letters and digits; no maintained npm package implements UTS #39 skeletons (see README).
 */

/** The stored and compared form of an email. */
export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
}

/** Scripts that may share one part of an address (UTS #39, highly restrictive). */
const ALLOWED_MIXES: readonly ReadonlySet<string>[] = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

/**
 * The scripts told apart. A letter of none of them counts as its own "Other" script, so that it
 * cannot hide among letters of a listed one.
 */
const SCRIPT_NAMES = [
  'Latin',
  'Greek',
  'Cyrillic',
  'Armenian',
  'Georgian',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Khmer',
  'Mongolian',
  'Ethiopic',
  'Cherokee',
  'Canadian_Aboriginal',
  'Han',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Hangul',
  'Tifinagh',
  'Coptic',
  'Glagolitic',
  'Runic',
  'Ogham',
  'Vai',
  'Lisu',
  'Bamum',
  'Nko',
];
const SCRIPTS = SCRIPT_NAMES.map((name) => ({ name, pattern: new RegExp(`^\\p{Script=${name}}$`, 'u') }));
const NEUTRAL = /^[\p{Script=Common}\p{Script=Inherited}]$/u;
/** Scripts whose accents have precomposed letters: a mark left after NFKC on them is a disguise. */
const PRECOMPOSING = new Set(['Latin', 'Greek', 'Cyrillic', 'Armenian', 'Common']);

function scriptOf(char: string): string {
  if (/^[a-z]$/.test(char)) return 'Latin';
  if (NEUTRAL.test(char)) return 'Common';
  return SCRIPTS.find((script) => script.pattern.test(char))?.name ?? 'Other';
}

/** Invisible or unassigned code points, separators and controls: no address needs them. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}\p{Z}]/u;
const MARK = /^\p{M}$/u;

/** Why an email is refused as deceptive, from the address alone. */
export type DeceptiveEmail =
  | { kind: 'hidden'; detail: string }
  | {
      kind: 'mixed';
      /** The part that mixes scripts: `local part` or `domain label "…"`. */
      part: string;
      scripts: string[];
    };

/** Whether a normalised email hides characters or mixes scripts in one part; null when it does not. */
export function deceptiveEmail(email: string): DeceptiveEmail | null {
  const hidden = HIDDEN.exec(email);
  if (hidden) {
    return { kind: 'hidden', detail: `U+${hidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` };
  }
  const at = email.lastIndexOf('@');
  const parts: [string, string][] = [['local part', email.slice(0, at)]];
  for (const label of email.slice(at + 1).split('.')) parts.push([`domain label "${label}"`, label]);
  for (const [name, text] of parts) {
    const scripts = new Set<string>();
    let base = 'Common';
    for (const char of text) {
      if (MARK.test(char)) {
        if (PRECOMPOSING.has(base)) {
          const point = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
          return { kind: 'hidden', detail: `${point}, an accent on no letter it composes with` };
        }
        continue;
      }
      base = scriptOf(char);
      if (base !== 'Common') scripts.add(base);
    }
    if (scripts.size > 1 && !ALLOWED_MIXES.some((allowed) => [...scripts].every((script) => allowed.has(script)))) {
      return { kind: 'mixed', part: name, scripts: [...scripts].sort() };
    }
  }
  return null;
}

/**
 * Letters of other scripts (and Latin variants without a decomposition) that pass for a Latin
 * letter or digit, after lower-casing. Accented letters need no entry: the skeleton removes
 * accents first.
 */
const LOOKS_LATIN: Readonly<Record<string, string>> = {
  // Cyrillic
  '\u0430': 'a', // а
  '\u0432': 'b', // в
  '\u044c': 'b', // ь
  '\u0441': 'c', // с
  '\u0501': 'd', // ԁ
  '\u0435': 'e', // е
  '\u04bb': 'h', // һ
  '\u043d': 'h', // н
  '\u0456': 'i', // і
  '\u0458': 'j', // ј
  '\u043a': 'k', // к
  '\u04cf': 'l', // ӏ
  '\u043c': 'm', // м
  '\u043f': 'n', // п
  '\u043e': 'o', // о
  '\u0440': 'p', // р
  '\u051b': 'q', // ԛ
  '\u0433': 'r', // г
  '\u0455': 's', // ѕ
  '\u0442': 't', // т
  '\u0446': 'u', // ц
  '\u0475': 'v', // ѵ
  '\u051d': 'w', // ԝ
  '\u0445': 'x', // х
  '\u0443': 'y', // у
  '\u04af': 'y', // ү
  // Greek
  '\u03b1': 'a', // α
  '\u03b2': 'b', // β
  '\u03f2': 'c', // ϲ
  '\u03b5': 'e', // ε
  '\u03b7': 'n', // η
  '\u03b9': 'i', // ι
  '\u03f3': 'j', // ϳ
  '\u03ba': 'k', // κ
  '\u03bd': 'v', // ν
  '\u03bf': 'o', // ο
  '\u03c1': 'p', // ρ
  '\u03c4': 't', // τ
  '\u03c5': 'u', // υ
  '\u03c7': 'x', // χ
  '\u03b3': 'y', // γ
  '\u03c9': 'w', // ω
  // Armenian
  '\u0581': 'g', // ց
  '\u0570': 'h', // հ
  '\u0578': 'n', // ո
  '\u0585': 'o', // օ
  '\u0566': 'q', // զ
  '\u057d': 'u', // ս
  // Latin letters that no decomposition reduces to their plain look-alike
  '\u0131': 'i', // ı
  '\u0269': 'i', // ɩ
  '\u0251': 'a', // ɑ
  '\u0261': 'g', // ɡ
  '\u029f': 'l', // ʟ
  '\u0142': 'l', // ł
  '\u019a': 'l', // ƚ
  '\u01c0': 'l', // ǀ
  '\u0111': 'd', // đ
  '\u0127': 'h', // ħ
  '\u0167': 't', // ŧ
  '\u00f8': 'o', // ø
  '\u00df': 'ss', // ß
  '\u00e6': 'ae', // æ
  '\u0153': 'oe', // œ
  // Digits and signs that pass for letters
  '0': 'o',
  '1': 'l',
  '|': 'l',
};

/** Sequences that pass for one letter once the letters are mapped. */
const LOOKS_LIKE_ONE: readonly [RegExp, string][] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
];

/** What a normalised email looks like: equal skeletons are look-alikes (see the file's comment). */
export function emailSkeleton(email: string): string {
  const bare = email.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  let mapped = '';
  for (const char of bare) mapped += LOOKS_LATIN[char] ?? char;
  for (const [sequence, letter] of LOOKS_LIKE_ONE) mapped = mapped.replace(sequence, letter);
  return mapped.normalize('NFC');
}
