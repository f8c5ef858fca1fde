import type { Rel } from '@mikro-orm/core';
import { Check, Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { BaseEntity } from '../shared/base.entity.js';
import { Account } from './account.entity.js';

/** A signed-in session. Only the SHA-256 of its bearer token is stored. */
@Entity()
@Check({ name: 'session_expires_after_creation', expression: 'expires_at > created_at' })
export class Session extends BaseEntity<'revokedAt' | 'lastUsedAt' | 'clientAddress' | 'userAgent'> {
  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  account!: Rel<Account>;

  /** Hex SHA-256 of the token; the token itself is shown once, at login. */
  @Property({ length: 64 })
  @Unique()
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  clientAddress?: string | null;

  @Property({ type: 'text', nullable: true })
  userAgent?: string | null;
}
