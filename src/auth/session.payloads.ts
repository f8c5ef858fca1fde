import { Field, ID, ObjectType } from 'type-graphql';

/** An open session as the API shows it (see SessionService.openSessionsOf): never its token. */
@ObjectType('Session', {
  description: 'A signed-in session of an account: where and when it was opened and last used. Seen by the account itself and ADMIN only.',
})
export class SessionView {
  @Field(() => ID, { description: 'Opaque identifier: pass it to `revokeSession`.' })
  id!: string;

  @Field({ description: 'When it was opened (the sign-in).' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When a request last used it (to the minute).' })
  lastUsedAt!: Date | null;

  @Field({ description: 'When it expires: its token stops working then.' })
  expiresAt!: Date;

  @Field(() => String, { nullable: true, description: 'The client address it was opened from.' })
  clientAddress!: string | null;

  @Field(() => String, { nullable: true, description: 'The user agent it was opened with (at most 500 characters).' })
  userAgent!: string | null;

  @Field({ description: 'True for the session that authenticates this very request.' })
  current!: boolean;
}

@ObjectType({ description: 'Result of revokeSession.' })
export class RevokeSessionPayload {
  @Field(() => SessionView, { description: 'The session, now signed out: its token no longer works.' })
  session!: SessionView;
}
