import { IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'A session to sign out.' })
export class RevokeSessionInput {
  @Field(() => ID, { description: 'The session (`Session.id`, from `viewer.sessions` or `Account.sessions`).' })
  @IsUUID()
  sessionId!: string;
}
