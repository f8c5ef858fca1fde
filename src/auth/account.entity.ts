import { Check, Entity, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../shared/base.entity.js';

/**
 * A login. Emails are stored normalised (NFKC, trimmed, lower-cased: see email-identity.ts), so
 * uniqueness is case-insensitive by construction; `emailSkeleton` finds look-alikes.
 */
@ObjectType({ description: 'A user account: someone who signs in to Collegia.' })
@Entity()
@Check({ name: 'account_email_lowercase', expression: 'email = lower(email)' })
export class Account extends BaseEntity<'disabled' | 'lastLoginAt' | 'emailSkeleton' | 'emailVerifiedAt'> {
  // Read through AccountDetailsResolver: the account itself and platform administrators only.
  @Property({ length: 320 })
  @Unique()
  email!: string;

  /**
   * What the email looks like (`emailSkeleton`): a registration whose email has the same
   * skeleton as an existing account's is a look-alike and creates nothing. Null only for
   * accounts older than this column that the migration could not compute.
   */
  @Property({ type: 'text', nullable: true })
  @Index()
  emailSkeleton?: string | null;

  @Field({ description: 'Name shown to other users.' })
  @Property({ length: 200 })
  displayName!: string;

  /** Argon2id PHC string; never exposed. */
  @Property({ type: 'text', lazy: true })
  passwordHash!: string;

  @Property()
  disabled: boolean = false;

  @Property({ type: 'timestamptz', nullable: true })
  lastLoginAt?: Date | null;

  /**
   * When the owner proved the email is theirs (a verification link opened, or a reset link used);
   * null until then: an unverified account may sign in and look after itself, nothing more (see
   * DomainService.requireSignedIn). Accounts created by trusted callers (the seed, `admin:create`)
   * are verified at creation; those older than this column were marked verified at their creation.
   */
  @Property({ type: 'timestamptz', nullable: true })
  emailVerifiedAt?: Date | null;
}
