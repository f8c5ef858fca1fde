import { IsDefined, IsEnum, IsOptional, IsUrl, IsUUID, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { SLUG_MESSAGE, SLUG_PATTERN, NotBlank } from '../shared/validation.js';
import { ClusterKind, ClusterStatus } from './cluster.entity.js';

// Names are trimmed before they are stored: one made of spaces only would be stored empty.
const NOT_BLANK = /\S/;

/**
 * For a required text column in an update input: absent means "keep it", but null would mean
 * "clear it", which a required column cannot be. `@IsOptional()` would let null through to the
 * service; this validates every value that is given, null included.
 */
function NotNullWhenGiven(): PropertyDecorator {
  return (target, key) => {
    const property = String(key);
    ValidateIf((input: Record<string, unknown>) => input[property] !== undefined)(target, key);
    IsDefined({ message: `${property} cannot be null: leave it out to keep the current value` })(target, key);
  };
}

@InputType({ description: 'A new cluster, federation or association.' })
export class CreateClusterInput {
  @Field({ description: 'Full name (1–200 characters).' })
  @NotBlank()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
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
  @NotNullWhenGiven()
  @NotBlank()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
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
  @NotBlank()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @Field({ description: 'Key unique within the cluster: lowercase letters and digits separated by dashes (2–80).' })
  @Length(2, 80)
  @Matches(SLUG_PATTERN, { message: `slug ${SLUG_MESSAGE}` })
  slug!: string;

  @Field({ description: 'The trade or theme it gathers (1–200 characters).' })
  @NotBlank()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'theme must not be blank' })
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
  @NotNullWhenGiven()
  @NotBlank()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name?: string;

  @Field({ nullable: true, description: 'New theme.' })
  @NotNullWhenGiven()
  @NotBlank()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'theme must not be blank' })
  theme?: string;

  @Field({ nullable: true, description: 'New description.' })
  @IsOptional()
  @MaxLength(5000)
  description?: string;
}
