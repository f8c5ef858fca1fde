import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';

/**
 * A per-request loader of the highest `version` row per parent (the admission rules in force of
 * a collège, the charter in force of a cluster): every parent asked for in one tick costs two
 * statements in all — the ids by `distinct on`, then the rows — however long the list. Earlier
 * versions are not read (a charter's text can be long). No caching: a later change of the same
 * request reads the new version.
 */
export function latestVersionLoader<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  table: string,
  parentColumn: string,
): DataLoader<string, T | null> {
  return new DataLoader(
    async (parentIds: readonly string[]) => {
      const latest = await em.execute<{ parent_id: string; id: string }[]>(
        `select distinct on (${parentColumn}) ${parentColumn} as parent_id, id from ${table}
          where ${parentColumn} in (?) order by ${parentColumn}, version desc`,
        [[...parentIds]],
      );
      const rows = latest.length ? await em.find(entity, { id: { $in: latest.map((r) => r.id) } } as never) : [];
      const byId = new Map(rows.map((row) => [row.id, row]));
      const byParent = new Map(latest.map((r) => [r.parent_id, byId.get(r.id) ?? null]));
      return parentIds.map((id) => byParent.get(id) ?? null);
    },
    { cache: false },
  );
}
