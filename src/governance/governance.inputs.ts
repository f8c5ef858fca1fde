import { NotBlank } from '../shared/validation.js';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { PageArgs } from '../shared/pagination.js';
import { LocalDate } from '../shared/scalars.js';
import { Choice, PendingApplications, ProposalKind, ProposalState } from './proposal.entity.js';
import { BodyKind } from './voting-body.entity.js';
import { VotingRules } from './voting-rules.js';

@InputType({ description: 'Seats of one collège on a board.' })
export class SeatCountInput {
  @Field(() => ID, { description: 'The collège.' })
  @IsUUID()
  collegeId!: string;

  @Field(() => Int, { description: 'How many seats it holds (0–100).' })
  @IsInt()
  @Min(0)
  @Max(100)
  seats!: number;
}

@InputType({
  description: 'A voting body and its statutory rules (creates it, or replaces its rules; open votes keep the rules they copied).',
})
export class ConfigureVotingBodyInput {
  @Field(() => ID, { description: 'The cluster.' })
  @IsUUID()
  clusterId!: string;

  @Field(() => BodyKind, { description: 'Board or general assembly.' })
  @IsEnum(BodyKind)
  kind!: BodyKind;

  @Field({ description: 'Name (1–200 characters).' })
  @NotBlank()
  @Length(1, 200)
  name!: string;

  @Field(() => VotingRules, { description: 'The statutes’ voting rules.' })
  @ValidateNested()
  rules!: VotingRules;

  @Field(() => [SeatCountInput], { nullable: true, description: 'BOARD: seats per collège of the cluster.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  seats?: SeatCountInput[];
}

@InputType({ description: 'A board seat holder’s mandate.' })
export class AppointBoardMemberInput {
  @Field(() => ID, { description: 'The cluster whose board it is.' })
  @IsUUID()
  clusterId!: string;

  @Field(() => ID, { description: 'The collège whose seat it is.' })
  @IsUUID()
  collegeId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The account holding the seat. Give it or `accountEmail`, exactly one of the two (else INVALID_INPUT).',
  })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The account holding the seat, by its sign-in email instead of its id, in any case (compared as stored: Unicode NFKC, trimmed, lower-cased). An email no account signs in with is ACCOUNT_EMAIL_UNKNOWN (NOT_FOUND), said only to a caller allowed to appoint board members here.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  accountEmail?: string;

  @Field(() => Date, { nullable: true, description: 'Start (default now).' })
  @IsOptional()
  startsAt?: Date;

  @Field(() => Date, { nullable: true, description: 'End (exclusive); open-ended when absent.' })
  @IsOptional()
  endsAt?: Date;
}

@InputType({ description: 'The delegate through whom a member organisation votes in a general assembly.' })
export class DesignateDelegateInput {
  @Field(() => ID, { description: 'The cluster.' })
  @IsUUID()
  clusterId!: string;

  @Field(() => ID, { description: 'The member organisation.' })
  @IsUUID()
  organisationId!: string;

  @Field(() => ID, { description: 'The delegate’s account.' })
  @IsUUID()
  accountId!: string;
}

@InputType({ description: 'Where the members of one collège of an absorbed cluster go.' })
export class CollegeMoveInput {
  @Field(() => ID, { description: 'A collège of the absorbed cluster.' })
  @IsUUID()
  fromCollegeId!: string;

  @Field(() => ID, { description: 'A collège of the absorbing cluster.' })
  @IsUUID()
  toCollegeId!: string;
}

