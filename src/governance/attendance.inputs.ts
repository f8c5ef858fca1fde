import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { AttendanceMode } from './meeting.entity.js';

@InputType({ description: 'A pouvoir for one meeting: who represents whom.' })
export class GivePouvoirInput {
  @Field(() => ID, { description: 'The meeting (convened, not yet opened).' })
  @IsUUID()
  meetingId!: string;

  @Field(() => ID, { description: 'Who will represent the principal: another member convened to the meeting.' })
  @IsUUID()
  holderAccountId!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'The member represented, when the meeting’s secretary or an administrator records a pouvoir received on paper; omitted: yourself.',
  })
  @IsOptional()
  @IsUUID()
  principalAccountId?: string;
}

@InputType({ description: 'A signature on the attendance sheet: a convened member arrives.' })
export class RecordArrivalInput {
  @Field(() => ID, { description: 'The meeting (convened or open).' })
  @IsUUID()
  meetingId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The member arriving, when the meeting’s chair or secretary or an administrator records it; omitted: yourself.',
  })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @Field(() => AttendanceMode, { description: 'In person, or remotely where the meeting allows it.' })
  @IsEnum(AttendanceMode)
  mode!: AttendanceMode;
}

@InputType({ description: 'A convened member leaves the meeting (their stint on the attendance sheet ends).' })
export class RecordDepartureInput {
  @Field(() => ID, { description: 'The meeting (convened or open).' })
  @IsUUID()
  meetingId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The member leaving, when the meeting’s chair or secretary or an administrator records it; omitted: yourself.',
  })
  @IsOptional()
  @IsUUID()
  accountId?: string;
}
