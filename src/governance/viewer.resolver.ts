import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ViewerType } from '../auth/account.payloads.js';
import type { Context } from './governance.services.js';
import { Proposal } from './proposal.entity.js';
import { BoardMandate } from './voting-body.entity.js';

/** What a signed-in person finds of their own in governance, without knowing an id. */
@Resolver(() => ViewerType)
export class ViewerGovernanceResolver {
  @FieldResolver(() => [BoardMandate], { description: 'The caller’s board seats, current and past, newest first.' })
  boardMandates(@Ctx() ctx: Context, @Root() viewer: ViewerType): Promise<BoardMandate[]> {
    return ctx.services.viewerGovernance.boardMandates(viewer.account.id);
  }

  @FieldResolver(() => [Proposal], {
    description:
      'Open votes where the caller is in the electorate and has not voted yet, the soonest to close first (`closesAt` says until when). A proxy held for someone else is not listed here.',
  })
  pendingBallots(@Ctx() ctx: Context, @Root() viewer: ViewerType): Promise<Proposal[]> {
    return ctx.services.viewerGovernance.pendingBallots(viewer.account.id);
  }
}
