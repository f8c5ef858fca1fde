import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ViewerType } from '../auth/account.payloads.js';
import { Application } from './application.entity.js';
import type { Context } from './membership.services.js';
import { Membership } from './membership.entity.js';
import { Organisation } from './organisation.entity.js';
import { RepresentativeMandate } from './representative-mandate.entity.js';

/** What a signed-in person finds of their own in membership, without knowing an id. */
@Resolver(() => ViewerType)
export class ViewerMembershipResolver {
  @FieldResolver(() => [Organisation], { description: 'The organisations the caller acts for (as one of their people), by name.' })
  organisations(@Ctx() ctx: Context, @Root() viewer: ViewerType): Promise<Organisation[]> {
    return ctx.services.viewerMembership.organisations(viewer.account.id);
  }

  @FieldResolver(() => [Application], { description: 'The applications of the organisations the caller acts for, newest first.' })
  applications(@Ctx() ctx: Context, @Root() viewer: ViewerType): Promise<Application[]> {
    return ctx.services.viewerMembership.applications(viewer.account.id);
  }

  @FieldResolver(() => [Membership], {
    description: 'The memberships of the organisations the caller acts for, current and ended, newest first.',
  })
  memberships(@Ctx() ctx: Context, @Root() viewer: ViewerType): Promise<Membership[]> {
    return ctx.services.viewerMembership.memberships(viewer.account.id);
  }

  @FieldResolver(() => [RepresentativeMandate], {
    description: 'The caller’s mandates as a collège representative, current and past, newest first (board seats: `boardMandates`).',
  })
  representativeMandates(@Ctx() ctx: Context, @Root() viewer: ViewerType): Promise<RepresentativeMandate[]> {
    return ctx.services.viewerMembership.representativeMandates(viewer.account.id);
  }
}