@InputType({ description: 'One absorbed cluster of a fusion plan.' })
export class AbsorbedClusterInput {
  @Field(() => ID, { description: 'The cluster absorbed.' })
  @IsUUID()
  clusterId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The collège of the absorbing cluster its members move to (unless `collegeMoves` says otherwise).',
  })
  @IsOptional()
  @IsUUID()
  targetCollegeId?: string;

  @Field(() => [CollegeMoveInput], { nullable: true, description: 'Per collège of the absorbed cluster, where its members go.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  collegeMoves?: CollegeMoveInput[];

  @Field(() => PendingApplications, { nullable: true, description: 'What happens to its pending applications (default MOVE).' })
  @IsOptional()
  @IsEnum(PendingApplications)
  pendingApplications?: PendingApplications;
}

@InputType({ description: 'A fusion plan: who absorbs whom, where the members go, from when.' })
export class FusionPlanInput {
  @Field(() => ID, { description: 'The absorbing cluster.' })
  @IsUUID()
  absorbingClusterId!: string;

  @Field(() => [AbsorbedClusterInput], { description: 'The absorbed clusters (1–20).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  absorbed!: AbsorbedClusterInput[];

  @Field(() => LocalDate, { description: 'When the fusion takes effect.' })
  effectiveDate!: string;
}

@InputType({ description: 'A new proposal (DRAFT).' })
export class CreateProposalInput {
  @Field(() => ProposalKind, { description: 'Fusion, partnership or resolution.' })
  @IsEnum(ProposalKind)
  kind!: ProposalKind;

  @Field({ description: 'Title (1–300 characters).' })
  @NotBlank()
  @Length(1, 300)
  title!: string;

  @Field({ description: 'The text put to the vote (1–100 000 characters).' })
  @NotBlank()
  @Length(1, 100_000)
  text!: string;

  @Field(() => [ID], {
    nullable: true,
    description: 'The clusters party to it (PARTNERSHIP: at least two; RESOLUTION: at least one). For a FUSION they follow from the plan.',
  })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  partyClusterIds?: string[];

  @Field(() => BodyKind, { nullable: true, description: 'Which body of each party votes (default BOARD).' })
  @IsOptional()
  @IsEnum(BodyKind)
  bodyKind?: BodyKind;

  @Field(() => FusionPlanInput, { nullable: true, description: 'FUSION: the plan (required).' })
  @IsOptional()
  @ValidateNested()
  plan?: FusionPlanInput;

  @Field(() => [String], { nullable: true, description: 'PARTNERSHIP: the axes of the convention (1–20, each 1–200 characters).' })
  @IsOptional()
  @ArrayMaxSize(20)
  @NotBlank({ each: true })
  @Length(1, 200, { each: true })
  partnershipAxes?: string[];
}

@InputType({ description: 'Where one party’s body votes: an item of the agenda of one of its meetings, in session.' })
export class PartyAgendaItemInput {
  @Field(() => ID, { description: 'The party cluster.' })
  @IsUUID()
  clusterId!: string;

  @Field(() => ID, { description: 'A binding item of the agenda of an OPEN meeting of that party’s voting body.' })
  @IsUUID()
  agendaItemId!: string;
}

@InputType({ description: 'Opening the vote.' })
export class OpenVotingInput {
  @Field(() => ID, { description: 'The DRAFT proposal.' })
  @IsUUID()
  proposalId!: string;

  @Field(() => Date, { description: 'When voting closes (after now, within a year).' })
  closesAt!: Date;

  @Field(() => [PartyAgendaItemInput], {
    nullable: true,
    description:
      'The parties whose body votes in a meeting, each on an agenda item (at most one per party; the others vote outside any meeting). Such a vote opens only on a binding item (AGENDA_ITEM_NOT_BINDING) of a meeting in session (MEETING_NOT_OPEN) whose quorum is met at that moment from the live attendance sheet (QUORUM_NOT_MET); its electorate is the members counted present then and those they represent by a standing pouvoir (each pouvoir becomes a proxy of the vote). A member who arrives after the opening does not vote on it.',
  })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  agendaItems?: PartyAgendaItemInput[];
}

@InputType({ description: 'A ballot.' })
export class CastVoteInput {
  @Field(() => ID, { description: 'The proposal.' })
  @IsUUID()
  proposalId!: string;

  @Field(() => Choice, { description: 'FOR, AGAINST or ABSTAIN.' })
  @IsEnum(Choice)
  choice!: Choice;

  @Field(() => ID, { nullable: true, description: 'The party whose body you vote in, when you belong to several.' })
  @IsOptional()
  @IsUUID()
  clusterId?: string;

  @Field(() => ID, { nullable: true, description: 'Vote for this principal, with the standing proxy they gave you.' })
  @IsOptional()
  @IsUUID()
  onBehalfOf?: string;
}

@InputType({ description: 'A proxy for one proposal.' })
export class GrantProxyInput {
  @Field(() => ID, { description: 'The proposal (voting open).' })
  @IsUUID()
  proposalId!: string;

  @Field(() => ID, { description: 'Who will vote for you: a voter of the same body (and collège, if the rules say so).' })
  @IsUUID()
  holderAccountId!: string;

  @Field(() => ID, { nullable: true, description: 'The party, when you vote in several.' })
  @IsOptional()
  @IsUUID()
  clusterId?: string;
}

@InputType({ description: 'Closing one party’s vote.' })
export class CloseVotingInput {
  @Field(() => ID, { description: 'The proposal.' })
  @IsUUID()
  proposalId!: string;

  @Field(() => ID, { nullable: true, description: 'The party whose vote to close (required when there are several).' })
  @IsOptional()
  @IsUUID()
  clusterId?: string;
}

@InputType({ description: 'Withdrawing a proposal before it closes.' })
export class CancelProposalInput {
  @Field(() => ID, { description: 'The proposal.' })
  @IsUUID()
  proposalId!: string;

  @Field({ description: 'Why (1–2 000 characters).' })
  @NotBlank()
  @Length(1, 2000)
  reason!: string;
}

@ArgsType()
export class ProposalsArgs extends PageArgs {
  @Field(() => ID, { description: 'Proposals this cluster is party to.' })
  @IsUUID()
  clusterId!: string;

  @Field(() => [ProposalState], { nullable: true, description: 'Only these states.' })
  @IsOptional()
  @IsEnum(ProposalState, { each: true })
  states?: ProposalState[];
}
