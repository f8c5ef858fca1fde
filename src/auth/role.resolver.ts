import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from './auth.services.js';
import { GrantRoleInput, RevokeRoleInput } from './role.inputs.js';
import { GrantRolePayload, RevokeRolePayload } from './role.payloads.js';

@Resolver()
export class RoleResolver {
  @Mutation(() => GrantRolePayload, {
    description:
      'Gives an account a role. The account is named by its id or by its sign-in email (`accountEmail`; an unknown one is ACCOUNT_EMAIL_UNKNOWN, said only to a caller allowed to grant). ADMIN anywhere; a CLUSTER_ADMIN within their cluster and its collèges (never ADMIN).',
  })
  async grantRole(
    @Ctx() ctx: Context,
    @Arg('input', () => GrantRoleInput, { description: 'Who, which role, where, when.' }) input: GrantRoleInput,
  ): Promise<GrantRolePayload> {
    return { roleAssignment: await ctx.services.roles.grant(input) };
  }

  @Mutation(() => RevokeRolePayload, {
    description:
      'Ends a role assignment now; it stays in the history. Same rights as grantRole. The last ADMIN role held by an enabled account is never ended (LAST_ADMIN): grant ADMIN to another account first.',
  })
  async revokeRole(
    @Ctx() ctx: Context,
    @Arg('input', () => RevokeRoleInput, { description: 'Which assignment.' }) input: RevokeRoleInput,
  ): Promise<RevokeRolePayload> {
    return { roleAssignment: await ctx.services.roles.revoke(input.roleAssignmentId) };
  }
}
