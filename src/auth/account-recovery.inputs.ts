import { IsString, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password.js';

@InputType({ description: 'Who asks for a password reset link.' })
export class RequestPasswordResetInput {
  @Field({ description: 'The sign-in email of the account (any case; normalised as at registration).' })
  @IsString()
  @MaxLength(320)
  email!: string;
}

@InputType({ description: 'A new password, chosen through a reset link.' })
export class ResetPasswordInput {
  @Field({ description: 'The token of the reset link: what follows `#token=` in the link of the mail.' })
  @IsString()
  @MaxLength(200)
  token!: string;

  // The length is the service's to check, so that a refusal names PASSWORD_LENGTH.
  @Field({ description: `The new password, ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters (PASSWORD_LENGTH otherwise).` })
  @IsString()
  @MaxLength(1024)
  newPassword!: string;
}

@InputType({ description: 'An email verification link, opened.' })
export class VerifyEmailInput {
  @Field({ description: 'The token of the verification link: what follows `#token=` in the link of the mail.' })
  @IsString()
  @MaxLength(200)
  token!: string;
}
