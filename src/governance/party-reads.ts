import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { Account } from '../auth/account.entity.js';
import { loadChildren } from '../shared/loaders.js';
import { publishedBallotsOf, type PublishedBallot } from './ballot-box.js';
import { Participation } from './proposal.entity.js';

/**
 * What a list of proposals shows of each party — electorate and participation counts, the
 * published ballots, the participants — batched per request: every party of one request tick
 * is read in one statement per field, so a page of 200 proposals costs what a page of 10 does.
 * No caching across ticks: a later mutation of the same request reads fresh rows.
 */
const loaders = new WeakMap<EntityManager, Map<string, DataLoader<string, unknown>>>();

function batched<V>(
  em: EntityManager,
  name: string,
  load: (ids: readonly string[]) => Promise<Map<string, V>>,
  empty: () => V,
): DataLoader<string, V> {
  let byName = loaders.get(em);
  if (!byName) loaders.set(em, (byName = new Map<string, DataLoader<string, unknown>>()));
  let loader = byName.get(name) as DataLoader<string, V> | undefined;
  if (!loader) {
    loader = new DataLoader<string, V>(
      async (ids) => {
        const found = await load(ids);
        return ids.map((id) => found.get(id) ?? empty());
      },
      { cache: false },
    );
    byName.set(name, loader);
  }
  return loader;
}

/** Rows per party of `table` (elector or participation), for the parties `ids`: one statement. */
function countsOf(em: EntityManager, table: 'elector' | 'participation') {
  return async (ids: readonly string[]): Promise<Map<string, number>> => {
    const rows = await em.execute<{ party_id: string; n: number }[]>(
      `select party_id, count(*)::int as n from ${table} where party_id = any(?::uuid[]) group by party_id`,
      [`{${ids.join(',')}}`],
    );
    return new Map(rows.map((r) => [r.party_id, r.n]));
  };
}

/** Voters in a party's snapshotted electorate. */
export function electorateOf(em: EntityManager, partyId: string): Promise<number> {
  return batched(em, 'electorate', countsOf(em, 'elector'), () => 0).load(partyId);
}

/** Ballots cast so far in a party's vote (by proxy included). */
export function participationOf(em: EntityManager, partyId: string): Promise<number> {
  return batched(em, 'participation', countsOf(em, 'participation'), () => 0).load(partyId);
}

/** A party's counted ballots as published (by receipt digest). */
export function publishedBallotsOfParty(em: EntityManager, partyId: string): Promise<PublishedBallot[]> {
  return batched(
    em,
    'ballots',
    (ids) => publishedBallotsOf(em, ids),
    () => [] as PublishedBallot[],
  ).load(partyId);
}

/** Who took part in a party's vote (for a SECRET vote, never how), by name. */
export async function participantsOf(em: EntityManager, partyId: string): Promise<Account[]> {
  const rows = await loadChildren(em, Participation, 'party', partyId, { id: 'asc' }, ['voter']);
  return rows.map((r) => r.voter).sort((a, b) => a.displayName.localeCompare(b.displayName));
}
