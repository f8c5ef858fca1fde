import { IsEnum, IsOptional, IsUrl, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { SLUG_MESSAGE, SLUG_PATTERN } from '../shared/validation.js';
import { ClusterKind, ClusterStatus } from './cluster.entity.js';

@InputType({ description: 'A new cluster, federation or association.' })
export class CreateClusterInput {
  @Field({ description: 'Full name (1–200 characters).' })
  @Length(1, 200)
  name!: string;

  @Field({ description: 'Unique URL-friendly key: lowercase letters and digits separated by dashes (2–80).' })
  @Length(2, 80)
  @Matches(SLUG_PATTERN, { message: `slug ${SLUG_MESSAGE}` })
  slug!: string;

  @Field(() => ClusterKind, { description: 'What sort of association it is.' })
  @IsEnum(ClusterKind)
  kind!: ClusterKind;

  @Field(() => ID, { nullable: true, description: 'The federation it belongs to (must be of kind FEDERATION).' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @Field({ nullable: true, description: 'Administrative region, e.g. "Occitanie".' })
  @IsOptional()
  @MaxLength(100)
  region?: string;

  @Field({ nullable: true, description: 'What the association is for (up to 5 000 characters).' })
  @IsOptional()
  @MaxLength(5000)
  description?: string;

  @Field({ nullable: true, description: 'Public website (http or https URL).' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(500)
  website?: string;
}

@InputType({ description: "Changes to a cluster's descriptive fields; absent fields are left as they are." })
export class UpdateClusterInput {
  @Field(() => ID, { description: 'The cluster to change.' })
  @IsUUID()
  id!: string;

  @Field({ nullable: true, description: 'New name.' })
  @IsOptional()
  @Length(1, 200)
  name?: string;

  @Field({ nullable: true, description: 'New region.' })
  @IsOptional()
  @MaxLength(100)
  region?: string;

  @Field({ nullable: true, description: 'New description.' })
  @IsOptional()
  @MaxLength(5000)
  description?: string;

  @Field({ nullable: true, description: 'New website (http or https URL).' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(500)
  website?: string;
}

@InputType({ description: 'Which clusters to list.' })
export class ClusterFilter {
  @Field(() => ClusterKind, { nullable: true, description: 'Only clusters of this kind.' })
  @IsOptional()
  @IsEnum(ClusterKind)
  kind?: ClusterKind;

  @Field(() => ClusterStatus, { nullable: true, description: 'Only clusters in this status (all statuses when absent).' })
  @IsOptional()
  @IsEnum(ClusterStatus)
  status?: ClusterStatus;

  @Field(() => ID, { nullable: true, description: 'Only the members of this federation.' })
  @IsOptional()
  @IsUUID()
  parentId?: string;
}

@InputType({ description: 'A new collège inside a cluster.' })
export class CreateCollegeInput {
  @Field(() => ID, { description: 'The cluster it belongs to.' })
  @IsUUID()
  clusterId!: string;

  @Field({ description: 'Name (1–200 characters).' })
  @Length(1, 200)
  name!: string;

  @Field({ description: 'Key unique within the cluster: lowercase letters and digits separated by dashes (2–80).' })
  @Length(2, 80)
  @Matches(SLUG_PATTERN, { message: `slug ${SLUG_MESSAGE}` })
  slug!: string;

  @Field({ description: 'The trade or theme it gathers (1–200 characters).' })
  @Length(1, 200)
  theme!: string;

  @Field({ nullable: true, description: 'What the collège is for (up to 5 000 characters).' })
  @IsOptional()
  @MaxLength(5000)
  description?: string;
}

@InputType({ description: "Changes to a collège's descriptive fields; absent fields are left as they are." })
export class UpdateCollegeInput {
  @Field(() => ID, { description: 'The collège to change.' })
  @IsUUID()
  id!: string;

  @Field({ nullable: true, description: 'New name.' })
  @IsOptional()
  @Length(1, 200)
  name?: string;

  @Field({ nullable: true, description: 'New theme.' })
  @IsOptional()
  @Length(1, 200)
  theme?: string;

  @Field({ nullable: true, description: 'New description.' })
  @IsOptional()
  @MaxLength(5000)
  description?: string;
}
