import { Arg, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Action, authorize, collegeScope, isAllowed, organisationScope, requireViewer } from '../auth/permissions.js';
import type { Context } from './membership.services.js';
import { loadChildren } from '../shared/loaders.js';
import { uuidArg } from '../shared/ids.js';
import { Application } from './application.entity.js';
import { Membership } from './membership.entity.js';
import { AddPersonInput, CreateOrganisationInput, UpdateOrganisationInput } from './organisation.inputs.js';
import { Organisation } from './organisation.entity.js';
import { Person } from './person.entity.js';

@ObjectType({ description: 'Result of createOrganisation.' })
class CreateOrganisationPayload {
  @Field(() => Organisation, { description: 'The new organisation.' })
  organisation!: Organisation;
}

@ObjectType({ description: 'Result of updateOrganisation.' })
class UpdateOrganisationPayload {
  @Field(() => Organisation, { description: 'The organisation as it now stands.' })
  organisation!: Organisation;
}

@ObjectType({ description: 'Result of addPerson.' })
class AddPersonPayload {
  @Field(() => Person, { description: 'The new person.' })
  person!: Person;
}

const MEMBERSHIP_ORDER = { startedOn: 'desc', createdAt: 'desc', id: 'asc' } as const;

/** An organisation's applications, newest first, with their collège (batched over a list). */
function applicationsOf(ctx: Context, organisation: Organisation): Promise<Application[]> {
  return loadChildren(ctx.em, Application, 'organisation', organisation.id, { createdAt: 'desc', id: 'asc' }, ['college']);
}

@Resolver(() => Organisation)
export class OrganisationResolver {
  @Query(() => Organisation, {
    nullable: true,
    description: 'One organisation, with its membership history. Any signed-in user; null when there is none.',
  })
  async organisation(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The organisation id.' }) id: string,
  ): Promise<Organisation | null> {
    requireViewer(ctx.viewer);
    return ctx.em.findOne(Organisation, { id: uuidArg('id', id) });
  }

  @Mutation(() => CreateOrganisationPayload, {
    description:
      'Registers an organisation. Any signed-in user; the caller becomes a person acting for it (its contact), and can then apply to collèges on its behalf.',
  })
  async createOrganisation(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateOrganisationInput, { description: 'The organisation.' }) input: CreateOrganisationInput,
  ): Promise<CreateOrganisationPayload> {
    const viewer = requireViewer(ctx.viewer);
    return { organisation: await ctx.services.organisations.createOrganisation(input, viewer.accountId) };
  }

  @Mutation(() => UpdateOrganisationPayload, { description: "Changes an organisation's facts. Its contacts, or ADMIN." })
  async updateOrganisation(
    @Ctx() ctx: Context,
    @Arg('input', () => UpdateOrganisationInput, { description: 'What to change.' }) input: UpdateOrganisationInput,
  ): Promise<UpdateOrganisationPayload> {
    authorize(ctx.viewer, Action.UpdateOrganisation, organisationScope(input.id));
    return { organisation: await ctx.services.organisations.updateOrganisation(input) };
  }

  @Mutation(() => AddPersonPayload, {
    description:
      'Adds a person acting for an organisation, optionally linked to an account (which then becomes a contact). Its contacts, or ADMIN.',
  })
  async addPerson(
    @Ctx() ctx: Context,
    @Arg('input', () => AddPersonInput, { description: 'The person.' }) input: AddPersonInput,
  ): Promise<AddPersonPayload> {
    authorize(ctx.viewer, Action.UpdateOrganisation, organisationScope(input.organisationId));
    return { person: await ctx.services.organisations.addPerson(input) };
  }

  @FieldResolver(() => [Membership], {
    description: 'Every membership, current and ended, newest first: the full history with dates and reasons.',
  })
  memberships(@Ctx() ctx: Context, @Root() organisation: Organisation): Promise<Membership[]> {
    return loadChildren(ctx.em, Membership, 'organisation', organisation.id, MEMBERSHIP_ORDER);
  }

  @FieldResolver(() => [Application], {
    description:
      "Its applications, newest first — those the viewer may see: all for the organisation's contacts and ADMIN, those to their collèges for representatives and cluster admins.",
  })
  async applications(@Ctx() ctx: Context, @Root() organisation: Organisation): Promise<Application[]> {
    const viewer = requireViewer(ctx.viewer);
    const all = await applicationsOf(ctx, organisation);
    if (isAllowed(viewer, Action.WithdrawApplication, organisationScope(organisation.id))) return all;
    return all.filter((a) => isAllowed(viewer, Action.ReviewApplications, collegeScope(a.college.cluster.id, a.college.id)));
  }

  @FieldResolver(() => [Person], {
    description:
      'The people acting for it, with their contact details: visible to its contacts, ADMIN, and the representatives and cluster admins of collèges it applied to or belongs to; empty for anyone else.',
  })
  async people(@Ctx() ctx: Context, @Root() organisation: Organisation): Promise<Person[]> {
    const viewer = requireViewer(ctx.viewer);
    const people = await loadChildren(ctx.em, Person, 'organisation', organisation.id, { fullName: 'asc', id: 'asc' });
    // A contact made in this very request (createOrganisation) is not yet in viewer.organisationIds.
    const isContact = people.some((person) => person.account?.id === viewer.accountId);
    if (isContact || isAllowed(viewer, Action.WithdrawApplication, organisationScope(organisation.id))) return people;
    const [applications, memberships] = await Promise.all([
      applicationsOf(ctx, organisation),
      loadChildren(ctx.em, Membership, 'organisation', organisation.id, MEMBERSHIP_ORDER, ['college']),
    ]);
    const colleges = [...applications, ...memberships].map((x) => x.college);
    return colleges.some((c) => isAllowed(viewer, Action.ReviewApplications, collegeScope(c.cluster.id, c.id))) ? people : [];
  }
}
