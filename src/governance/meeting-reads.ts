import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';

/**
 * What a list of meetings shows of each, batched per request: every meeting of one request tick
 * is counted in one statement, so a page of 200 meetings costs what a page of 10 does. No caching
 * across ticks: a later mutation of the same request reads fresh rows.
 */
const loaders = new WeakMap<EntityManager, DataLoader<string, number>>();

/** How many were convened to a meeting (its frozen recipient list). */
export function recipientsCountOf(em: EntityManager, meetingId: string): Promise<number> {
  let loader = loaders.get(em);
  if (!loader) {
    loader = new DataLoader<string, number>(
      async (ids) => {
        const rows = await em.execute<{ meeting_id: string; n: number }[]>(
          `select meeting_id, count(*)::int as n from convocation_recipient where meeting_id = any(?::uuid[]) group by meeting_id`,
          [`{${ids.join(',')}}`],
        );
        const counts = new Map(rows.map((r) => [r.meeting_id, r.n]));
        return ids.map((id) => counts.get(id) ?? 0);
      },
      { cache: false },
    );
    loaders.set(em, loader);
  }
  return loader.load(meetingId);
}
