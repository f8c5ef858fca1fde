import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from './auth.services.js';
import { loadReference } from '../shared/loaders.js';
import { Account } from './account.entity.js';
import { LoginInput, RegisterAccountInput } from './account.inputs.js';
import { LoginPayload, LogoutPayload, RegisterAccountPayload, ViewerType } from './account.payloads.js';
import { RoleAssignment } from './role-assignment.entity.js';

@Resolver()
export class AccountResolver {
  @Mutation(() => RegisterAccountPayload, { description: 'Creates an account. Open to anyone; the account starts with no role.' })
  async registerAccount(
    @Ctx() ctx: Context,
    @Arg('input', () => RegisterAccountInput, { description: 'The new account.' }) input: RegisterAccountInput,
  ): Promise<RegisterAccountPayload> {
    return { account: await ctx.services.auth.register(input) };
  }

  @Mutation(() => LoginPayload, {
    nullable: true,
    description:
      'Signs in and returns a bearer token; null with an error when refused (nullable so that each aliased attempt in one request gets its own answer, and is counted). A wrong email and a wrong password give the same UNAUTHENTICATED error. After 5 failures in 15 minutes on one email (20 from one address), further attempts are refused with RATE_LIMITED for 30 s, doubling with each new failure (at most 1 h); `extensions.retryAfterSeconds` says how long.',
  })
  login(
    @Ctx() ctx: Context,
    @Arg('input', () => LoginInput, { description: 'The credentials.' }) input: LoginInput,
  ): Promise<LoginPayload | null> {
    return ctx.services.auth.login(input, { address: ctx.clientAddress, userAgent: ctx.userAgent });
  }

  @Mutation(() => LogoutPayload, { description: 'Revokes the session whose token authenticates this request.' })
  async logout(@Ctx() ctx: Context): Promise<LogoutPayload> {
    await ctx.services.auth.logout();
    return { signedOut: true };
  }

  @Query(() => ViewerType, { nullable: true, description: 'The signed-in caller with their current roles; null without a token.' })
  viewer(@Ctx() ctx: Context): Promise<ViewerType | null> {
    return ctx.services.auth.viewerProfile();
  }
}

@Resolver(() => RoleAssignment)
export class RoleAssignmentFieldsResolver {
  @FieldResolver(() => Account, { description: 'The account holding the role.' })
  async account(@Root() assignment: RoleAssignment): Promise<Account> {
    return (await loadReference(assignment.account)) as Account;
  }
}
