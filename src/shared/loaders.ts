import { Reference, wrap, type Collection } from '@mikro-orm/core';

/**
 * Loads a to-one relation through the ORM's dataloader: the references resolved by every
 * field resolver of one request tick become a single `where id in (…)` query.
 */
export async function loadReference<T extends object>(entity: T | null | undefined): Promise<T | null> {
  if (!entity) return null;
  if (wrap(entity).isInitialized()) return entity;
  return ((await Reference.create(entity).load({ dataloader: true })) as T | undefined) ?? null;
}

/** Loads a to-many relation through the ORM's dataloader (one grouped query per request tick). */
export async function loadCollection<T extends object>(collection: Collection<T>): Promise<T[]> {
  if (collection.isInitialized()) return collection.getItems();
  await collection.load({ dataloader: true });
  return collection.getItems();
}
