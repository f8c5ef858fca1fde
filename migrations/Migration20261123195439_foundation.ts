import { Migration } from '@mikro-orm/migrations';

export class Migration20261123195439_foundation extends Migration {

  override name = 'Migration20261123195439_foundation';

  override up(): void | Promise<void> {
    this.addSql(`create type "cluster_kind" as enum ('FEDERATION', 'CLUSTER', 'ASSOCIATION');`);
    this.addSql(`create type "cluster_status" as enum ('ACTIVE', 'MERGED', 'DISSOLVED');`);
    this.addSql(`create type "role" as enum ('ADMIN', 'CLUSTER_ADMIN', 'COLLEGE_REPRESENTATIVE', 'TREASURER', 'BOARD_MEMBER', 'MEMBER');`);
    this.addSql(`create table "account" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "email" varchar(320) not null, "display_name" varchar(200) not null, "password_hash" text not null, "disabled" boolean not null default false, "last_login_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "account" add constraint "account_email_unique" unique ("email");`);

    this.addSql(`create table "audit_entry" ("seq" bigserial primary key, "occurred_at" timestamptz not null, "actor_id" uuid null, "action" varchar(100) not null, "entity_type" varchar(100) not null, "entity_id" varchar(100) not null, "before" jsonb null, "after" jsonb null, "request_id" varchar(100) null, "prev_hash" varchar(64) not null, "hash" varchar(64) not null);`);
    this.addSql(`create index "audit_entry_occurred_at_index" on "audit_entry" ("occurred_at");`);
    this.addSql(`create index "audit_entry_actor_id_index" on "audit_entry" ("actor_id");`);
    this.addSql(`alter table "audit_entry" add constraint "audit_entry_hash_unique" unique ("hash");`);

    this.addSql(`create table "cluster" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(200) not null, "slug" varchar(80) not null, "kind" "cluster_kind" not null, "status" "cluster_status" not null default 'ACTIVE', "region" text null, "description" text null, "website" text null, "parent_id" uuid null, "successor_id" uuid null, "merged_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "cluster" add constraint "cluster_slug_unique" unique ("slug");`);
    this.addSql(`create index "cluster_status_index" on "cluster" ("status");`);
    this.addSql(`create index "cluster_parent_id_index" on "cluster" ("parent_id");`);
    this.addSql(`create index "cluster_successor_id_index" on "cluster" ("successor_id");`);

    this.addSql(`create table "college" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "cluster_id" uuid not null, "name" varchar(200) not null, "slug" varchar(80) not null, "theme" varchar(200) not null, "description" text null, primary key ("id"));`);
    this.addSql(`create index "college_cluster_id_index" on "college" ("cluster_id");`);
    this.addSql(`alter table "college" add constraint "college_cluster_id_slug_unique" unique ("cluster_id", "slug");`);

    this.addSql(`create table "role_assignment" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "account_id" uuid not null, "role" "role" not null, "cluster_id" uuid null, "college_id" uuid null, "valid_from" timestamptz not null, "valid_to" timestamptz null, "granted_by_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "role_assignment_account_id_index" on "role_assignment" ("account_id");`);
    this.addSql(`create index "role_assignment_cluster_id_index" on "role_assignment" ("cluster_id");`);
    this.addSql(`create index "role_assignment_college_id_index" on "role_assignment" ("college_id");`);

    this.addSql(`create table "session" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "account_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, "client_address" text null, "user_agent" text null, primary key ("id"));`);
    this.addSql(`create index "session_account_id_index" on "session" ("account_id");`);
    this.addSql(`alter table "session" add constraint "session_token_hash_unique" unique ("token_hash");`);

    this.addSql(`alter table "account" add constraint "account_email_lowercase" check (email = lower(email));`);

    this.addSql(`create or replace function "audit_entry_audit_entry_no_update_delete_fn"() returns trigger as \$\$ begin raise exception 'the audit trail is append-only: % on audit_entry is refused', tg_op using errcode = 'insufficient_privilege'; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "audit_entry_no_update_delete" BEFORE UPDATE OR DELETE on "audit_entry" for each ROW execute function "audit_entry_audit_entry_no_update_delete_fn"();`);

    this.addSql(`alter table "cluster" add constraint "cluster_parent_id_foreign" foreign key ("parent_id") references "cluster" ("id") on delete restrict;`);
    this.addSql(`alter table "cluster" add constraint "cluster_successor_id_foreign" foreign key ("successor_id") references "cluster" ("id") on delete restrict;`);
    this.addSql(`alter table "cluster" add constraint "cluster_not_own_parent" check (parent_id is null or parent_id <> id);`);
    this.addSql(`alter table "cluster" add constraint "cluster_merged_has_successor" check ((status = 'MERGED') = (successor_id is not null));`);

    this.addSql(`alter table "college" add constraint "college_cluster_id_foreign" foreign key ("cluster_id") references "cluster" ("id") on delete restrict;`);

    this.addSql(`alter table "role_assignment" add constraint "role_assignment_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "role_assignment" add constraint "role_assignment_cluster_id_foreign" foreign key ("cluster_id") references "cluster" ("id") on delete restrict;`);
    this.addSql(`alter table "role_assignment" add constraint "role_assignment_college_id_foreign" foreign key ("college_id") references "college" ("id") on delete restrict;`);
    this.addSql(`alter table "role_assignment" add constraint "role_assignment_granted_by_id_foreign" foreign key ("granted_by_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "role_assignment" add constraint "role_assignment_period" check (valid_to is null or valid_to > valid_from);`);
    this.addSql(`alter table "role_assignment" add constraint "role_assignment_scope" check (case role
    when 'ADMIN' then cluster_id is null and college_id is null
    when 'COLLEGE_REPRESENTATIVE' then cluster_id is not null and college_id is not null
    when 'MEMBER' then cluster_id is not null
    else cluster_id is not null and college_id is null end);`);

    this.addSql(`alter table "session" add constraint "session_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "session" add constraint "session_expires_after_creation" check (expires_at > created_at);`);

    // Written by hand: the ORM cannot introspect statement-level TRUNCATE triggers, so it is not
    // declared on the entity (the UPDATE/DELETE trigger is). The audit trail is append-only.
    this.addSql(`create function audit_entry_refuse_truncate() returns trigger language plpgsql as $$
      begin
        raise exception 'the audit trail is append-only: TRUNCATE on audit_entry is refused'
          using errcode = 'insufficient_privilege';
      end $$;`);
    this.addSql(`create trigger audit_entry_no_truncate before truncate on "audit_entry"
      for each statement execute function audit_entry_refuse_truncate();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists audit_entry_no_truncate on "audit_entry";`);
    this.addSql(`drop function if exists audit_entry_refuse_truncate();`);
    this.addSql(`alter table "role_assignment" drop constraint "role_assignment_account_id_foreign";`);
    this.addSql(`alter table "role_assignment" drop constraint "role_assignment_granted_by_id_foreign";`);
    this.addSql(`alter table "session" drop constraint "session_account_id_foreign";`);
    this.addSql(`alter table "cluster" drop constraint "cluster_parent_id_foreign";`);
    this.addSql(`alter table "cluster" drop constraint "cluster_successor_id_foreign";`);
    this.addSql(`alter table "college" drop constraint "college_cluster_id_foreign";`);
    this.addSql(`alter table "role_assignment" drop constraint "role_assignment_cluster_id_foreign";`);
    this.addSql(`alter table "role_assignment" drop constraint "role_assignment_college_id_foreign";`);

    this.addSql(`drop table if exists "account" cascade;`);
    this.addSql(`drop trigger if exists "audit_entry_no_update_delete" on "audit_entry";`);
    this.addSql(`drop function if exists "audit_entry_audit_entry_no_update_delete_fn"();`);
    this.addSql(`drop table if exists "audit_entry" cascade;`);
    this.addSql(`drop table if exists "cluster" cascade;`);
    this.addSql(`drop table if exists "college" cascade;`);
    this.addSql(`drop table if exists "role_assignment" cascade;`);
    this.addSql(`drop table if exists "session" cascade;`);

    this.addSql(`drop type "cluster_kind";`);
    this.addSql(`drop type "cluster_status";`);
    this.addSql(`drop type "role";`);
  }

}
