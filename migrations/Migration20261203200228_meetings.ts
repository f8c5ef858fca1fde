import { Migration } from '@mikro-orm/migrations';

/**
 * Meetings (issue 15): a body's statutory meeting rules (versioned), its meetings at first or
 * second convocation, their agenda, the frozen list of those convened, the attendance sheet and
 * the pouvoirs; a proposal party's vote may sit on an agenda item.
 */
export class Migration20261203200228_meetings extends Migration {

  override name = 'Migration20261203200228_meetings';

  override up(): void | Promise<void> {
    this.addSql(`create type "quorum_basis" as enum ('PRESENT', 'PRESENT_OR_REPRESENTED');`);
    this.addSql(`create type "majority" as enum ('SIMPLE', 'ABSOLUTE', 'TWO_THIRDS', 'THREE_QUARTERS');`);
    this.addSql(`create type "meeting_kind" as enum ('BOARD', 'ORDINARY_GENERAL_ASSEMBLY', 'EXTRAORDINARY_GENERAL_ASSEMBLY');`);
    this.addSql(`create type "meeting_state" as enum ('DRAFT', 'CONVENED', 'OPEN', 'CLOSED', 'ADJOURNED_NO_QUORUM', 'CANCELLED');`);
    this.addSql(`create type "pouvoir_state" as enum ('ACTIVE', 'REVOKED', 'CANCELLED_BY_ARRIVAL');`);
    this.addSql(`create type "attendance_mode" as enum ('IN_PERSON', 'REMOTE');`);
    this.addSql(`create table "body_statutes" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "body_id" uuid not null, "version" int not null, "notice_days" int not null, "quorum_first_basis_points" int not null, "quorum_second_basis_points" int null, "quorum_basis" "quorum_basis" not null, "remote_counts_as_present" boolean not null, "pouvoirs_per_holder" int not null, "dissolution_body" "body_kind" not null, "dissolution_quorum_basis_points" int not null, "dissolution_majority" "majority" not null, "note" text null, "created_by_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "body_statutes_body_id_index" on "body_statutes" ("body_id");`);
    this.addSql(`alter table "body_statutes" add constraint "body_statutes_body_id_version_unique" unique ("body_id", "version");`);

    this.addSql(`create table "meeting" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "body_id" uuid not null, "kind" "meeting_kind" not null, "title" varchar(300) not null, "convocation" smallint not null default 1, "first_convocation_id" uuid null, "scheduled_at" timestamptz not null, "place" text not null default '', "remote_allowed" boolean not null default false, "chair_id" uuid null, "secretary_id" uuid null, "state" "meeting_state" not null default 'DRAFT', "statutes_id" uuid null, "convened_at" timestamptz null, "convened_by_id" uuid null, "notice_forced_reason" text null, "opened_at" timestamptz null, "closed_at" timestamptz null, "quorum" jsonb null, "cancelled_at" timestamptz null, "cancel_reason" text null, primary key ("id"));`);
    this.addSql(`create index "meeting_body_id_index" on "meeting" ("body_id");`);
    this.addSql(`create index "meeting_scheduled_at_index" on "meeting" ("scheduled_at");`);
    this.addSql(`create index "meeting_state_index" on "meeting" ("state");`);
    this.addSql(`alter table "meeting" add constraint "meeting_one_second_convocation" unique ("first_convocation_id");`);

    this.addSql(`create table "pouvoir" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "meeting_id" uuid not null, "principal_id" uuid not null, "holder_id" uuid not null, "state" "pouvoir_state" not null default 'ACTIVE', "ended_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "pouvoir_meeting_id_index" on "pouvoir" ("meeting_id");`);
    this.addSql(`create index "pouvoir_principal_id_index" on "pouvoir" ("principal_id");`);
    this.addSql(`create index "pouvoir_holder_id_index" on "pouvoir" ("holder_id");`);
    this.addSql(`create unique index "pouvoir_one_active" on "pouvoir" ("meeting_id", "principal_id") where state = 'ACTIVE';`);

    this.addSql(`create table "convocation_recipient" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "meeting_id" uuid not null, "voter_id" uuid not null, "organisation_id" uuid null, "college_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "convocation_recipient_meeting_id_index" on "convocation_recipient" ("meeting_id");`);
    this.addSql(`create index "convocation_recipient_voter_id_index" on "convocation_recipient" ("voter_id");`);
    this.addSql(`alter table "convocation_recipient" add constraint "convocation_recipient_meeting_id_voter_id_unique" unique ("meeting_id", "voter_id");`);

    this.addSql(`create table "attendance" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "meeting_id" uuid not null, "voter_id" uuid not null, "mode" "attendance_mode" not null, "arrived_at" timestamptz not null, "left_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "attendance_meeting_id_index" on "attendance" ("meeting_id");`);
    this.addSql(`create index "attendance_voter_id_index" on "attendance" ("voter_id");`);
    this.addSql(`create unique index "attendance_one_open_stint" on "attendance" ("meeting_id", "voter_id") where left_at is null;`);

    this.addSql(`create table "agenda_item" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "meeting_id" uuid not null, "position" int not null, "title" varchar(300) not null, "description" text not null default '', "binding" boolean not null default true, primary key ("id"));`);
    this.addSql(`create index "agenda_item_meeting_id_index" on "agenda_item" ("meeting_id");`);
    this.addSql(`alter table "agenda_item" add constraint "agenda_item_meeting_id_position_unique" unique ("meeting_id", "position");`);

    this.addSql(`alter table "proposal_party" add "agenda_item_id" uuid null;`);
    this.addSql(`alter table "proposal_party" add constraint "proposal_party_agenda_item_id_foreign" foreign key ("agenda_item_id") references "agenda_item" ("id") on delete restrict;`);
    this.addSql(`create index "proposal_party_agenda_item_id_index" on "proposal_party" ("agenda_item_id");`);

    this.addSql(`alter table "body_statutes" add constraint "body_statutes_body_id_foreign" foreign key ("body_id") references "voting_body" ("id") on delete restrict;`);
    this.addSql(`alter table "body_statutes" add constraint "body_statutes_created_by_id_foreign" foreign key ("created_by_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "body_statutes" add constraint "body_statutes_dissolution_quorum" check (dissolution_quorum_basis_points >= 0 and dissolution_quorum_basis_points <= 10000);`);
    this.addSql(`alter table "body_statutes" add constraint "body_statutes_pouvoirs" check (pouvoirs_per_holder >= 0 and pouvoirs_per_holder <= 1000);`);
    this.addSql(`alter table "body_statutes" add constraint "body_statutes_quorum_second" check (quorum_second_basis_points is null or quorum_second_basis_points >= 0 and quorum_second_basis_points <= 10000);`);
    this.addSql(`alter table "body_statutes" add constraint "body_statutes_quorum_first" check (quorum_first_basis_points >= 0 and quorum_first_basis_points <= 10000);`);
    this.addSql(`alter table "body_statutes" add constraint "body_statutes_notice_days" check (notice_days >= 0 and notice_days <= 366);`);
    this.addSql(`alter table "body_statutes" add constraint "body_statutes_version_positive" check (version > 0);`);

    this.addSql(`alter table "meeting" add constraint "meeting_body_id_foreign" foreign key ("body_id") references "voting_body" ("id") on delete restrict;`);
    this.addSql(`alter table "meeting" add constraint "meeting_first_convocation_id_foreign" foreign key ("first_convocation_id") references "meeting" ("id") on delete restrict;`);
    this.addSql(`alter table "meeting" add constraint "meeting_chair_id_foreign" foreign key ("chair_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "meeting" add constraint "meeting_secretary_id_foreign" foreign key ("secretary_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "meeting" add constraint "meeting_statutes_id_foreign" foreign key ("statutes_id") references "body_statutes" ("id") on delete restrict;`);
    this.addSql(`alter table "meeting" add constraint "meeting_convened_by_id_foreign" foreign key ("convened_by_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "meeting" add constraint "meeting_chair_not_secretary" check (chair_id is null or secretary_id is null or chair_id <> secretary_id);`);
    this.addSql(`alter table "meeting" add constraint "meeting_second_links_first" check ((convocation = 2) = (first_convocation_id is not null));`);
    this.addSql(`alter table "meeting" add constraint "meeting_convocation_number" check (convocation in (1, 2));`);

    this.addSql(`alter table "pouvoir" add constraint "pouvoir_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on delete restrict;`);
    this.addSql(`alter table "pouvoir" add constraint "pouvoir_principal_id_foreign" foreign key ("principal_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "pouvoir" add constraint "pouvoir_holder_id_foreign" foreign key ("holder_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "pouvoir" add constraint "pouvoir_not_to_self" check (principal_id <> holder_id);`);

    this.addSql(`alter table "convocation_recipient" add constraint "convocation_recipient_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on delete restrict;`);
    this.addSql(`alter table "convocation_recipient" add constraint "convocation_recipient_voter_id_foreign" foreign key ("voter_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "convocation_recipient" add constraint "convocation_recipient_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on delete restrict;`);
    this.addSql(`alter table "convocation_recipient" add constraint "convocation_recipient_college_id_foreign" foreign key ("college_id") references "college" ("id") on delete restrict;`);

    this.addSql(`alter table "attendance" add constraint "attendance_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on delete restrict;`);
    this.addSql(`alter table "attendance" add constraint "attendance_voter_id_foreign" foreign key ("voter_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "attendance" add constraint "attendance_left_after_arrival" check (left_at is null or left_at >= arrived_at);`);

    this.addSql(`alter table "agenda_item" add constraint "agenda_item_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on delete restrict;`);
    this.addSql(`alter table "agenda_item" add constraint "agenda_item_position_positive" check (position > 0);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "meeting" drop constraint "meeting_statutes_id_foreign";`);
    this.addSql(`alter table "meeting" drop constraint "meeting_first_convocation_id_foreign";`);
    this.addSql(`alter table "pouvoir" drop constraint "pouvoir_meeting_id_foreign";`);
    this.addSql(`alter table "convocation_recipient" drop constraint "convocation_recipient_meeting_id_foreign";`);
    this.addSql(`alter table "attendance" drop constraint "attendance_meeting_id_foreign";`);
    this.addSql(`alter table "agenda_item" drop constraint "agenda_item_meeting_id_foreign";`);
    this.addSql(`alter table "proposal_party" drop constraint "proposal_party_agenda_item_id_foreign";`);

    this.addSql(`drop table if exists "body_statutes" cascade;`);
    this.addSql(`drop table if exists "meeting" cascade;`);
    this.addSql(`drop table if exists "pouvoir" cascade;`);
    this.addSql(`drop table if exists "convocation_recipient" cascade;`);
    this.addSql(`drop table if exists "attendance" cascade;`);
    this.addSql(`drop table if exists "agenda_item" cascade;`);

    this.addSql(`drop index "proposal_party_agenda_item_id_index";`);
    this.addSql(`alter table "proposal_party" drop column "agenda_item_id";`);

    this.addSql(`drop type "quorum_basis";`);
    this.addSql(`drop type "majority";`);
    this.addSql(`drop type "meeting_kind";`);
    this.addSql(`drop type "meeting_state";`);
    this.addSql(`drop type "pouvoir_state";`);
    this.addSql(`drop type "attendance_mode";`);
  }

}
