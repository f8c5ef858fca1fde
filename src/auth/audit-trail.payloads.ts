import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AuditFinding } from '../audit/audit.service.js';

registerEnumType(AuditFinding, {
  name: 'AuditFinding',
  description: 'What the verification of the audit trail found wrong.',
  valuesConfig: {
    CONTENT_ALTERED: { description: 'An entry’s content no longer matches its hash: it was edited.' },
    LINK_BROKEN: { description: 'An entry does not link to the one before it: entries were removed, inserted or reordered.' },
    SEAL_MISSING: { description: 'An entry without a seal after sealed ones: it was not written by Collegia.' },
    SEAL_INVALID: {
      description: 'An entry’s seal does not match its content: forged, or rewritten with its hash (and every later hash) recomputed.',
    },
    SEAL_REUSED: { description: 'Two entries carry the same seal: an entry was copied.' },
    CHECKPOINT_MISMATCH: {
      description: 'The entry a signed checkpoint names has another hash or position: the trail up to it was rewritten.',
    },
    CHECKPOINT_ENTRY_MISSING: { description: 'The entry a signed checkpoint names is gone: it was removed and the chain recomputed.' },
    NEWEST_ENTRIES_REMOVED: {
      description: 'A signed checkpoint recorded entries past the end of the trail: the newest entries were removed.',
    },
    TRAIL_EMPTIED: { description: 'The trail is empty, but a signed checkpoint recorded entries: it was emptied.' },
    CHECKPOINT_FORGED: { description: 'A line of the checkpoint log does not match its signature: the log was edited.' },
    CHECKPOINT_OTHER_KEY: {
      description: 'A line of the checkpoint log was signed with another key: the verifier’s AUDIT_SIGNING_KEY differs.',
    },
    CHECKPOINT_UNREADABLE: { description: 'A line of the checkpoint log is not a checkpoint.' },
  },
});

@ObjectType({ description: 'One thing the verification of the audit trail found wrong.' })
export class AuditProblemType {
  @Field(() => AuditFinding, { description: 'What was found.' })
  finding!: AuditFinding;

  @Field(() => Int, {
    nullable: true,
    description: 'The entry concerned (for removed entries: one a checkpoint names); null for the checkpoint log.',
  })
  seq!: number | null;

  @Field({ description: 'What was found, in plain words.' })
  message!: string;
}

@ObjectType({
  description:
    'Whether the audit trail is intact: every entry links to the one before, matches its hash and carries a seal made with the audit key, and the trail agrees with every signed checkpoint kept outside the database.',
})
export class AuditChainReport {
  @Field({ description: 'True when no entry was altered, removed, inserted, reordered or forged.' })
  intact!: boolean;

  @Field(() => Int, { description: 'How many entries were verified before the end or the first broken one.' })
  checkedEntries!: number;

  @Field(() => Int, { nullable: true, description: 'The first entry that fails verification, if any.' })
  firstBrokenSeq!: number | null;

  @Field(() => String, { nullable: true, description: 'Why that entry fails (the first problem, in plain words).' })
  reason!: string | null;

  @Field(() => AuditFinding, { nullable: true, description: 'What the first problem is.' })
  finding!: AuditFinding | null;

  @Field(() => [AuditProblemType], { description: 'Everything found wrong, the first problem first.' })
  problems!: AuditProblemType[];

  @Field(() => Int, { description: 'Signed checkpoints held against the trail.' })
  checkpoints!: number;

  @Field(() => Int, { nullable: true, description: 'The entry the latest checkpoint vouches for.' })
  lastCheckpointSeq!: number | null;

  @Field(() => Date, { nullable: true, description: 'When the latest checkpoint was signed.' })
  lastCheckpointAt!: Date | null;

  @Field(() => Int, {
    description: 'Entries after the latest checkpoint: sealed but not yet anchored (the server anchors new entries within seconds).',
  })
  unanchoredEntries!: number;

  @Field(() => Int, { description: 'The oldest entries, written before seals existed: vouched for by the checkpoints after them.' })
  unsealedEntries!: number;

  @Field({ description: 'Fingerprint of the audit key used (the first 16 hex digits of its SHA-256).' })
  keyId!: string;

  @Field({ description: 'Where the checkpoints were read from.' })
  checkpointLog!: string;
}
