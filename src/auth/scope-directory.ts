import type { EntityClass, EntityManager } from '@mikro-orm/postgresql';

/**
 * The clusters and collèges that roles are held over, as auth needs to know them. Auth sits
 * below membership, which owns those tables: membership implements this port
 * (`membership/scope-directory.ts`) and the composition root hands it to auth's services.
 */
export interface ScopeDirectory {
  cluster(em: EntityManager, id: string): Promise<ScopeCluster | null>;
  college(em: EntityManager, id: string): Promise<ScopeCollege | null>;
}

export interface ScopeCluster {
  id: string;
  slug: string;
  name: string;
  /** ACTIVE, or MERGED once absorbed by a fusion (no new roles are granted in it). */
  status: string;
}

export interface ScopeCollege {
  id: string;
  clusterId: string;
  name: string;
}

/**
 * The entity classes a role assignment points to. Auth holds the foreign keys, not the classes:
 * the composition root binds them (`database/entities.ts`) before the ORM reads the metadata,
 * which asks for them lazily.
 */
export const SCOPE_ENTITIES: { cluster?: EntityClass<object>; college?: EntityClass<object> } = {};

export function scopeEntity(kind: keyof typeof SCOPE_ENTITIES): EntityClass<object> {
  const entity = SCOPE_ENTITIES[kind];
  if (!entity) throw new Error(`The ${kind} entity was not bound: database/entities.ts binds SCOPE_ENTITIES before discovery.`);
  return entity;
}
