import type { EntityManager } from '@mikro-orm/postgresql';
import { Organisation } from './organisation.entity.js';
import { nameKeySql } from './organisation-name.js';

/**
 * Possible duplicates by name (issue 13, item 3). Two names are close when their keys are equal
 * or similar enough. The key (organisation-name.ts, `organisation.name_key`) is the name without
 * accents, case, punctuation, legal forms or articles: "SOLEDGE SAS" and "Soledge", "Université de
 * Lyon" and "Universite de Lyon", "Nélis" and "Nelis", "Télécom Valley Association" and "Telecom
 * Valley" have the same key.
 *
 * Otherwise, close means a pg_trgm similarity of the keys of at least 0.6. Measured on the 406
 * organisations of the demo (distinct organisations, some generated with look-alike names):
 * 0.6 flags 16 pairs — the word-order swaps "Conseil Thau" / "Thau Conseil" (1.0), numbered series
 * of labs ("Centre de recherche en image et son de Paris" / "… de Sète", 0.77) and names sharing a
 * long trade word ("Daconix Microelectronics" / "Nonix Microelectronics", 0.70); 0.5 would flag
 * 118 pairs, mostly "X Solutions" / "Y Solutions", and the warning would become noise. At 0.6 it
 * catches a typo in a longer name ("Telecom Valey", 0.81), spacing ("French South Digital" for
 * "FrenchSouth.digital", 0.78), a shortened name ("Media Cloud" for "Media Cloud Cluster", 0.67)
 * and flags "Université de Lille" for "Université de Lyon" (0.63: a warning the caller confirms).
 * It misses a one-letter typo in a short one-word name ("Soledj" 0.5, "Nelys" 0.33): trigrams are
 * too coarse there, and a lower threshold costs more than it catches.
 *
 * Different legal entities are not duplicates: when both organisations have a SIREN (the new one's,
 * or the SIREN its SIRET starts with) and they differ, the name alone does not make them one.
 */
export const NAME_SIMILARITY_THRESHOLD = 0.6;

/** At most this many possible duplicates are listed, closest first. */
export const MAX_POSSIBLE_DUPLICATES = 10;

/**
 * The organisations whose name is close to the name given (1st parameter), closest first (same
 * key, then by similarity, then by name), at most the 5th parameter; with a SIREN (3rd and 4th),
 * those with another SIREN are left out. Through the trigram index: `%` takes the candidates above
 * pg_trgm's own threshold (0.3 unless configured higher), the similarity test (2nd) keeps the close.
 */
export const NAMED_LIKE_SQL = `select o.*
  from organisation o, (select ${nameKeySql('given.name')} as key from (select ?::text as name) given) wanted
 where wanted.key <> ''
   and (o.name_key = wanted.key or (o.name_key % wanted.key and similarity(o.name_key, wanted.key) >= ?))
   and (?::text is null or coalesce(o.siren, left(o.siret, 9)) is null or coalesce(o.siren, left(o.siret, 9)) = ?::text)
 order by o.name_key = wanted.key desc, similarity(o.name_key, wanted.key) desc, o.name, o.id
 limit ?`;

/** The organisations whose name is close to `name` (NAMED_LIKE_SQL): one statement. */
export async function organisationsNamedLike(em: EntityManager, name: string, siren: string | null): Promise<Organisation[]> {
  const rows = await em.execute<Record<string, unknown>[]>(NAMED_LIKE_SQL, [
    name,
    NAME_SIMILARITY_THRESHOLD,
    siren,
    siren,
    MAX_POSSIBLE_DUPLICATES,
  ]);
  return rows.map((row) => em.map(Organisation, row));
}

/**
 * Serialises, until the end of the transaction, the creations of organisations whose names have
 * the same key: two people registering "Soledge" at the same instant cannot both miss the other.
 */
export async function lockNameKey(tx: EntityManager, name: string): Promise<void> {
  await tx.execute(
    `select pg_advisory_xact_lock(hashtextextended(${nameKeySql('given.name')}, 3130002)) from (select ?::text as name) given`,
    [name],
  );
}
