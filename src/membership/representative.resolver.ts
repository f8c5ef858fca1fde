import { IsDate, IsOptional, IsUUID, Length, MaxLength } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { Action, authorize, clusterScope, collegeScope, organisationScope, requireViewer } from '../auth/permissions.js';
import type { Context } from './membership.services.js';
import { loadReference } from '../shared/loaders.js';
import { Charter, CharterSignature } from './charter.entity.js';
import { Cluster } from './cluster.entity.js';
import { College } from './college.entity.js';
import { Organisation } from './organisation.entity.js';
import { RepresentativeMandate } from './representative-mandate.entity.js';

@InputType({ description: "An elected representative's mandate, after the collège's election." })
class AppointRepresentativeInput {
  @Field(() => ID, { description: 'The collège.' })
  @IsUUID()
  collegeId!: string;

  @Field(() => ID, { description: "The representative's account." })
  @IsUUID()
  accountId!: string;

  @Field({ nullable: true, description: 'Start of the mandate (default: now).' })
  @IsOptional()
  @IsDate()
  startsAt?: Date;

  @Field({ nullable: true, description: 'End of the mandate, exclusive (default: open-ended).' })
  @IsOptional()
  @IsDate()
  endsAt?: Date;
}

@InputType({ description: 'Ending a mandate before its term.' })
class EndRepresentativeMandateInput {
  @Field(() => ID, { description: 'The mandate.' })
  @IsUUID()
  mandateId!: string;

  @Field({ nullable: true, description: 'Why it ends early.' })
  @IsOptional()
  @MaxLength(2000)
  reason?: string;
}

@InputType({ description: 'A new version of a cluster’s charter of good practices.' })
class PublishCharterInput {
  @Field(() => ID, { description: 'The cluster.' })
  @IsUUID()
  clusterId!: string;

  @Field({ description: 'Title (1–200 characters).' })
  @Length(1, 200)
  title!: string;

  @Field({ description: 'The full text (1–100 000 characters).' })
  @Length(1, 100_000)
  text!: string;
}

@InputType({ description: "Signing a cluster's current charter for an organisation." })
class SignCharterInput {
  @Field(() => ID, { description: 'The organisation; the caller must act for it.' })
  @IsUUID()
  organisationId!: string;

  @Field(() => ID, { description: 'The cluster whose current charter is signed.' })
  @IsUUID()
  clusterId!: string;
}

@ObjectType({ description: 'Result of appointRepresentative and endRepresentativeMandate.' })
class RepresentativeMandatePayload {
  @Field(() => RepresentativeMandate, { description: 'The mandate.' })
  mandate!: RepresentativeMandate;
}

@ObjectType({ description: 'Result of publishCharter.' })
class PublishCharterPayload {
  @Field(() => Charter, { description: 'The new version, now in force.' })
  charter!: Charter;
}

@ObjectType({ description: 'Result of signCharter.' })
class SignCharterPayload {
  @Field(() => CharterSignature, { description: 'The signature.' })
  signature!: CharterSignature;
}

@Resolver(() => RepresentativeMandate)
export class RepresentativeResolver {
  @Mutation(() => RepresentativeMandatePayload, {
    description:
      "Records an elected representative's mandate; the COLLEGE_REPRESENTATIVE right follows it, for exactly its period. CLUSTER_ADMIN of the collège's cluster, or ADMIN.",
  })
  async appointRepresentative(
    @Ctx() ctx: Context,
    @Arg('input', () => AppointRepresentativeInput, { description: 'Who, where, when.' }) input: AppointRepresentativeInput,
  ): Promise<RepresentativeMandatePayload> {
    requireViewer(ctx.viewer);
    const college = await ctx.services.admission.getCollege(input.collegeId);
    authorize(ctx.viewer, Action.AppointRepresentative, collegeScope(college.cluster.id, college.id));
    return { mandate: await ctx.services.representatives.appoint(input) };
  }

  @Mutation(() => RepresentativeMandatePayload, {
    description: 'Ends a mandate now; the right ends with it. Same rights as appointRepresentative.',
  })
  async endRepresentativeMandate(
    @Ctx() ctx: Context,
    @Arg('input', () => EndRepresentativeMandateInput, { description: 'Which mandate, and why.' }) input: EndRepresentativeMandateInput,
  ): Promise<RepresentativeMandatePayload> {
    requireViewer(ctx.viewer);
    const mandate = await ctx.services.representatives.getMandate(input.mandateId);
    authorize(ctx.viewer, Action.AppointRepresentative, collegeScope(mandate.college.cluster.id, mandate.college.id));
    return { mandate: await ctx.services.representatives.end(mandate.id, input.reason) };
  }

  @Mutation(() => PublishCharterPayload, {
    description: "Publishes a new version of a cluster's charter; signatures of earlier versions no longer count. CLUSTER_ADMIN or ADMIN.",
  })
  async publishCharter(
    @Ctx() ctx: Context,
    @Arg('input', () => PublishCharterInput, { description: 'The charter.' }) input: PublishCharterInput,
  ): Promise<PublishCharterPayload> {
    authorize(ctx.viewer, Action.PublishCharter, clusterScope(input.clusterId));
    return { charter: await ctx.services.charters.publish(input) };
  }

  @Mutation(() => SignCharterPayload, {
    description: "Signs a cluster's current charter for an organisation the caller acts for; its pending applications are re-judged.",
  })
  async signCharter(
    @Ctx() ctx: Context,
    @Arg('input', () => SignCharterInput, { description: 'Who signs which charter.' }) input: SignCharterInput,
  ): Promise<SignCharterPayload> {
    authorize(ctx.viewer, Action.SignCharter, organisationScope(input.organisationId));
    return { signature: await ctx.services.charters.sign(input) };
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

@Resolver(() => Charter)
export class CharterResolver {
  @FieldResolver(() => Cluster, { description: 'The cluster.' })
  async cluster(@Root() charter: Charter): Promise<Cluster> {
    return (await loadReference(charter.cluster))!;
  }
}

@Resolver(() => CharterSignature)
export class CharterSignatureResolver {
  @FieldResolver(() => Charter, { description: 'The charter version signed.' })
  async charter(@Root() signature: CharterSignature): Promise<Charter> {
    return (await loadReference(signature.charter))!;
  }

  @FieldResolver(() => Organisation, { description: 'The signing organisation.' })
  async organisation(@Root() signature: CharterSignature): Promise<Organisation> {
    return (await loadReference(signature.organisation))!;
  }

  @FieldResolver(() => Date, { description: 'When it was signed.' })
  signedAt(@Root() signature: CharterSignature): Date {
    return signature.createdAt;
  }
}

@Resolver(() => Cluster)
export class ClusterCharterResolver {
  @FieldResolver(() => Charter, {
    nullable: true,
    description: "The cluster's charter of good practices in force (null before any is published).",
  })
  charter(@Ctx() ctx: Context, @Root() cluster: Cluster): Promise<Charter | null> {
    return ctx.services.charters.currentCharter(cluster.id);
  }
}
