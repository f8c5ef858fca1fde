import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from './auth.services.js';
import { loadReference } from '../shared/loaders.js';
import { Account } from './account.entity.js';
import { ChangePasswordInput, LoginInput, RegisterAccountInput } from './account.inputs.js';
import { ChangePasswordPayload, LoginPayload, LogoutPayload, RegisterAccountPayload, ViewerType } from './account.payloads.js';
import { RoleAssignment } from './role-assignment.entity.js';

@Resolver()
export class AccountResolver {
  @Mutation(() => RegisterAccountPayload, {
    description:
      'Creates an account. Open to anyone; the account starts with no role. The answer is the same for an email that already has an account, or that looks like one that has (letters of another script, an added accent): nothing is created then, and the attempt is audited — so the answer never tells who has an account; sign in with `login` to know yours works. The email is normalised (Unicode NFKC, trimmed, lower-cased); one that hides invisible characters or mixes scripts in one part is refused (EMAIL_HIDDEN_CHARACTERS, EMAIL_MIXED_SCRIPTS). At most 10 registrations from one address in 10 minutes (RATE_LIMITED, REGISTRATIONS_LIMITED, `extensions.retryAfterSeconds`).',
  })
  async registerAccount(
    @Ctx() ctx: Context,
    @Arg('input', () => RegisterAccountInput, { description: 'The new account.' }) input: RegisterAccountInput,
  ): Promise<RegisterAccountPayload> {
    return { account: await ctx.services.auth.registerAccount(input, { address: ctx.clientAddress }) };
  }

  @Mutation(() => LoginPayload, {
    nullable: true,
    description:
      'Signs in and returns a bearer token; null with an error when refused (nullable so that each aliased attempt in one request gets its own answer, and is counted). A wrong email and a wrong password give the same UNAUTHENTICATED error. Failures are counted in the database, for every instance: after 5 failures in 15 minutes on one email from one address (SIGN_IN_LOCKED), 50 in an hour on one email from all addresses (SIGN_IN_ACCOUNT_CEILING) or 20 in 15 minutes from one address (SIGN_IN_ADDRESS_CEILING), further attempts are refused with RATE_LIMITED, for a delay that doubles with each new failure (at most 1 h); `extensions.retryAfterSeconds` says how long. Failures from one address never lock the owner out on another below the 50-an-hour ceiling.',
  })
  login(
    @Ctx() ctx: Context,
    @Arg('input', () => LoginInput, { description: 'The credentials.' }) input: LoginInput,
  ): Promise<LoginPayload | null> {
    return ctx.services.auth.login(input, { address: ctx.clientAddress, userAgent: ctx.userAgent });
  }

  @Mutation(() => ChangePasswordPayload, {
    description:
      'Changes the signed-in account’s password: the current one is required (a wrong one is WRONG_PASSWORD, counted by the login throttle like a failed sign-in), and every other session of the account is signed out at once; this one stays signed in.',
  })
  async changePassword(
    @Ctx() ctx: Context,
    @Arg('input', () => ChangePasswordInput, { description: 'The current and the new password.' }) input: ChangePasswordInput,
  ): Promise<ChangePasswordPayload> {
    const { sessionsRevoked } = await ctx.services.auth.changePassword(input, { address: ctx.clientAddress });
    return { otherSessionsRevoked: sessionsRevoked };
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

/**
 * An account's sign-in details, readable by the account itself and ADMIN on every path (a
 * representative's mandate is public: its holder's name is, their email is not). Null otherwise.
 */
@Resolver(() => Account)
export class AccountDetailsResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Sign-in email, normalised (Unicode NFKC, trimmed, lower-cased); unique. The account itself and ADMIN; null for anyone else.',
  })
  email(@Ctx() ctx: Context, @Root() account: Account): string | null {
    return ctx.services.auth.readsDetailsOf(account) ? account.email : null;
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description:
      'Whether the account has verified its email (a link mailed at registration; accounts made by administrators’ commands, and those older than verification, are verified). Until then it may sign in and look after itself, nothing more (EMAIL_NOT_VERIFIED). The account itself and ADMIN; null for anyone else.',
  })
  emailVerified(@Ctx() ctx: Context, @Root() account: Account): boolean | null {
    return ctx.services.auth.readsDetailsOf(account) ? account.emailVerifiedAt != null : null;
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description: 'A disabled account cannot sign in, and its sessions stop working. The account itself and ADMIN; null for anyone else.',
  })
  disabled(@Ctx() ctx: Context, @Root() account: Account): boolean | null {
    return ctx.services.auth.readsDetailsOf(account) ? account.disabled : null;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'Last successful sign-in. The account itself and ADMIN; null for anyone else.',
  })
  lastLoginAt(@Ctx() ctx: Context, @Root() account: Account): Date | null {
    return ctx.services.auth.readsDetailsOf(account) ? (account.lastLoginAt ?? null) : null;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'When the account was created. The account itself and ADMIN; null for anyone else.',
  })
  createdAt(@Ctx() ctx: Context, @Root() account: Account): Date | null {
    return ctx.services.auth.readsDetailsOf(account) ? account.createdAt : null;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'When the account last changed. The account itself and ADMIN; null for anyone else.',
  })
  updatedAt(@Ctx() ctx: Context, @Root() account: Account): Date | null {
    return ctx.services.auth.readsDetailsOf(account) ? account.updatedAt : null;
  }
}
