import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { ViewerType } from './account.payloads.js';
import { Account } from './account.entity.js';
import type { Context } from './auth.services.js';
import { RevokeSessionInput } from './session.inputs.js';
import { SESSIONS_LISTED, type OpenSession } from './session.service.js';
import { RevokeSessionPayload, SessionView } from './session.payloads.js';

const LISTED = `the most recently used first (at most ${SESSIONS_LISTED})`;

/** Signing a session out. */
@Resolver()
export class SessionResolver {
  @Mutation(() => RevokeSessionPayload, {
    description:
      'Signs a session out now: its token stops working at the next request. The account itself (any of its sessions, this one included) or ADMIN. Audited. Refused: an unknown session (NOT_FOUND), one already signed out (SESSION_ALREADY_REVOKED) or expired (SESSION_ALREADY_EXPIRED).',
  })
  async revokeSession(
    @Ctx() ctx: Context,
    @Arg('input', () => RevokeSessionInput, { description: 'Which session.' }) input: RevokeSessionInput,
  ): Promise<RevokeSessionPayload> {
    return { session: await ctx.services.sessions.revoke(input.sessionId) };
  }
}

/** The caller's own open sessions. */
@Resolver(() => ViewerType)
export class ViewerSessionsResolver {
  @FieldResolver(() => [SessionView], {
    description: `The caller's open sessions (neither signed out nor expired), ${LISTED}; \`current\` marks this one.`,
  })
  async sessions(@Ctx() ctx: Context, @Root() viewer: ViewerType): Promise<OpenSession[]> {
    return (await ctx.services.sessions.openSessionsOf(viewer.account.id)) ?? [];
  }
}

/** An account's open sessions, for the account itself and ADMIN. */
@Resolver(() => Account)
export class AccountSessionsResolver {
  @FieldResolver(() => [SessionView], {
    nullable: true,
    description: `The account's open sessions (neither signed out nor expired), ${LISTED}. The account itself and ADMIN; null for anyone else.`,
  })
  sessions(@Ctx() ctx: Context, @Root() account: Account): Promise<OpenSession[]> | null {
    return ctx.services.sessions.openSessionsOf(account.id);
  }
}
