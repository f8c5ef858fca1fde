import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { loadReference, type Loadable } from '../shared/loaders.js';
import { ConnectionType, PageArgs, selectsField } from '../shared/pagination.js';
import { DisableAccountInput, EnableAccountInput } from './account-admin.inputs.js';
import { DisableAccountPayload, EnableAccountPayload } from './account-admin.payloads.js';
import { AccountDisablement } from './account-disablement.entity.js';
import { Account } from './account.entity.js';
import type { Context } from './auth.services.js';

const AccountConnection = ConnectionType(Account);
type AccountConnection = InstanceType<typeof AccountConnection>;

/** Platform administration of accounts: finding, disabling and enabling them (ADMIN). */
@Resolver()
export class AccountAdminResolver {
  @Query(() => AccountConnection, {
    description:
      'Accounts whose email or display name contains the text (any case), ordered by email; every account without `search`. With their email, state, last sign-in and creation date, open sessions and disablements. ADMIN only.',
  })
  accounts(
    @Ctx() ctx: Context,
    @Arg('search', () => String, { nullable: true, description: 'Part of an email or of a display name (at most 320 characters).' })
    search: string | null | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AccountConnection> {
    return ctx.services.accountAdmin.accounts(search, page, selectsField(info, 'totalCount'));
  }

  @Mutation(() => DisableAccountPayload, {
    description:
      'Disables an account: it can no longer sign in (ACCOUNT_DISABLED), and every open session of it is signed out at once, so the next request with one of its tokens is refused. Audited with the reason; the period is kept in `Account.disablements`. Refused: an unknown account (NOT_FOUND), one already disabled (ACCOUNT_ALREADY_DISABLED), and any disabling that would leave no enabled account holding ADMIN — the last administrator cannot disable themself (LAST_ADMIN). ADMIN only.',
  })
  async disableAccount(
    @Ctx() ctx: Context,
    @Arg('input', () => DisableAccountInput, { description: 'Which account, and why.' }) input: DisableAccountInput,
  ): Promise<DisableAccountPayload> {
    return ctx.services.accountAdmin.disable(input.accountId, input.reason);
  }

  @Mutation(() => EnableAccountPayload, {
    description:
      'Enables a disabled account again: it signs in again with its password (the sessions signed out when it was disabled stay so). Audited. Refused: an unknown account (NOT_FOUND), one not disabled (ACCOUNT_NOT_DISABLED). ADMIN only.',
  })
  async enableAccount(
    @Ctx() ctx: Context,
    @Arg('input', () => EnableAccountInput, { description: 'Which account.' }) input: EnableAccountInput,
  ): Promise<EnableAccountPayload> {
    return ctx.services.accountAdmin.enable(input.accountId);
  }
}

/** An account's disablement history, for the account itself and ADMIN. */
@Resolver(() => Account)
export class AccountDisablementsResolver {
  @FieldResolver(() => [AccountDisablement], {
    nullable: true,
    description:
      'The periods the account was disabled, newest first (empty when never). The account itself and ADMIN; null for anyone else.',
  })
  disablements(@Ctx() ctx: Context, @Root() account: Account): Promise<AccountDisablement[]> | null {
    return ctx.services.accountAdmin.disablementsOf(account);
  }
}

@Resolver(() => AccountDisablement)
export class AccountDisablementFieldsResolver {
  @FieldResolver(() => Account, { nullable: true, description: 'Who disabled it; null when the system did.' })
  disabledBy(@Root() disablement: AccountDisablement): Loadable<Account> {
    return loadReference(disablement.disabledBy);
  }

  @FieldResolver(() => Account, {
    nullable: true,
    description: 'Who enabled it again; null while it stays disabled, or when the system did.',
  })
  enabledBy(@Root() disablement: AccountDisablement): Loadable<Account> {
    return loadReference(disablement.enabledBy);
  }
}
