import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, MaxLength, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { PageArgs } from '../shared/pagination.js';
import { NotBlank } from '../shared/validation.js';
import { MeetingKind, MeetingState } from './meeting.entity.js';

@InputType({ description: 'A meeting to prepare (DRAFT): which body, what, when, where, who presides and takes the minutes.' })
export class CreateMeetingInput {
  @Field(() => ID, { description: 'The voting body that meets (a board or a general assembly).' })
  @IsUUID()
  bodyId!: string;

  @Field(() => MeetingKind, {
    description: 'BOARD for a board; ORDINARY_ or EXTRAORDINARY_GENERAL_ASSEMBLY for a general assembly (else MEETING_KIND_MISMATCH).',
  })
  @IsEnum(MeetingKind)
  kind!: MeetingKind;

  @Field({ description: 'Title (1–300 characters), e.g. "Assemblée générale extraordinaire du 12 mars 2027".' })
  @NotBlank()
  @Length(1, 300)
  title!: string;

  @Field({ description: 'When it is held: in the future.' })
  scheduledAt!: Date;

  @Field({ nullable: true, description: 'Where it is held (address, room; up to 1 000 characters).' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  place?: string;

  @Field({ nullable: true, description: 'Whether members may take part remotely (default false).' })
  @IsOptional()
  @IsBoolean()
  remoteAllowed?: boolean;

  @Field(() => ID, { nullable: true, description: 'The chair: an account in the body’s electorate now (else OFFICER_OUTSIDE_BODY).' })
  @IsOptional()
  @IsUUID()
  chairId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The secretary (secrétaire de séance): an account in the body’s electorate now, not the chair.',
  })
  @IsOptional()
  @IsUUID()
  secretaryId?: string | null;
}

@InputType({ description: 'Changes to a DRAFT meeting: only the fields given change; null clears the chair or the secretary.' })
export class UpdateMeetingInput {
  @Field(() => ID, { description: 'The meeting.' })
  @IsUUID()
  meetingId!: string;

  @Field(() => MeetingKind, { nullable: true, description: 'Ordinary or extraordinary (a general assembly); must match the body.' })
  @IsOptional()
  @IsEnum(MeetingKind)
  kind?: MeetingKind;

  @Field({ nullable: true, description: 'Title (1–300 characters).' })
  @IsOptional()
  @NotBlank()
  @Length(1, 300)
  title?: string;

  @Field({ nullable: true, description: 'When it is held: in the future (a second convocation: after the first one).' })
  @IsOptional()
  scheduledAt?: Date;

  @Field({ nullable: true, description: 'Where it is held (up to 1 000 characters).' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  place?: string;

  @Field({ nullable: true, description: 'Whether members may take part remotely.' })
  @IsOptional()
  @IsBoolean()
  remoteAllowed?: boolean;

  @Field(() => ID, { nullable: true, description: 'The chair (in the body’s electorate now); null: none yet.' })
  @IsOptional()
  @IsUUID()
  chairId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The secretary (in the body’s electorate now, not the chair); null: none yet.' })
  @IsOptional()
  @IsUUID()
  secretaryId?: string | null;
}

@InputType({ description: 'An item to add to a DRAFT meeting’s agenda.' })
export class AddAgendaItemInput {
  @Field(() => ID, { description: 'The meeting.' })
  @IsUUID()
  meetingId!: string;

  @Field({ description: 'Title (1–300 characters), e.g. "Approbation du projet de fusion".' })
  @NotBlank()
  @Length(1, 300)
  title!: string;

  @Field({ nullable: true, description: 'What is put to the meeting under it (up to 10 000 characters).' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string;

  @Field({
    nullable: true,
    description:
      'Whether a resolution may be voted under it (default true); false for "questions diverses", where nothing binding is decided.',
  })
  @IsOptional()
  @IsBoolean()
  binding?: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'Where it goes: 1 for first; absent, or past the end, for last. The items after it move down one.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  position?: number;
}

@InputType({ description: 'Changes to an item of a DRAFT meeting’s agenda: only the fields given change.' })
export class UpdateAgendaItemInput {
  @Field(() => ID, { description: 'The agenda item.' })
  @IsUUID()
  itemId!: string;

  @Field({ nullable: true, description: 'Title (1–300 characters).' })
  @IsOptional()
  @NotBlank()
  @Length(1, 300)
  title?: string;

  @Field({ nullable: true, description: 'What is put to the meeting under it (up to 10 000 characters).' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string;

  @Field({ nullable: true, description: 'Whether a resolution may be voted under it.' })
  @IsOptional()
  @IsBoolean()
  binding?: boolean;

  @Field(() => Int, { nullable: true, description: 'Moves it to this position (past the end: last); the others close up around it.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  position?: number;
}

@InputType({ description: 'A second convocation of a meeting adjourned for lack of quorum: same body, kind, officers and agenda.' })
export class CreateSecondConvocationInput {
  @Field(() => ID, { description: 'The first convocation, ADJOURNED_NO_QUORUM.' })
  @IsUUID()
  firstMeetingId!: string;

  @Field({ description: 'When it is held: in the future, after the first one.' })
  scheduledAt!: Date;

  @Field({ nullable: true, description: 'Where it is held; absent: where the first one was.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  place?: string;

  @Field({ nullable: true, description: 'Title (1–300 characters); absent: the first one’s, "(seconde convocation)" added.' })
  @IsOptional()
  @NotBlank()
  @Length(1, 300)
  title?: string;
}

@ArgsType()
export class MeetingsArgs extends PageArgs {
  @Field(() => [MeetingState], { nullable: true, description: 'Only these states.' })
  @IsOptional()
  @IsEnum(MeetingState, { each: true })
  states?: MeetingState[];
}
