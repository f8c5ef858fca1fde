import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import type { Context } from './membership.services.js';
import { loadReference } from '../shared/loaders.js';
import { College } from './college.entity.js';
import { RepresentativeMandate } from './representative-mandate.entity.js';
import { AppointRepresentativeInput, EndRepresentativeMandateInput } from './representative.inputs.js';
import { RepresentativeMandatePayload } from './representative.payloads.js';

@Resolver(() => RepresentativeMandate)
export class RepresentativeResolver {
  @Mutation(() => RepresentativeMandatePayload, {
    description:
      "Records an elected representative's mandate; the COLLEGE_REPRESENTATIVE right follows it, for exactly its period. The representative is named by account id or by sign-in email (`accountEmail`; an unknown one is ACCOUNT_EMAIL_UNKNOWN, said only to a caller allowed to appoint). CLUSTER_ADMIN of the collège's cluster, or ADMIN.",
  })
  async appointRepresentative(
    @Ctx() ctx: Context,
    @Arg('input', () => AppointRepresentativeInput, { description: 'Who, where, when.' }) input: AppointRepresentativeInput,
  ): Promise<RepresentativeMandatePayload> {
    return { mandate: await ctx.services.representatives.appoint(input) };
  }

  @Mutation(() => RepresentativeMandatePayload, {
    description: 'Ends a mandate now; the right ends with it. Same rights as appointRepresentative.',
  })
  async endRepresentativeMandate(
    @Ctx() ctx: Context,
    @Arg('input', () => EndRepresentativeMandateInput, { description: 'Which mandate, and why.' }) input: EndRepresentativeMandateInput,
  ): Promise<RepresentativeMandatePayload> {
    return { mandate: await ctx.services.representatives.end(input.mandateId, input.reason) };
  }

  @FieldResolver(() => College, { description: 'The collège.' })
  async college(@Root() mandate: RepresentativeMandate): Promise<College> {
    return (await loadReference(mandate.college))!;
  }

  @FieldResolver(() => Account, { description: 'The representative.' })
  async representative(@Root() mandate: RepresentativeMandate): Promise<Account> {
    return (await loadReference(mandate.representative))!;
  }
}
