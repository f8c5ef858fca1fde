import { Check, Entity, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../shared/base.entity.js';

/** A login. Emails are stored lower-cased, so uniqueness is case-insensitive by construction. */
@ObjectType({ description: 'A user account: someone who signs in to Collegia.' })
@Entity()
@Check({ name: 'account_email_lowercase', expression: 'email = lower(email)' })
export class Account extends BaseEntity<'disabled' | 'lastLoginAt'> {
  @Field({ description: 'Sign-in email, lower-cased; unique.' })
  @Property({ length: 320 })
  @Unique()
  email!: string;

  @Field({ description: 'Name shown to other users.' })
  @Property({ length: 200 })
  displayName!: string;

  /** Argon2id PHC string; never exposed. */
  @Property({ type: 'text', lazy: true })
  passwordHash!: string;

  @Field({ description: 'A disabled account cannot sign in, and its sessions stop working.' })
  @Property()
  disabled: boolean = false;

  @Field(() => Date, { nullable: true, description: 'Last successful sign-in.' })
  @Property({ type: 'timestamptz', nullable: true })
  lastLoginAt?: Date | null;
}
