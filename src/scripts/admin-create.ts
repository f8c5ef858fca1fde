import { parseArgs } from 'node:util';
import { AuditService } from '../audit/audit.service.js';
import { trustedScope } from '../auth/domain-service.js';
import { Account } from '../auth/account.entity.js';
import { normaliseEmail } from '../auth/auth.service.js';
import { authServices } from '../auth/auth.services.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import { PasswordHasher } from '../auth/password.js';
import { GLOBAL } from '../auth/permissions.js';
import { Role } from '../auth/role.js';
import { membershipScopeDirectory } from '../membership/scope-directory.js';
import { AppError } from '../shared/errors.js';
import { runWithDatabase } from './script-database.js';
import { LinkTokens } from '../auth/link-tokens.js';
import { securityMail } from '../notification/security-mail.js';

/**
 * `npm run admin:create -- --email a@b.fr [--name "…"]`, the password on standard input: the
 * first platform administrator of a fresh database (nobody can grant ADMIN before one exists).
 * Creates the account (or takes the existing one, whose password is then left as it is) and
 * grants it ADMIN, both in the audit trail with request id `cli:admin:create`. Works in embedded
 * mode, with DATABASE_URL, and in the Docker image (`npm run admin:create:prod`).
 */
const USAGE = 'usage: npm run admin:create -- --email <email> [--name "<display name>"]  (the password is read from standard input)';

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write('Password (not echoed): ');
    process.stdin.setRawMode(true);
  }
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (process.stdin.isTTY && /[\r\n]/.test(text)) break;
  }
  if (process.stdin.isTTY) {
    process.stdin.setRawMode(false);
    process.stderr.write('\n');
  }
  return text.replace(/[\r\n]+$/, '').split(/\r?\n/)[0];
}

let args: { email?: string; name?: string };
try {
  args = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (!args.email) {
  console.error(`--email is required.\n${USAGE}`);
  process.exit(2);
}
const email = args.email;

await runWithDatabase(async ({ orm }, logger, config) => {
  const em = orm.em.fork();
  const existing = await em.findOne(Account, { email: normaliseEmail(email) });
  const password = existing ? '' : await readPassword();
  // The system acts (nobody is signed in); the request id says which command did.
  const scope = { ...trustedScope(em, new AuditService(), () => new Date()), actor: { accountId: null, requestId: 'cli:admin:create' } };
  const services = authServices(scope, {
    hasher: new PasswordHasher(),
    throttle: new LoginThrottle(),
    sessionTtlHours: config.sessionTtlHours,
    scopes: membershipScopeDirectory,
    mail: securityMail,
    linkTokens: LinkTokens.fromEnvironment(),
  });
  try {
    // The operator vouches for the email: a new account starts verified (an existing one is left as it is).
    const account =
      existing ?? (await services.auth.register({ email, password, displayName: args.name?.trim() || email }, { verified: true }));
    const held = await services.auth.currentRoles(account.id);
    if (held.some((grant) => grant.role === Role.ADMIN)) {
      logger.info({ accountId: account.id, email: account.email }, 'this account is already a platform administrator: nothing to do');
      return 0;
    }
    await services.roles.grant({ accountId: account.id, role: Role.ADMIN }, GLOBAL);
    logger.info({ accountId: account.id, email: account.email, created: !existing }, 'platform administrator created');
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    logger.error({ code: error.code, reason: error.reason, details: error.details }, `refused: ${error.message}`);
    return 1;
  }
});
