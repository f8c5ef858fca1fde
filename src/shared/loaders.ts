import { Reference, Utils, wrap, type Collection, type EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { isDetachedRow } from './detached-row.js';

/** A relation's value: at once when it is loaded, else a promise of it. */
export type Loadable<T> = T | null | Promise<T | null>;

/**
 * Loads a to-one relation through the ORM's dataloader: the references resolved by every
 * field resolver of one request tick become a single `where id in (…)` query. What is already
 * loaded — an initialized entity, or a row read in plain SQL such as a directory row's
 * organisation (plain data, or a `detachedRow`) — is returned as it is, synchronously, so GraphQL completes it without a promise.
 */
export function loadReference<T extends object>(entity: T | null | undefined): Loadable<T> {
  if (!entity) return null;
  if (!Utils.isEntity(entity) || isDetachedRow(entity) || wrap(entity).isInitialized()) return entity;
  return Reference.create(entity)
    .load({ dataloader: true })
    .then((loaded) => (loaded as T | undefined) ?? null);
}

/** Loads a to-many relation through the ORM's dataloader (one grouped query per request tick). */
export async function loadCollection<T extends object>(collection: Collection<T>): Promise<T[]> {
  if (collection.isInitialized()) return collection.getItems();
  await collection.load({ dataloader: true });
  return collection.getItems();
}

const childLoaders = new WeakMap<EntityManager, Map<string, DataLoader<string, object[]>>>();

/**
 * The rows of `entity` whose `parent` relation is `parentId`, batched: every call of one request
 * tick for the same (entity, parent, order, populated relations) becomes one `where parent in (…)`
 * query, so a list of 200 items with their children costs one query, not 200. For relations the ORM maps without a
 * collection on the parent side. No caching: a later mutation of the same request reads fresh rows.
 */
export function loadChildren<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  parent: keyof T & string,
  parentId: string,
  orderBy: Record<string, 'asc' | 'desc'>,
  populate: readonly string[] = [],
): Promise<T[]> {
  let loaders = childLoaders.get(em);
  if (!loaders) childLoaders.set(em, (loaders = new Map<string, DataLoader<string, object[]>>()));
  const key = `${entity.name}.${parent}:${JSON.stringify(orderBy)}:${populate.join(',')}`;
  let loader = loaders.get(key);
  if (!loader) {
    loader = new DataLoader(
      async (parentIds: readonly string[]) => {
        const rows = await em.find(entity, { [parent]: { $in: [...parentIds] } } as never, { orderBy, populate } as never);
        const byParent = new Map(parentIds.map((id) => [id, [] as object[]]));
        for (const row of rows) byParent.get(wrap((row as Record<string, object>)[parent], true).getPrimaryKey() as string)?.push(row);
        return parentIds.map((id) => byParent.get(id) ?? []);
      },
      { cache: false },
    );
    loaders.set(key, loader);
  }
  return loader.load(parentId) as Promise<T[]>;
}
