import { Migration } from '@mikro-orm/migrations';

export class Migration20261203202239_meeting_minutes extends Migration {

  override name = 'Migration20261203202239_meeting_minutes';

  override up(): void | Promise<void> {
    this.addSql(`create type "minutes_role" as enum ('CHAIR', 'SECRETARY');`);
    this.addSql(`create table "meeting_minutes" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "meeting_id" uuid not null, "version" int not null, "text" text not null, "sha256" varchar(64) not null, "notes" jsonb not null, "created_by_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "meeting_minutes_meeting_id_index" on "meeting_minutes" ("meeting_id");`);
    this.addSql(`alter table "meeting_minutes" add constraint "meeting_minutes_meeting_id_version_unique" unique ("meeting_id", "version");`);

    this.addSql(`create table "minutes_signature" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "minutes_id" uuid not null, "signer_id" uuid not null, "role" "minutes_role" not null, "sha256" varchar(64) not null, "signed_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "minutes_signature_minutes_id_index" on "minutes_signature" ("minutes_id");`);
    this.addSql(`create index "minutes_signature_signer_id_index" on "minutes_signature" ("signer_id");`);
    this.addSql(`alter table "minutes_signature" add constraint "minutes_signature_minutes_id_role_unique" unique ("minutes_id", "role");`);

    this.addSql(`alter table "meeting_minutes" add constraint "meeting_minutes_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on delete restrict;`);
    this.addSql(`alter table "meeting_minutes" add constraint "meeting_minutes_created_by_id_foreign" foreign key ("created_by_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "meeting_minutes" add constraint "meeting_minutes_sha256_hex" check (sha256 ~ '^[0-9a-f]{64}\$');`);
    this.addSql(`alter table "meeting_minutes" add constraint "meeting_minutes_version_positive" check (version > 0);`);

    this.addSql(`alter table "minutes_signature" add constraint "minutes_signature_minutes_id_foreign" foreign key ("minutes_id") references "meeting_minutes" ("id") on delete restrict;`);
    this.addSql(`alter table "minutes_signature" add constraint "minutes_signature_signer_id_foreign" foreign key ("signer_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "minutes_signature" add constraint "minutes_signature_sha256_hex" check (sha256 ~ '^[0-9a-f]{64}\$');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "minutes_signature" drop constraint "minutes_signature_minutes_id_foreign";`);

    this.addSql(`drop table if exists "meeting_minutes" cascade;`);
    this.addSql(`drop table if exists "minutes_signature" cascade;`);

    this.addSql(`drop type "minutes_role";`);
  }

}
