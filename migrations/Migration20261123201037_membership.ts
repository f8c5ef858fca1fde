import { Migration } from '@mikro-orm/migrations';

export class Migration20261123201037_membership extends Migration {

  override name = 'Migration20261123201037_membership';

  override up(): void | Promise<void> {
    this.addSql(`create type "decision_mode" as enum ('AUTOMATIC', 'REPRESENTATIVE');`);
    this.addSql(`create type "organisation_kind" as enum ('COMPANY', 'HIGHER_EDUCATION', 'RESEARCH_LAB', 'PUBLIC_BODY', 'ASSOCIATION', 'CLUSTER', 'BUSINESS_CLUB', 'IT_USERS_ASSOCIATION', 'CIO_CLUB', 'OTHER');`);
    this.addSql(`create type "application_state" as enum ('SUBMITTED', 'UNDER_REVIEW', 'APPROVED', 'REJECTED', 'WITHDRAWN');`);
    this.addSql(`create type "membership_status" as enum ('ACTIVE', 'SUSPENDED', 'RESIGNED', 'EXCLUDED', 'TRANSFERRED', 'MERGED');`);
    this.addSql(`create type "membership_event_kind" as enum ('STARTED', 'SUSPENDED', 'REINSTATED', 'RESIGNED', 'EXCLUDED', 'TRANSFERRED', 'MERGED');`);
    this.addSql(`create table "charter" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "cluster_id" uuid not null, "version" int not null, "title" varchar(200) not null, "text" text not null, primary key ("id"));`);
    this.addSql(`create index "charter_cluster_id_index" on "charter" ("cluster_id");`);
    this.addSql(`alter table "charter" add constraint "charter_cluster_id_version_unique" unique ("cluster_id", "version");`);

    this.addSql(`create table "admission_rule_set" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "college_id" uuid not null, "version" int not null, "criteria" jsonb not null, "decision_mode" "decision_mode" not null, "note" text null, "created_by_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "admission_rule_set_college_id_index" on "admission_rule_set" ("college_id");`);
    this.addSql(`alter table "admission_rule_set" add constraint "admission_rule_set_college_id_version_unique" unique ("college_id", "version");`);

    this.addSql(`create table "organisation" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(200) not null, "kind" "organisation_kind" not null, "siren" char(9) null, "siret" char(14) null, "headcount" int null, "size_class" text generated always as (case when headcount is null then null when headcount < 10 then 'TPE' when headcount < 250 then 'PME' when headcount < 5000 then 'ETI' else 'GE' end) stored null, "founded_on" date null, "departement" varchar(3) null, "region" text null, "website" text null, "affiliations" text[] not null, primary key ("id"));`);
    this.addSql(`create index "organisation_name_index" on "organisation" ("name");`);
    this.addSql(`alter table "organisation" add constraint "organisation_siren_unique" unique ("siren");`);
    this.addSql(`alter table "organisation" add constraint "organisation_siret_unique" unique ("siret");`);
    this.addSql(`create index "organisation_size_class_index" on "organisation" ("size_class");`);
    this.addSql(`create index "organisation_departement_index" on "organisation" ("departement");`);

    this.addSql(`create table "application" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organisation_id" uuid not null, "college_id" uuid not null, "rule_set_id" uuid not null, "state" "application_state" not null default 'SUBMITTED', "criteria_results" jsonb not null, "submitted_by_id" uuid null, "decided_at" timestamptz null, "decided_by_id" uuid null, "decision_reason" text null, "override_reason" text null, "withdrawn_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "application_organisation_id_index" on "application" ("organisation_id");`);
    this.addSql(`create index "application_college_id_index" on "application" ("college_id");`);
    this.addSql(`create index "application_state_index" on "application" ("state");`);
    this.addSql(`create unique index "application_one_pending" on "application" ("organisation_id", "college_id") where state in ('SUBMITTED', 'UNDER_REVIEW');`);

    this.addSql(`create table "membership" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organisation_id" uuid not null, "college_id" uuid not null, "status" "membership_status" not null default 'ACTIVE', "started_on" date not null, "member_since" date not null, "ended_on" date null, "end_reason" text null, "origin_id" uuid null, "application_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "membership_organisation_id_index" on "membership" ("organisation_id");`);
    this.addSql(`create index "membership_college_id_index" on "membership" ("college_id");`);
    this.addSql(`create index "membership_status_index" on "membership" ("status");`);
    this.addSql(`create index "membership_origin_id_index" on "membership" ("origin_id");`);
    this.addSql(`create unique index "membership_one_current" on "membership" ("organisation_id", "college_id") where ended_on is null;`);

    this.addSql(`create table "membership_event" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "membership_id" uuid not null, "kind" "membership_event_kind" not null, "effective_on" date not null, "reason" text null, "actor_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "membership_event_membership_id_index" on "membership_event" ("membership_id");`);

    this.addSql(`create table "person" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organisation_id" uuid not null, "full_name" varchar(200) not null, "email" varchar(320) null, "role_in_organisation" varchar(200) null, "account_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "person_organisation_id_index" on "person" ("organisation_id");`);
    this.addSql(`create index "person_account_id_index" on "person" ("account_id");`);
    this.addSql(`alter table "person" add constraint "person_organisation_id_account_id_unique" unique ("organisation_id", "account_id");`);

    this.addSql(`create table "charter_signature" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "charter_id" uuid not null, "organisation_id" uuid not null, "signed_by_id" uuid not null, "account_id" uuid not null, primary key ("id"));`);
    this.addSql(`create index "charter_signature_charter_id_index" on "charter_signature" ("charter_id");`);
    this.addSql(`create index "charter_signature_organisation_id_index" on "charter_signature" ("organisation_id");`);
    this.addSql(`alter table "charter_signature" add constraint "charter_signature_charter_id_organisation_id_unique" unique ("charter_id", "organisation_id");`);

    this.addSql(`create table "representative_mandate" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "college_id" uuid not null, "representative_id" uuid not null, "starts_at" timestamptz not null, "ends_at" timestamptz null, "ended_early_reason" text null, "role_assignment_id" uuid not null, primary key ("id"));`);
    this.addSql(`create index "representative_mandate_college_id_index" on "representative_mandate" ("college_id");`);
    this.addSql(`create index "representative_mandate_representative_id_index" on "representative_mandate" ("representative_id");`);
    this.addSql(`alter table "representative_mandate" add constraint "representative_mandate_role_assignment_id_unique" unique ("role_assignment_id");`);

    this.addSql(`create table "sponsorship" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "application_id" uuid not null, "sponsor_id" uuid not null, "sponsored_by_id" uuid not null, primary key ("id"));`);
    this.addSql(`create index "sponsorship_application_id_index" on "sponsorship" ("application_id");`);
    this.addSql(`alter table "sponsorship" add constraint "sponsorship_application_id_sponsor_id_unique" unique ("application_id", "sponsor_id");`);

    this.addSql(`alter table "charter" add constraint "charter_cluster_id_foreign" foreign key ("cluster_id") references "cluster" ("id") on delete restrict;`);
    this.addSql(`alter table "charter" add constraint "charter_version_positive" check (version > 0);`);

    this.addSql(`alter table "admission_rule_set" add constraint "admission_rule_set_college_id_foreign" foreign key ("college_id") references "college" ("id") on delete restrict;`);
    this.addSql(`alter table "admission_rule_set" add constraint "admission_rule_set_created_by_id_foreign" foreign key ("created_by_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "admission_rule_set" add constraint "admission_rule_set_version_positive" check (version > 0);`);

    this.addSql(`alter table "organisation" add constraint "organisation_headcount_positive" check (headcount is null or headcount >= 0);`);
    this.addSql(`alter table "organisation" add constraint "organisation_siret_in_siren" check (siret is null or siren is null or left(siret, 9) = siren);`);
    this.addSql(`alter table "organisation" add constraint "organisation_siret_format" check (siret is null or siret ~ '^[0-9]{14}\$');`);
    this.addSql(`alter table "organisation" add constraint "organisation_siren_format" check (siren is null or siren ~ '^[0-9]{9}\$');`);

    this.addSql(`alter table "application" add constraint "application_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on delete restrict;`);
    this.addSql(`alter table "application" add constraint "application_college_id_foreign" foreign key ("college_id") references "college" ("id") on delete restrict;`);
    this.addSql(`alter table "application" add constraint "application_rule_set_id_foreign" foreign key ("rule_set_id") references "admission_rule_set" ("id") on delete restrict;`);
    this.addSql(`alter table "application" add constraint "application_submitted_by_id_foreign" foreign key ("submitted_by_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "application" add constraint "application_decided_by_id_foreign" foreign key ("decided_by_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "application" add constraint "application_decision_complete" check ((state in ('APPROVED', 'REJECTED')) = (decided_at is not null));`);
    this.addSql(`alter table "application" add constraint "application_rejection_has_reason" check (state <> 'REJECTED' or decision_reason is not null);`);

    this.addSql(`alter table "membership" add constraint "membership_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on delete restrict;`);
    this.addSql(`alter table "membership" add constraint "membership_college_id_foreign" foreign key ("college_id") references "college" ("id") on delete restrict;`);
    this.addSql(`alter table "membership" add constraint "membership_origin_id_foreign" foreign key ("origin_id") references "membership" ("id") on delete restrict;`);
    this.addSql(`alter table "membership" add constraint "membership_application_id_foreign" foreign key ("application_id") references "application" ("id") on delete restrict;`);
    this.addSql(`alter table "membership" add constraint "membership_seniority" check (member_since <= started_on);`);
    this.addSql(`alter table "membership" add constraint "membership_period" check (ended_on is null or ended_on >= started_on);`);
    this.addSql(`alter table "membership" add constraint "membership_current_has_no_end" check ((status in ('ACTIVE', 'SUSPENDED')) = (ended_on is null));`);

    this.addSql(`alter table "membership_event" add constraint "membership_event_membership_id_foreign" foreign key ("membership_id") references "membership" ("id") on delete restrict;`);
    this.addSql(`alter table "membership_event" add constraint "membership_event_actor_id_foreign" foreign key ("actor_id") references "account" ("id") on delete restrict;`);

    this.addSql(`alter table "person" add constraint "person_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on delete restrict;`);
    this.addSql(`alter table "person" add constraint "person_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete restrict;`);

    this.addSql(`alter table "charter_signature" add constraint "charter_signature_charter_id_foreign" foreign key ("charter_id") references "charter" ("id") on delete restrict;`);
    this.addSql(`alter table "charter_signature" add constraint "charter_signature_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on delete restrict;`);
    this.addSql(`alter table "charter_signature" add constraint "charter_signature_signed_by_id_foreign" foreign key ("signed_by_id") references "person" ("id") on delete restrict;`);
    this.addSql(`alter table "charter_signature" add constraint "charter_signature_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete restrict;`);

    this.addSql(`alter table "representative_mandate" add constraint "representative_mandate_college_id_foreign" foreign key ("college_id") references "college" ("id") on delete restrict;`);
    this.addSql(`alter table "representative_mandate" add constraint "representative_mandate_representative_id_foreign" foreign key ("representative_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "representative_mandate" add constraint "representative_mandate_role_assignment_id_foreign" foreign key ("role_assignment_id") references "role_assignment" ("id") on delete restrict;`);
    this.addSql(`alter table "representative_mandate" add constraint "representative_mandate_period" check (ends_at is null or ends_at > starts_at);`);

    this.addSql(`alter table "sponsorship" add constraint "sponsorship_application_id_foreign" foreign key ("application_id") references "application" ("id") on delete restrict;`);
    this.addSql(`alter table "sponsorship" add constraint "sponsorship_sponsor_id_foreign" foreign key ("sponsor_id") references "organisation" ("id") on delete restrict;`);
    this.addSql(`alter table "sponsorship" add constraint "sponsorship_sponsored_by_id_foreign" foreign key ("sponsored_by_id") references "account" ("id") on delete restrict;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "charter_signature" drop constraint "charter_signature_charter_id_foreign";`);
    this.addSql(`alter table "application" drop constraint "application_rule_set_id_foreign";`);
    this.addSql(`alter table "application" drop constraint "application_organisation_id_foreign";`);
    this.addSql(`alter table "membership" drop constraint "membership_organisation_id_foreign";`);
    this.addSql(`alter table "person" drop constraint "person_organisation_id_foreign";`);
    this.addSql(`alter table "charter_signature" drop constraint "charter_signature_organisation_id_foreign";`);
    this.addSql(`alter table "sponsorship" drop constraint "sponsorship_sponsor_id_foreign";`);
    this.addSql(`alter table "membership" drop constraint "membership_application_id_foreign";`);
    this.addSql(`alter table "sponsorship" drop constraint "sponsorship_application_id_foreign";`);
    this.addSql(`alter table "membership" drop constraint "membership_origin_id_foreign";`);
    this.addSql(`alter table "membership_event" drop constraint "membership_event_membership_id_foreign";`);
    this.addSql(`alter table "charter_signature" drop constraint "charter_signature_signed_by_id_foreign";`);

    this.addSql(`drop table if exists "charter" cascade;`);
    this.addSql(`drop table if exists "admission_rule_set" cascade;`);
    this.addSql(`drop table if exists "organisation" cascade;`);
    this.addSql(`drop table if exists "application" cascade;`);
    this.addSql(`drop table if exists "membership" cascade;`);
    this.addSql(`drop table if exists "membership_event" cascade;`);
    this.addSql(`drop table if exists "person" cascade;`);
    this.addSql(`drop table if exists "charter_signature" cascade;`);
    this.addSql(`drop table if exists "representative_mandate" cascade;`);
    this.addSql(`drop table if exists "sponsorship" cascade;`);

    this.addSql(`drop type "decision_mode";`);
    this.addSql(`drop type "organisation_kind";`);
    this.addSql(`drop type "application_state";`);
    this.addSql(`drop type "membership_status";`);
    this.addSql(`drop type "membership_event_kind";`);
  }

}
