import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Result of requestPasswordReset: the same whether or not an account has the email.' })
export class RequestPasswordResetPayload {
  @Field({
    description:
      'Always true: if an enabled account signs in with this email, a reset link (valid 1 hour) was sent to it; otherwise nothing was sent. The answer does not say which.',
  })
  accepted!: boolean;
}

@ObjectType({ description: 'Result of resetPassword.' })
export class ResetPasswordPayload {
  @Field({ description: 'True: the new password is set and the link used. Sign in with it (`login`).' })
  passwordReset!: boolean;

  @Field(() => Int, { description: 'How many open sessions of the account were signed out (all of them).' })
  sessionsRevoked!: number;
}

@ObjectType({ description: 'Result of verifyEmail.' })
export class VerifyEmailPayload {
  @Field({ description: 'True: the account’s email is verified; everything its rights allow is open to it.' })
  emailVerified!: boolean;
}

@ObjectType({ description: 'Result of resendVerificationEmail.' })
export class ResendVerificationEmailPayload {
  @Field({ description: 'The address the new link was sent to: the account’s sign-in email.' })
  sentTo!: string;

  @Field({ description: 'When the new link expires (48 hours); earlier links no longer work.' })
  expiresAt!: Date;
}
