import { BigIntType, OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property, Trigger, Unique } from '@mikro-orm/decorators/legacy';
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';

// The body of the append-only row trigger: any UPDATE or DELETE is refused.
const REFUSE_CHANGE = `raise exception 'the audit trail is append-only: % on audit_entry is refused', tg_op using errcode = 'insufficient_privilege';`;

/**
 * One state change, appended in the same transaction as the change. The database refuses
 * UPDATE and DELETE on this table (trigger below) and TRUNCATE (a trigger written in the first
 * migration: the ORM cannot introspect statement triggers), and each entry
 * stores SHA-256(previous hash + its own canonical content), so any edit breaks the chain. Each
 * entry is also sealed with a key the database never holds, and the head is checkpointed outside
 * it (see AuditService).
 */
@ObjectType({ description: 'An entry of the append-only, hash-chained audit trail: who changed what, when, before and after.' })
@Entity()
@Trigger({ name: 'audit_entry_no_update_delete', timing: 'before', events: ['update', 'delete'], forEach: 'row', body: REFUSE_CHANGE })
export class AuditEntry {
  [OptionalProps]?: 'seq' | 'seal';

  @Field(() => ID, { description: 'Position in the trail (1, 2, 3…); entries are chained in this order.' })
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  seq!: number;

  @Field({ description: 'When the change was made.' })
  @Property({ type: 'timestamptz' })
  @Index()
  occurredAt!: Date;

  @Field(() => String, { nullable: true, description: 'Account that made the change; null for the system (seeds, migrations).' })
  @Property({ type: 'uuid', nullable: true })
  @Index()
  actorId?: string | null;

  @Field({ description: 'What was done, e.g. "cluster.create", "account.login".' })
  @Property({ length: 100 })
  action!: string;

  @Field({ description: 'Kind of record changed, e.g. "Cluster".' })
  @Property({ length: 100 })
  entityType!: string;

  @Field({ description: 'Identifier of the record changed.' })
  @Property({ length: 100 })
  entityId!: string;

  @Field(() => GraphQLJSON, { nullable: true, description: 'The record before the change (null on creation). Secrets are omitted.' })
  @Property({ type: 'jsonb', nullable: true })
  before?: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: 'The record after the change (null on removal). Secrets are omitted.' })
  @Property({ type: 'jsonb', nullable: true })
  after?: unknown;

  @Field(() => String, { nullable: true, description: 'The HTTP request that made the change, as in the logs.' })
  @Property({ length: 100, nullable: true })
  requestId?: string | null;

  @Field({ description: 'Hash of the previous entry (64 zeros for the first).' })
  @Property({ length: 64 })
  prevHash!: string;

  @Field({ description: 'SHA-256 of prevHash and this entry’s canonical content, hex.' })
  @Property({ length: 64 })
  @Unique()
  hash!: string;

  /**
   * `<nonce>.<HMAC-SHA-256>` of the canonical content under the audit key (never in the
   * database): only Collegia can write an entry that verifies. Null only for entries written
   * before seals existed. Unique: a copied entry is found.
   */
  @Property({ length: 97, nullable: true })
  @Unique()
  seal?: string | null;
}
