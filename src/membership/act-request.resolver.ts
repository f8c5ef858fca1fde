import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { ViewerType } from '../auth/account.payloads.js';
import { loadReference, type Loadable } from '../shared/loaders.js';
import { ActRequest } from './act-request.entity.js';
import { ActRequestIdInput, DecideActRequestInput, RequestToActForInput } from './act-request.inputs.js';
import { ActRequestPayload } from './act-request.payloads.js';
import { OWN_LISTED, PENDING_LISTED } from './act-request.service.js';
import type { Context } from './membership.services.js';
import { Organisation } from './organisation.entity.js';
import { Person } from './person.entity.js';

/** Asking to act for an organisation, and deciding it. */
@Resolver(() => ActRequest)
export class ActRequestResolver {
  @Mutation(() => ActRequestPayload, {
    description:
      'Asks to act for an organisation already registered (its SIREN was taken, or you found it by name): its contacts — or, while it is a member, its collège’s representatives and its cluster’s administrators — or a platform administrator approve or refuse. Any signed-in account that does not act for it yet, one pending request per organisation (ACT_REQUEST_ALREADY_PENDING; ACCOUNT_ALREADY_CONTACT when you already act for it).',
  })
  async requestToActFor(
    @Ctx() ctx: Context,
    @Arg('input', () => RequestToActForInput, { description: 'Which organisation, and who you are in it.' }) input: RequestToActForInput,
  ): Promise<ActRequestPayload> {
    return { actRequest: await ctx.services.actRequests.requestToActFor(input) };
  }

  @Mutation(() => ActRequestPayload, {
    description:
      'Approves or refuses a pending request to act for an organisation: its contacts, the representatives of a collège where it is an ACTIVE member and their cluster’s administrators, or ADMIN — never the requester (ACT_REQUEST_OWN). Approval makes the requester a person acting for it, linked to their account, at once: the rights that follow (MEMBER while the membership is ACTIVE) hold from their next request. A refusal needs a reason. Deciding a request already settled is a CONFLICT (ACT_REQUEST_ALREADY_DECIDED).',
  })
  async decideActRequest(
    @Ctx() ctx: Context,
    @Arg('input', () => DecideActRequestInput, { description: 'The decision.' }) input: DecideActRequestInput,
  ): Promise<ActRequestPayload> {
    return { actRequest: await ctx.services.actRequests.decideActRequest(input) };
  }

  @Mutation(() => ActRequestPayload, {
    description: 'Withdraws a pending request to act for an organisation. Its requester only (ACT_REQUEST_NOT_YOURS).',
  })
  async withdrawActRequest(
    @Ctx() ctx: Context,
    @Arg('input', () => ActRequestIdInput, { description: 'Which request.' }) input: ActRequestIdInput,
  ): Promise<ActRequestPayload> {
    return { actRequest: await ctx.services.actRequests.withdrawActRequest(input.requestId) };
  }

  @FieldResolver(() => Organisation, { description: 'The organisation asked for.' })
  organisation(@Root() request: ActRequest): Loadable<Organisation> {
    return loadReference(request.organisation);
  }

  @FieldResolver(() => Account, { description: 'The account asking.' })
  requester(@Root() request: ActRequest): Loadable<Account> {
    return loadReference(request.requester);
  }

  @FieldResolver(() => String, {
    description:
      'The email of the account asking — the address it would act with (its domain often tells whether it belongs to the organisation). A request is read only by its requester and by those who may decide it.',
  })
  async email(@Root() request: ActRequest): Promise<string> {
    return (await loadReference(request.requester))!.email;
  }

  @FieldResolver(() => Account, { nullable: true, description: 'Who approved or refused it (the requester, when withdrawn).' })
  decidedBy(@Root() request: ActRequest): Loadable<Account> {
    return loadReference(request.decidedBy);
  }

  @FieldResolver(() => Person, {
    nullable: true,
    description: 'The person acting for the organisation that the approval linked to the requester.',
  })
  person(@Root() request: ActRequest): Loadable<Person> {
    return loadReference(request.person);
  }
}

/** The pending requests on an organisation, for those who decide them. */
@Resolver(() => Organisation)
export class OrganisationActRequestResolver {
  @FieldResolver(() => [ActRequest], {
    description: `Requests to act for it awaiting a decision, oldest first, at most ${PENDING_LISTED} (decide them to see the next): for those who may decide them — its contacts, the representatives of a collège where it is an ACTIVE member and their cluster’s administrators, ADMIN; empty for anyone else.`,
  })
  pendingActRequests(@Ctx() ctx: Context, @Root() organisation: Organisation): Promise<ActRequest[]> {
    return ctx.services.actRequests.pendingFor(organisation);
  }
}

/** The caller's own requests to act for organisations. */
@Resolver(() => ViewerType)
export class ViewerActRequestResolver {
  @FieldResolver(() => [ActRequest], {
    description: `The caller’s requests to act for organisations, whatever became of them, newest first, at most ${OWN_LISTED}.`,
  })
  actRequests(@Ctx() ctx: Context, @Root() viewer: ViewerType): Promise<ActRequest[]> {
    return ctx.services.actRequests.ownRequests(viewer.account.id);
  }
}
