import { Arg, Ctx, Field, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { Context } from './auth.services.js';
import { Action, authorize, requireViewer } from './permissions.js';
import { GrantRoleInput, RevokeRoleInput } from './role.inputs.js';
import { RoleAssignment } from './role-assignment.entity.js';

@ObjectType({ description: 'Result of grantRole.' })
class GrantRolePayload {
  @Field(() => RoleAssignment, { description: 'The new role assignment.' })
  roleAssignment!: RoleAssignment;
}

@ObjectType({ description: 'Result of revokeRole.' })
class RevokeRolePayload {
  @Field(() => RoleAssignment, { description: 'The assignment, now ended (`validTo` set).' })
  roleAssignment!: RoleAssignment;
}

@Resolver()
export class RoleResolver {
  @Mutation(() => GrantRolePayload, {
    description: 'Gives an account a role. ADMIN anywhere; a CLUSTER_ADMIN within their cluster and its collèges (never ADMIN).',
  })
  async grantRole(
    @Ctx() ctx: Context,
    @Arg('input', () => GrantRoleInput, { description: 'Who, which role, where, when.' }) input: GrantRoleInput,
  ): Promise<GrantRolePayload> {
    // Signed-in first: looking the target up must not tell an anonymous caller whether it exists.
    requireViewer(ctx.viewer);
    const scope = await ctx.services.roles.scopeOfGrant(input);
    authorize(ctx.viewer, Action.GrantRole, scope);
    return { roleAssignment: await ctx.services.roles.grant(input, scope) };
  }

  @Mutation(() => RevokeRolePayload, { description: 'Ends a role assignment now; it stays in the history. Same rights as grantRole.' })
  async revokeRole(
    @Ctx() ctx: Context,
    @Arg('input', () => RevokeRoleInput, { description: 'Which assignment.' }) input: RevokeRoleInput,
  ): Promise<RevokeRolePayload> {
    requireViewer(ctx.viewer);
    const assignment = await ctx.services.roles.getAssignment(input.roleAssignmentId);
    authorize(ctx.viewer, Action.RevokeRole, ctx.services.roles.scopeOfAssignment(assignment));
    return { roleAssignment: await ctx.services.roles.revoke(assignment.id) };
  }
}
