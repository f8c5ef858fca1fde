import { Migration } from '@mikro-orm/migrations';

export class Migration20261203165018_account_tokens extends Migration {

  override name = 'Migration20261203165018_account_tokens';

  override up(): void | Promise<void> {
    this.addSql(`create table "account_token" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "account_id" uuid not null, "purpose" text not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "superseded_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "account_token_account_id_index" on "account_token" ("account_id");`);
    this.addSql(`alter table "account_token" add constraint "account_token_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create unique index "account_token_one_live" on "account_token" ("account_id", "purpose") where "used_at" is null and "superseded_at" is null;`);

    this.addSql(`alter table "account" add "email_verified_at" timestamptz null;`);
    // Accounts older than verification were created before anyone was asked to verify: they count as verified since their creation.
    this.addSql(`update "account" set "email_verified_at" = "created_at";`);

    this.addSql(`alter table "account_token" add constraint "account_token_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "account_token" add constraint "account_token_used_or_superseded" check (used_at is null or superseded_at is null);`);
    this.addSql(`alter table "account_token" add constraint "account_token_expires_after_creation" check (expires_at > created_at);`);
    this.addSql(`alter table "account_token" add constraint "account_token_purpose_check" check ("purpose" in ('PASSWORD_RESET', 'EMAIL_VERIFICATION'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "account_token" cascade;`);

    this.addSql(`alter table "account" drop column "email_verified_at";`);
  }

}
