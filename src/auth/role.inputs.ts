import { IsDate, IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { Role } from './role.js';

@InputType({
  description:
    'Gives an account a role. ADMIN takes no scope; CLUSTER_ADMIN, TREASURER and BOARD_MEMBER take a cluster; COLLEGE_REPRESENTATIVE takes a collège; MEMBER takes a cluster or a collège.',
})
export class GrantRoleInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The account receiving the role. Give it or `accountEmail`, exactly one of the two (else INVALID_INPUT).',
  })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The account receiving the role, by its sign-in email instead of its id, in any case (compared as stored: Unicode NFKC, trimmed, lower-cased). An email no account signs in with is ACCOUNT_EMAIL_UNKNOWN (NOT_FOUND), said only to a caller allowed to grant this role.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  accountEmail?: string;

  @Field(() => Role, { description: 'The role.' })
  @IsEnum(Role)
  role!: Role;

  @Field(() => ID, { nullable: true, description: 'Cluster scope (for cluster-level roles).' })
  @IsOptional()
  @IsUUID()
  clusterId?: string;

  @Field(() => ID, { nullable: true, description: 'Collège scope (for collège-level roles); its cluster is implied.' })
  @IsOptional()
  @IsUUID()
  collegeId?: string;

  @Field({ nullable: true, description: 'Start of validity (default: now).' })
  @IsOptional()
  @IsDate()
  validFrom?: Date;

  @Field({ nullable: true, description: 'End of validity, exclusive (default: open-ended).' })
  @IsOptional()
  @IsDate()
  validTo?: Date;
}

@InputType({ description: 'Ends a role assignment now. The assignment stays in the history with its dates.' })
export class RevokeRoleInput {
  @Field(() => ID, { description: 'The role assignment to end.' })
  @IsUUID()
  roleAssignmentId!: string;
}
