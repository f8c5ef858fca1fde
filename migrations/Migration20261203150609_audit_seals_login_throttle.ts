import { Migration } from '@mikro-orm/migrations';
import { emailSkeleton, normaliseEmail } from '../src/auth/email-identity.js';

export class Migration20261203150609_audit_seals_login_throttle extends Migration {

  override name = 'Migration20261203150609_audit_seals_login_throttle';

  override async up(): Promise<void> {
    this.addSql(`create table "login_throttle" ("key" varchar(80) not null, "state" jsonb not null, "expires_at" timestamptz not null, primary key ("key"));`);
    this.addSql(`create index "login_throttle_expires_at_index" on "login_throttle" ("expires_at");`);

    this.addSql(`alter table "account" add "email_skeleton" text null;`);
    this.addSql(`create index "account_email_skeleton_index" on "account" ("email_skeleton");`);

    this.addSql(`alter table "audit_entry" add "seal" varchar(97) null;`);
    this.addSql(`alter table "audit_entry" add constraint "audit_entry_seal_unique" unique ("seal");`);

    // Existing accounts: their email in the normal form sign-in now looks up (unless another
    // account already holds that form), and its skeleton, computed by the same code as at registration.
    const accounts = (await this.execute('select id, email from account')) as { id: string; email: string }[];
    if (accounts.length) {
      const held = new Set(accounts.map((account) => account.email));
      const wanted = new Map<string, number>();
      for (const { email } of accounts) wanted.set(normaliseEmail(email), (wanted.get(normaliseEmail(email)) ?? 0) + 1);
      const rows = accounts.map(({ id, email }) => {
        const normal = normaliseEmail(email);
        // An email whose normal form another account holds (or wants) is left as it is.
        const free = normal === email || (!held.has(normal) && wanted.get(normal) === 1);
        return { id, email: free ? normal : email, skeleton: emailSkeleton(normal) };
      });
      const json = JSON.stringify(rows).replace(/'/g, "''");
      this.addSql(`update "account" a set "email_skeleton" = v.skeleton, "email" = v.email
                     from jsonb_to_recordset('${json}'::jsonb) as v(id uuid, email text, skeleton text) where a.id = v.id;`);
    }
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "login_throttle" cascade;`);

    this.addSql(`drop index "account_email_skeleton_index";`);
    this.addSql(`alter table "account" drop column "email_skeleton";`);

    this.addSql(`alter table "audit_entry" drop constraint "audit_entry_seal_unique";`);
    this.addSql(`alter table "audit_entry" drop column "seal";`);
  }

}
