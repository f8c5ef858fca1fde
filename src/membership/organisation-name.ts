/**
 * The key two organisation names are compared by (possible duplicates, organisation-duplicates.ts):
 * the name without accents, case, punctuation, legal forms or articles. "SOLEDGE SAS" → "soledge",
 * "Université de Lyon" → "universite de lyon", "L'Atelier du Code" → "atelier du code".
 *
 * It is SQL, computed by PostgreSQL in a stored generated column (`organisation.name_key`, with its
 * trigram index) and applied to the name being registered in the same words: every row has its
 * key, however it was inserted. A generated column takes IMMUTABLE functions only: the `unaccent`
 * extension's function is STABLE (its dictionary can change) and would need a wrapper function,
 * which the ORM's schema check would then drop; `translate` of the accented Latin letters is
 * IMMUTABLE, and `lower` runs after it (under the C locale it lowers ASCII letters only).
 */

/** Letters folded to their base letter, capitals included. */
const ACCENTED =
  'ÀÁÂÃÄÅĀĂĄàáâãäåāăąÇĆĈĊČçćĉċčĎĐďđÈÉÊËĒĔĖĘĚèéêëēĕėęěĜĞĠĢĝğġģĤĦĥħÌÍÎÏĨĪĬĮİìíîïĩīĭįıĴĵĶķĹĻĽĿŁĺļľŀłÑŃŅŇñńņňÒÓÔÕÖØŌŎŐòóôõöøōŏőŔŖŘŕŗřŚŜŞŠśŝşšŢŤŦţťŧÙÚÛÜŨŪŬŮŰŲùúûüũūŭůűųŴŵÝŶŸýÿŷŹŻŽźżž';

/** Letters that do not decompose into a base letter and a mark. */
const UNDECOMPOSED: Record<string, string> = { Đ: 'd', đ: 'd', Ħ: 'h', ħ: 'h', ı: 'i', Ł: 'l', ł: 'l', Ø: 'o', ø: 'o', Ŧ: 't', ŧ: 't' };

/** The base letter of each accented one, in the same order (one letter each, as `translate` needs). */
const BASE = [...ACCENTED]
  .map(
    (letter) =>
      UNDECOMPOSED[letter] ??
      letter
        .normalize('NFKD')
        .replace(/[^A-Za-z]/g, '')
        .toLowerCase(),
  )
  .join('');

/** Ligatures, which become two letters. */
const LIGATURES: [string, string][] = [
  ['Œ', 'oe'],
  ['œ', 'oe'],
  ['Æ', 'ae'],
  ['æ', 'ae'],
  ['ß', 'ss'],
];

/** Legal forms and articles, dropped as whole words ("l'" is the word "l" once the apostrophe is a space). */
export const DROPPED_WORDS = [
  'sas',
  'sasu',
  'sarl',
  'sa',
  'eurl',
  'scop',
  'scic',
  'sci',
  'snc',
  'selarl',
  'gie',
  'association',
  'asso',
  'l',
  'the',
];

/** The SQL of the key of `expression` (a column or a parameter, as text). */
export function nameKeySql(expression: string): string {
  let folded = `translate(${expression}, '${ACCENTED}', '${BASE}')`;
  for (const [ligature, letters] of LIGATURES) folded = `replace(${folded}, '${ligature}', '${letters}')`;
  // Words: lower-case letters and digits, one space between them, none around.
  const words = `btrim(regexp_replace(lower(${folded}), '[^a-z0-9]+', ' ', 'g'))`;
  const kept = `btrim(regexp_replace(' ' || ${words} || ' ', ' ((${DROPPED_WORDS.join('|')}) )+', ' ', 'g'))`;
  // A name made only of dropped words ("SA") keeps them.
  return `coalesce(nullif(${kept}, ''), ${words})`;
}

if (BASE.length !== [...ACCENTED].length) throw new Error('organisation-name: every accented letter needs one base letter');
