import { Field, Int, ObjectType } from 'type-graphql';
import { Account } from './account.entity.js';
import { RoleAssignment } from './role-assignment.entity.js';

@ObjectType({ description: 'The signed-in caller.' })
export class ViewerType {
  @Field(() => Account, { description: "The caller's account." })
  account!: Account;

  @Field(() => [RoleAssignment], { description: 'The role assignments in force now, oldest first.' })
  roles!: RoleAssignment[];
}

@ObjectType({ description: 'Result of registerAccount.' })
export class RegisterAccountPayload {
  @Field(() => Account, {
    description:
      'The account with the email and name given. Sign in with `login` to get a token. When the email already had an account (or looked like one that has), this one was not stored: its id is fresh and belongs to nothing.',
  })
  account!: Account;
}

@ObjectType({ description: 'Result of login.' })
export class LoginPayload {
  @Field({ description: 'Bearer token: send it as `Authorization: Bearer <token>`. Shown once; only its hash is stored.' })
  token!: string;

  @Field({ description: 'When the session expires.' })
  expiresAt!: Date;

  @Field(() => Account, { description: 'The signed-in account.' })
  account!: Account;
}

@ObjectType({ description: 'Result of logout.' })
export class LogoutPayload {
  @Field({ description: 'True: the session is revoked and its token no longer works.' })
  signedOut!: boolean;
}

@ObjectType({ description: 'Result of changePassword.' })
export class ChangePasswordPayload {
  @Field(() => Int, { description: 'How many other sessions of the account were signed out (this one stays signed in).' })
  otherSessionsRevoked!: number;
}
