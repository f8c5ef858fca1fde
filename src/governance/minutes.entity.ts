import type { Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import { Meeting } from './meeting.entity.js';

export enum MinutesRole {
  CHAIR = 'CHAIR',
  SECRETARY = 'SECRETARY',
}

registerEnumType(MinutesRole, {
  name: 'MinutesRole',
  description: 'In which capacity a procès-verbal is signed (the default signatories of the statutes).',
  valuesConfig: {
    CHAIR: { description: 'Président de séance: the meeting’s chair.' },
    SECRETARY: { description: 'Secrétaire de séance: the meeting’s secretary.' },
  },
});

/** The roles whose signatures make a version signed. */
export const DEFAULT_SIGNATORIES: readonly MinutesRole[] = [MinutesRole.CHAIR, MinutesRole.SECRETARY];

/** Free text the secretary adds under agenda items: agenda item id → text. */
export type MinutesNotes = Record<string, string>;

/**
 * One version of a meeting's procès-verbal: the canonical Markdown text generated from the
 * meeting's record (and the free text per agenda item), and its SHA-256. A version is never
 * changed: an edit adds a version, which starts unsigned; signatures stay with the version they
 * signed.
 */
@ObjectType({
  description:
    'One version of a meeting’s procès-verbal: its canonical Markdown text and SHA-256. Versions never change; an edit adds a version, unsigned.',
})
@Entity()
@Unique({ properties: ['meeting', 'version'] })
@Check({ name: 'meeting_minutes_version_positive', expression: 'version > 0' })
@Check({ name: 'meeting_minutes_sha256_hex', expression: `sha256 ~ '^[0-9a-f]{64}$'` })
export class MeetingMinutes extends BaseEntity<'createdBy' | 'notes'> {
  @ManyToOne(() => Meeting, { deleteRule: 'restrict', index: true })
  meeting!: Rel<Meeting>;

  @Field(() => Int, { description: 'Version number within the meeting: 1, 2, 3… (the highest is the current one).' })
  @Property({ type: 'integer' })
  version!: number;

  @Field({ description: 'The canonical text (Markdown, UTF-8) that the signatures certify.' })
  @Property({ type: 'text' })
  text!: string;

  @Field({ description: 'SHA-256 (hex) of the UTF-8 bytes of `text`: what each signature signs.' })
  @Property({ length: 64 })
  sha256!: string;

  /** The free text per agenda item this version was drawn up with (agenda item id → text). */
  @Property({ type: 'jsonb' })
  notes: MinutesNotes = {};

  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  createdBy?: Rel<Account> | null;
}

/**
 * A signature of one version of a procès-verbal, in one role, by the account the meeting
 * designates for it; it records the digest it signed (the version's SHA-256) and is valid for
 * that version only.
 */
@ObjectType({ description: 'A signature of one version of a procès-verbal, over its SHA-256, in one role.' })
@Entity()
@Unique({ properties: ['minutes', 'role'] })
@Check({ name: 'minutes_signature_sha256_hex', expression: `sha256 ~ '^[0-9a-f]{64}$'` })
export class MinutesSignature extends BaseEntity {
  @ManyToOne(() => MeetingMinutes, { deleteRule: 'restrict', index: true })
  minutes!: Rel<MeetingMinutes>;

  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  signer!: Rel<Account>;

  @Field(() => MinutesRole, { description: 'Président or secrétaire de séance.' })
  @Enum({ items: () => MinutesRole, nativeEnumName: 'minutes_role' })
  role!: MinutesRole;

  @Field({ description: 'The SHA-256 (hex) signed: the version’s digest at the time of signing.' })
  @Property({ length: 64 })
  sha256!: string;

  @Field({ description: 'When it was signed.' })
  @Property({ type: 'timestamptz' })
  signedAt!: Date;
}
