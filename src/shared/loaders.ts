import { Reference, Utils, wrap, type Collection } from '@mikro-orm/core';

/** A relation's value: at once when it is loaded, else a promise of it. */
export type Loadable<T> = T | null | Promise<T | null>;

/**
 * Loads a to-one relation through the ORM's dataloader: the references resolved by every
 * field resolver of one request tick become a single `where id in (…)` query. What is already
 * loaded — an initialized entity, or a plain read-model row such as a directory row's
 * organisation — is returned as it is, synchronously, so GraphQL completes it without a promise.
 */
export function loadReference<T extends object>(entity: T | null | undefined): Loadable<T> {
  if (!entity) return null;
  if (!Utils.isEntity(entity) || wrap(entity).isInitialized()) return entity;
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
