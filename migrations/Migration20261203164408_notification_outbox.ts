import { Migration } from '@mikro-orm/migrations';

export class Migration20261203164408_notification_outbox extends Migration {

  override name = 'Migration20261203164408_notification_outbox';

  override up(): void | Promise<void> {
    this.addSql(`create table "notification" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "kind" text not null, "account_id" uuid null, "email" varchar(320) not null, "dedupe_key" text null, "payload" jsonb not null, "status" text not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "locked_until" timestamptz null, "locked_by" text null, "last_error" text null, "sent_at" timestamptz null, "message_id" text null, primary key ("id"));`);
    this.addSql(`create index "notification_account_id_index" on "notification" ("account_id");`);
    this.addSql(`alter table "notification" add constraint "notification_dedupe_key_unique" unique ("dedupe_key");`);
    this.addSql(`create index "notification_due" on "notification" ("next_attempt_at") where status = 'PENDING';`);

    this.addSql(`create table "notification_opt_out" ("account_id" uuid not null, "kind" text not null, "created_at" timestamptz not null, primary key ("account_id", "kind"));`);

    this.addSql(`create table "scheduled_run" ("job" text not null, "day" date not null, "started_at" timestamptz not null, "queued" int not null default 0, primary key ("job", "day"));`);

    this.addSql(`alter table "notification" add constraint "notification_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "notification" add constraint "notification_sent_has_time" check ((status = 'SENT') = (sent_at is not null));`);
    this.addSql(`alter table "notification" add constraint "notification_attempts_not_negative" check (attempts >= 0);`);
    this.addSql(`alter table "notification" add constraint "notification_kind_check" check ("kind" in ('APPLICATION_SUBMITTED', 'APPLICATION_DECIDED', 'CHARTER_TO_SIGN', 'ACT_REQUEST_RECEIVED', 'ACT_REQUEST_DECIDED', 'VOTE_OPENED', 'VOTE_CLOSING_SOON', 'PROXY_RECEIVED', 'INSTALMENT_OVERDUE', 'JUSTIFICATION_DUE', 'MANDATE_ENDING', 'PASSWORD_RESET', 'EMAIL_VERIFICATION', 'REGISTRATION_ATTEMPT'));`);
    this.addSql(`alter table "notification" add constraint "notification_status_check" check ("status" in ('PENDING', 'SENT', 'FAILED'));`);

    this.addSql(`alter table "notification_opt_out" add constraint "notification_opt_out_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);
    this.addSql(`alter table "notification_opt_out" add constraint "notification_opt_out_kind_check" check ("kind" in ('APPLICATION_SUBMITTED', 'APPLICATION_DECIDED', 'CHARTER_TO_SIGN', 'ACT_REQUEST_RECEIVED', 'ACT_REQUEST_DECIDED', 'VOTE_OPENED', 'VOTE_CLOSING_SOON', 'PROXY_RECEIVED', 'INSTALMENT_OVERDUE', 'JUSTIFICATION_DUE', 'MANDATE_ENDING', 'PASSWORD_RESET', 'EMAIL_VERIFICATION', 'REGISTRATION_ATTEMPT'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "notification" cascade;`);
    this.addSql(`drop table if exists "notification_opt_out" cascade;`);
    this.addSql(`drop table if exists "scheduled_run" cascade;`);
  }

}
