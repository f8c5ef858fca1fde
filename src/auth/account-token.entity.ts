import type { Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { BaseEntity } from '../shared/base.entity.js';
import { Account } from './account.entity.js';

/** What a single-use link proves when it is opened. */
export enum AccountTokenPurpose {
  PASSWORD_RESET = 'PASSWORD_RESET',
  EMAIL_VERIFICATION = 'EMAIL_VERIFICATION',
}

/**
 * A single-use link sent by mail (a password reset, an email verification). Its id is the
 * `tokenId` the outbox carries; the secret in the link is derived from the id with a key the
 * database does not hold (LinkTokens), and only the SHA-256 of that secret is stored here.
 *
 * Never deleted: a link is used once (`usedAt`), or made unusable by a newer link of the same
 * purpose for the same account (`supersededAt`), or left to expire. At most one link per account
 * and purpose is live (neither used nor superseded: the partial unique index), so asking again
 * always kills the earlier link.
 */
@Entity()
@Index({
  name: 'account_token_one_live',
  expression:
    'create unique index "account_token_one_live" on "account_token" ("account_id", "purpose") where "used_at" is null and "superseded_at" is null',
})
@Check({ name: 'account_token_expires_after_creation', expression: 'expires_at > created_at' })
@Check({ name: 'account_token_used_or_superseded', expression: 'used_at is null or superseded_at is null' })
export class AccountToken extends BaseEntity<'usedAt' | 'supersededAt'> {
  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  account!: Rel<Account>;

  @Enum({ items: () => AccountTokenPurpose })
  purpose!: AccountTokenPurpose;

  /** Hex SHA-256 of the link's secret (LinkTokens.hashOf). */
  @Property({ length: 64 })
  @Unique()
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  /** When the link did what it was sent for; it works no more. */
  @Property({ type: 'timestamptz', nullable: true })
  usedAt?: Date | null;

  /** When a newer link of the same purpose made this one unusable. */
  @Property({ type: 'timestamptz', nullable: true })
  supersededAt?: Date | null;
}
