import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Organisation } from '../membership/organisation.entity.js';
import { uuidArg } from '../shared/ids.js';
import { loadChildren, loadReference, type Loadable } from '../shared/loaders.js';
import type { Context } from './finance.services.js';
import { CreateFunderInput, CreateProgrammeInput } from './finance.inputs.js';
import { Funder, Laureate, Programme } from './funder.entity.js';
import { FunderPayload, ProgrammePayload } from './funder.payloads.js';

/** Funders and their programmes: the shared registry. */
@Resolver()
export class FunderResolver {
  @Query(() => [Funder], { description: 'Every funder, by name. Public.' })
  funders(@Ctx() ctx: Context): Promise<Funder[]> {
    return ctx.services.funders.funders();
  }

  @Query(() => [Programme], { description: 'Programmes and calls for projects, by name; of one funder when given. Public.' })
  programmes(
    @Ctx() ctx: Context,
    @Arg('funderId', () => ID, { nullable: true, description: 'Only this funder’s.' }) funderId?: string,
  ): Promise<Programme[]> {
    return ctx.services.funders.programmes(funderId ? uuidArg('funderId', funderId) : undefined);
  }

  @Mutation(() => FunderPayload, {
    description: 'Registers a funder (names are unique, whatever the case). A TREASURER of any cluster, or ADMIN.',
  })
  async createFunder(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateFunderInput, { description: 'The funder.' }) input: CreateFunderInput,
  ): Promise<FunderPayload> {
    return { funder: await ctx.services.funders.createFunder(input) };
  }

  @Mutation(() => ProgrammePayload, {
    description: 'Registers a programme or call for projects with its laureates. A TREASURER of any cluster, or ADMIN.',
  })
  async createProgramme(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateProgrammeInput, { description: 'The programme.' }) input: CreateProgrammeInput,
  ): Promise<ProgrammePayload> {
    return { programme: await ctx.services.funders.createProgramme(input) };
  }
}

@Resolver(() => Programme)
export class ProgrammeFieldsResolver {
  @FieldResolver(() => Funder, { description: 'The funder running it.' })
  funder(@Root() programme: Programme): Loadable<Funder> {
    return loadReference(programme.funder);
  }

  @FieldResolver(() => [Laureate], { description: 'Its laureates.' })
  laureates(@Ctx() ctx: Context, @Root() programme: Programme): Promise<Laureate[]> {
    return loadChildren(ctx.em, Laureate, 'programme', programme.id, { createdAt: 'asc', id: 'asc' });
  }
}

@Resolver(() => Laureate)
export class LaureateFieldsResolver {
  @FieldResolver(() => Organisation, { description: 'The organisation selected.' })
  organisation(@Root() laureate: Laureate): Loadable<Organisation> {
    return loadReference(laureate.organisation);
  }
}
