import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { ViewerType } from './account.payloads.js';
import { RequestPasswordResetInput, ResetPasswordInput, VerifyEmailInput } from './account-recovery.inputs.js';
import {
  RequestPasswordResetPayload,
  ResendVerificationEmailPayload,
  ResetPasswordPayload,
  VerifyEmailPayload,
} from './account-recovery.payloads.js';
import type { Context } from './auth.services.js';

/** A forgotten password, and proving one's email: single-use links sent by mail. */
@Resolver()
export class AccountRecoveryResolver {
  @Mutation(() => RequestPasswordResetPayload, {
    description:
      'Asks for a password reset link. Open to anyone. The answer is the same whether or not an account has this email: if an enabled account has it, a link valid 1 hour is mailed to it (a new link makes the earlier ones unusable); a disabled account or an unknown email gets nothing, and the same answer. Throttled per email — counted whether or not an account has it, so a refusal tells nothing either — (3 within an hour) and per client address (10 within 15 minutes): RATE_LIMITED, PASSWORD_RESETS_LIMITED, `extensions.retryAfterSeconds`.',
  })
  async requestPasswordReset(
    @Ctx() ctx: Context,
    @Arg('input', () => RequestPasswordResetInput, { description: 'The email of the account.' }) input: RequestPasswordResetInput,
  ): Promise<RequestPasswordResetPayload> {
    await ctx.services.accountRecovery.requestPasswordReset(input, { address: ctx.clientAddress });
    return { accepted: true };
  }

  @Mutation(() => ResetPasswordPayload, {
    description:
      'Sets a new password through a reset link (open to anyone: the link is the proof). The link works once, for 1 hour, and only the newest of the account’s; refused, with nothing written, when it is no reset link (LINK_INVALID), used (LINK_USED), superseded by a newer one (LINK_SUPERSEDED), expired (LINK_EXPIRED), its account disabled (LINK_ACCOUNT_DISABLED), or the password is not 12 to 256 characters (PASSWORD_LENGTH). Then every session of the account is signed out, the email counts as verified, and the failed sign-ins counted against the email are forgotten: sign in with the new password.',
  })
  async resetPassword(
    @Ctx() ctx: Context,
    @Arg('input', () => ResetPasswordInput, { description: 'The link’s token and the new password.' }) input: ResetPasswordInput,
  ): Promise<ResetPasswordPayload> {
    const { sessionsRevoked } = await ctx.services.accountRecovery.resetPassword(input, { address: ctx.clientAddress });
    return { passwordReset: true, sessionsRevoked };
  }

  @Mutation(() => VerifyEmailPayload, {
    description:
      'Verifies an account’s email through the link mailed at registration (open to anyone: the link is the proof; valid 48 hours, only the newest). Refused, with nothing written: LINK_INVALID, EMAIL_ALREADY_VERIFIED (whichever of the account’s links, the one just used included), LINK_SUPERSEDED, LINK_EXPIRED, LINK_ACCOUNT_DISABLED. Until its email is verified an account may sign in, read `viewer`, change its password, sign out, verify its email and ask for a new link; anything else that needs signing in is refused with FORBIDDEN, EMAIL_NOT_VERIFIED.',
  })
  async verifyEmail(
    @Ctx() ctx: Context,
    @Arg('input', () => VerifyEmailInput, { description: 'The link’s token.' }) input: VerifyEmailInput,
  ): Promise<VerifyEmailPayload> {
    await ctx.services.emailVerification.verifyEmail(input.token);
    return { emailVerified: true };
  }

  @Mutation(() => ResendVerificationEmailPayload, {
    description:
      'Mails the signed-in account a new verification link (48 hours); the earlier ones stop working. Open to unverified accounts; refused once the email is verified (CONFLICT, EMAIL_ALREADY_VERIFIED) and past 3 links an hour (RATE_LIMITED, VERIFICATION_EMAILS_LIMITED, `extensions.retryAfterSeconds`).',
  })
  async resendVerificationEmail(@Ctx() ctx: Context): Promise<ResendVerificationEmailPayload> {
    const { email, expiresAt } = await ctx.services.emailVerification.resendVerificationEmail();
    return { sentTo: email, expiresAt };
  }
}

/** Whether the signed-in caller has verified their email. */
@Resolver(() => ViewerType)
export class ViewerVerificationResolver {
  @FieldResolver(() => Boolean, {
    description:
      'Whether the caller’s email is verified. Until it is, the account may sign in, read `viewer`, change its password, sign out, verify its email (`verifyEmail`) or ask for a new link (`resendVerificationEmail`); anything else that needs signing in is refused with FORBIDDEN, EMAIL_NOT_VERIFIED.',
  })
  emailVerified(@Root() viewer: ViewerType): boolean {
    return viewer.account.emailVerifiedAt != null;
  }
}
