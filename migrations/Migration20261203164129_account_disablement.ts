import { Migration } from '@mikro-orm/migrations';

export class Migration20261203164129_account_disablement extends Migration {

  override name = 'Migration20261203164129_account_disablement';

  override up(): void | Promise<void> {
    this.addSql(`create table "account_disablement" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "account_id" uuid not null, "disabled_at" timestamptz not null, "reason" text not null, "disabled_by_id" uuid null, "enabled_at" timestamptz null, "enabled_by_id" uuid null, "sessions_revoked" int not null, primary key ("id"));`);
    this.addSql(`create index "account_disablement_account_id_index" on "account_disablement" ("account_id");`);
    this.addSql(`create unique index "account_disablement_one_open" on "account_disablement" ("account_id") where "enabled_at" is null;`);

    this.addSql(`alter table "account_disablement" add constraint "account_disablement_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "account_disablement" add constraint "account_disablement_disabled_by_id_foreign" foreign key ("disabled_by_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "account_disablement" add constraint "account_disablement_enabled_by_id_foreign" foreign key ("enabled_by_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "account_disablement" add constraint "account_disablement_reason" check (length(btrim(reason)) >= 1 and length(btrim(reason)) <= 2000);`);
    this.addSql(`alter table "account_disablement" add constraint "account_disablement_period" check (enabled_at is null or enabled_at >= disabled_at);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "account_disablement" cascade;`);
  }

}
