import { Field, ObjectType } from 'type-graphql';
import { RoleAssignment } from './role-assignment.entity.js';

@ObjectType({ description: 'Result of grantRole.' })
export class GrantRolePayload {
  @Field(() => RoleAssignment, { description: 'The new role assignment.' })
  roleAssignment!: RoleAssignment;
}

@ObjectType({ description: 'Result of revokeRole.' })
export class RevokeRolePayload {
  @Field(() => RoleAssignment, { description: 'The assignment, now ended (`validTo` set).' })
  roleAssignment!: RoleAssignment;
}
