import { ArrayMaxSize, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'The free text the secretary writes under one agenda item of the procès-verbal.' })
export class MinutesItemNoteInput {
  @Field(() => ID, { description: 'The agenda item (of this meeting).' })
  @IsUUID()
  agendaItemId!: string;

  @Field({ description: 'The text (debates, observations), up to 20 000 characters; empty removes the item’s text.' })
  @IsString()
  @MaxLength(20_000)
  text!: string;
}

@InputType({ description: 'Draw up a new version of a meeting’s procès-verbal from its record.' })
export class DraftMinutesInput {
  @Field(() => ID, { description: 'The meeting (CLOSED, or ADJOURNED_NO_QUORUM).' })
  @IsUUID()
  meetingId!: string;

  @Field(() => [MinutesItemNoteInput], {
    nullable: true,
    description: 'Free text per agenda item: replaces the text of the items named; the others keep the latest version’s.',
  })
  @IsOptional()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  itemNotes?: MinutesItemNoteInput[] | null;
}
