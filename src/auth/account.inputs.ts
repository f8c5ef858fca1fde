import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password.js';

@InputType({ description: 'A new account.' })
export class RegisterAccountInput {
  @Field({ description: 'Sign-in email; compared case-insensitively.' })
  @IsEmail({}, { message: 'email must be a valid email address' })
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
  @Field({ description: 'Sign-in email (any case).' })
  @IsString()
  @MaxLength(320)
  email!: string;

  @Field({ description: 'Password.' })
  @IsString()
  @MaxLength(1024)
  password!: string;
}
