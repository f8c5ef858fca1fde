import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs, selectsField } from '../shared/pagination.js';
import { SizeClass } from './french-identifiers.js';
import type { Context } from './membership.services.js';
import { uuidArg } from '../shared/ids.js';
import { Application } from './application.entity.js';
import { Membership } from './membership.entity.js';
import { AddPersonInput, CreateOrganisationInput, UpdateOrganisationInput } from './organisation.inputs.js';
import { AddPersonPayload, CreateOrganisationPayload, UpdateOrganisationPayload } from './organisation.payloads.js';
import { Organisation } from './organisation.entity.js';
import { Person } from './person.entity.js';

const OrganisationConnection = ConnectionType(Organisation);
type OrganisationConnection = InstanceType<typeof OrganisationConnection>;

@Resolver(() => Organisation)
export class OrganisationResolver {
  @Query(() => OrganisationConnection, {
    description:
      'Organisations whose name contains the text (case-insensitive), or whose SIREN or SIRET it is (spaces as typed are fine), by name: find yours before creating it again. Any signed-in user.',
  })
  organisations(
    @Ctx() ctx: Context,
    @Arg('search', { description: 'Part of a name, or a SIREN (9 digits) or SIRET (14), spaces allowed.' }) search: string,
    @Args(() => PageArgs) page: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<OrganisationConnection> {
    return ctx.services.organisations.search(search, page, selectsField(info, 'totalCount'));
  }

  @Query(() => [Organisation], {
    description:
      'Organisations already registered under a name close to this one, closest first, at most 10 — what `createOrganisation` would answer as `possibleDuplicates`: for a form to check before submitting. Close: the same name once accents, case, punctuation, legal forms and articles are set aside, or a trigram similarity of 0.6 or more. Any signed-in user.',
  })
  similarOrganisations(
    @Ctx() ctx: Context,
    @Arg('name', { description: 'The name about to be registered (1–200 characters).' }) name: string,
    @Arg('siren', () => String, {
      nullable: true,
      description: 'Its SIREN, if known (spaces allowed): organisations with another SIREN are other legal entities, left out.',
    })
    siren: string | undefined,
  ): Promise<Organisation[]> {
    return ctx.services.organisations.similarOrganisations(name, siren ?? undefined);
  }

  @Query(() => Organisation, {
    nullable: true,
    description: 'One organisation, with its membership history. Any signed-in user; null when there is none.',
  })
  organisation(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The organisation id.' }) id: string,
  ): Promise<Organisation | null> {
    return ctx.services.organisations.findOrganisation(uuidArg('id', id));
  }

  @Mutation(() => CreateOrganisationPayload, {
    description:
      'Registers an organisation. Any signed-in user; the caller becomes a person acting for it (its contact), and can then apply to collèges on its behalf. When organisations with a close name are already registered, nothing is created and they are returned as `possibleDuplicates` (unless `notADuplicate` is true). A SIREN or SIRET already registered is a CONFLICT (SIREN_TAKEN, SIRET_TAKEN) naming the organisation: ask to act for it with `requestToActFor`.',
  })
  async createOrganisation(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateOrganisationInput, { description: 'The organisation.' }) input: CreateOrganisationInput,
  ): Promise<CreateOrganisationPayload> {
    return ctx.services.organisations.registerOrganisation(input, ctx.viewer?.accountId ?? null);
  }

  @Mutation(() => UpdateOrganisationPayload, { description: "Changes an organisation's facts. Its contacts, or ADMIN." })
  async updateOrganisation(
    @Ctx() ctx: Context,
    @Arg('input', () => UpdateOrganisationInput, { description: 'What to change.' }) input: UpdateOrganisationInput,
  ): Promise<UpdateOrganisationPayload> {
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
    return { person: await ctx.services.organisations.addPerson(input) };
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'SIREN: 9 digits, Luhn-checked; unique. Signed-in callers (a public body’s: anyone); null otherwise.',
  })
  siren(@Ctx() ctx: Context, @Root() organisation: Organisation): string | null {
    return ctx.services.organisations.identifier(organisation, 'siren');
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'SIRET of the establishment: 14 digits starting with the SIREN; unique. Signed-in callers (a public body’s: anyone); null otherwise.',
  })
  siret(@Ctx() ctx: Context, @Root() organisation: Organisation): string | null {
    return ctx.services.organisations.identifier(organisation, 'siret');
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Number of employees, when known. Signed-in callers; null otherwise.' })
  headcount(@Ctx() ctx: Context, @Root() organisation: Organisation): number | null {
    return ctx.services.organisations.readsPrivateFacts() ? (organisation.headcount ?? null) : null;
  }

  @FieldResolver(() => SizeClass, {
    nullable: true,
    description: 'Size class derived from the headcount: TPE < 10, PME < 250, ETI < 5 000, GE. Signed-in callers; null otherwise.',
  })
  sizeClass(@Ctx() ctx: Context, @Root() organisation: Organisation): SizeClass | null {
    return ctx.services.organisations.readsPrivateFacts() ? (organisation.sizeClass ?? null) : null;
  }

  @FieldResolver(() => [Membership], {
    description:
      'Every membership, current and ended, newest first: the full history with dates and reasons. Signed-in callers; empty otherwise.',
  })
  memberships(@Ctx() ctx: Context, @Root() organisation: Organisation): Promise<Membership[]> {
    return ctx.services.organisations.memberships(organisation);
  }

  @FieldResolver(() => [Application], {
    description:
      "Its applications, newest first — those the viewer may see: all for the organisation's contacts and ADMIN, those to their collèges for representatives and cluster admins.",
  })
  applications(@Ctx() ctx: Context, @Root() organisation: Organisation): Promise<Application[]> {
    return ctx.services.organisations.visibleApplications(organisation);
  }

  @FieldResolver(() => [Person], {
    description:
      'The people acting for it, with their contact details: visible to its contacts, ADMIN, and the representatives and cluster admins of collèges it applied to or belongs to; empty for anyone else.',
  })
  people(@Ctx() ctx: Context, @Root() organisation: Organisation): Promise<Person[]> {
    return ctx.services.organisations.visiblePeople(organisation);
  }
}
