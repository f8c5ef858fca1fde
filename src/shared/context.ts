import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../audit/audit.service.js';
import type { Viewer } from '../auth/permissions.js';
import type { Services } from '../services.js';

/** What every resolver receives: one EntityManager fork and one set of services per request. */
export interface Context {
  em: EntityManager;
  requestId: string;
  clientAddress: string;
  userAgent: string | null;
  /** The signed-in caller, or null for an anonymous request. */
  viewer: Viewer | null;
  /** The caller as the audit trail records them. */
  actor: Actor;
  services: Services;
}
