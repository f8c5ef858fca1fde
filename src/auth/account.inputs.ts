import { isEmail, IsString, Length, MaxLength, ValidateBy } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { normaliseEmail } from './email-identity.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password.js';

/** An email once normalised as it is stored (so " Ada@Example.test " and full-width letters pass). */
function IsNormalisedEmail() {
  return ValidateBy({
    name: 'isNormalisedEmail',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isEmail(normaliseEmail(value)),
      defaultMessage: () => 'email must be a valid email address',
    },
  });
}

@InputType({ description: 'A new account.' })
export class RegisterAccountInput {
  @Field({ description: 'Sign-in email; stored normalised (Unicode NFKC, trimmed, lower-cased), so compared case-insensitively.' })
  @IsNormalisedEmail()
  @MaxLength(320)
  email!: string;

  @Field({ description: `Password, ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters. Stored only as an Argon2id hash.` })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, {
    message: `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`,
  })
  password!: string;

  @Field({ description: 'Name shown to other users (1–200 characters).' })
  @Length(1, 200)
  displayName!: string;
}

@InputType({ description: 'Credentials to sign in with.' })
export class LoginInput {
  @Field({ description: 'Sign-in email (any case; normalised as at registration).' })
  @IsString()
  @MaxLength(320)
  email!: string;

  @Field({ description: 'Password.' })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

@InputType({ description: 'A new password for the signed-in account.' })
export class ChangePasswordInput {
  @Field({ description: 'The current password.' })
  @IsString()
  @MaxLength(1024)
  oldPassword!: string;

  @Field({ description: `The new password, ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.` })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, {
    message: `newPassword must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`,
  })
  newPassword!: string;
}
