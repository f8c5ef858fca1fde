import { Migration } from '@mikro-orm/migrations';

export class Migration20261123222533_finance extends Migration {

  override name = 'Migration20261123222533_finance';

  override up(): void | Promise<void> {
    this.addSql(`create type "funder_kind" as enum ('REGION', 'DEPARTMENT', 'METROPOLIS', 'STATE', 'EU_ERDF', 'PRIVATE', 'OTHER');`);
    this.addSql(`create type "programme_kind" as enum ('CALL_FOR_PROJECTS', 'OPERATIONAL_PROGRAMME', 'OTHER');`);
    this.addSql(`create type "laureate_kind" as enum ('CREATION', 'EXTENSION', 'OTHER');`);
    this.addSql(`create type "subsidy_state" as enum ('REQUESTED', 'AWARDED', 'ACTIVE', 'FROZEN', 'PARTLY_RECEIVED', 'RECEIVED', 'JUSTIFIED', 'CLOSED', 'REFUSED', 'CANCELLED', 'CLAWED_BACK');`);
    this.addSql(`create type "ledger_kind" as enum ('AWARD', 'RECEIPT', 'REVERSAL', 'CLAWBACK', 'TRANSFER', 'FREEZE', 'RELEASE');`);
    this.addSql(`create type "instalment_kind" as enum ('ADVANCE', 'INTERIM', 'BALANCE');`);
    this.addSql(`create type "share_kind" as enum ('EU_ERDF', 'REGION', 'DEPARTMENT', 'METROPOLIS', 'STATE', 'PRIVATE', 'OWN_FUNDS', 'OTHER');`);
    this.addSql(`create table "funder" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(200) not null, "kind" "funder_kind" not null, "region" text null, "website" text null, primary key ("id"));`);
    this.addSql(`alter table "funder" add constraint "funder_name_unique" unique ("name");`);

    this.addSql(`create table "programme" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "funder_id" uuid not null, "name" varchar(200) not null, "kind" "programme_kind" not null, "reference" text null, "budget" bigint null, "opens_on" date null, "closes_on" date null, "description" text null, primary key ("id"));`);
    this.addSql(`create index "programme_funder_id_index" on "programme" ("funder_id");`);
    this.addSql(`alter table "programme" add constraint "programme_funder_id_name_unique" unique ("funder_id", "name");`);

    this.addSql(`create table "laureate" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "programme_id" uuid not null, "organisation_id" uuid not null, "project" text not null, "kind" "laureate_kind" not null, "amount" bigint null, primary key ("id"));`);
    this.addSql(`create index "laureate_programme_id_index" on "laureate" ("programme_id");`);
    this.addSql(`create index "laureate_organisation_id_index" on "laureate" ("organisation_id");`);
    this.addSql(`alter table "laureate" add constraint "laureate_programme_id_organisation_id_project_unique" unique ("programme_id", "organisation_id", "project");`);

    this.addSql(`create table "subsidy" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "cluster_id" uuid not null, "funder_id" uuid not null, "programme_id" uuid null, "purpose" text not null, "decision_reference" text null, "decision_date" date null, "amount_awarded" bigint not null, "eligible_cost" bigint null, "justification_deadline" date null, "state" "subsidy_state" not null default 'REQUESTED', "transfer_requires_funder_agreement" boolean not null default false, "funder_transfer_agreement" text null, primary key ("id"));`);
    this.addSql(`create index "subsidy_cluster_id_index" on "subsidy" ("cluster_id");`);
    this.addSql(`create index "subsidy_funder_id_index" on "subsidy" ("funder_id");`);
    this.addSql(`create index "subsidy_programme_id_index" on "subsidy" ("programme_id");`);
    this.addSql(`create index "subsidy_state_index" on "subsidy" ("state");`);

    this.addSql(`create table "ledger_entry" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "subsidy_id" uuid not null, "cluster_id" uuid not null, "kind" "ledger_kind" not null, "amount" bigint not null, "value_date" date not null, "bank_reference" text null, "reason" text null, "reverses_id" uuid null, "frozen_exception" text null, "overpayment_reason" text null, "actor_id" uuid null, "counterpart_cluster_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "ledger_entry_subsidy_id_index" on "ledger_entry" ("subsidy_id");`);
    this.addSql(`alter table "ledger_entry" add constraint "ledger_entry_reverses_id_unique" unique ("reverses_id");`);
    this.addSql(`create index "ledger_entry_cluster_id_value_date_index" on "ledger_entry" ("cluster_id", "value_date");`);
    this.addSql(`create unique index "ledger_receipt_once" on "ledger_entry" ("subsidy_id", "bank_reference") where kind = 'RECEIPT';`);

    this.addSql(`create table "instalment" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "subsidy_id" uuid not null, "position" int not null, "kind" "instalment_kind" not null, "amount" bigint not null, "due_on" date not null, primary key ("id"));`);
    this.addSql(`create index "instalment_subsidy_id_index" on "instalment" ("subsidy_id");`);
    this.addSql(`alter table "instalment" add constraint "instalment_subsidy_id_position_unique" unique ("subsidy_id", "position");`);

    this.addSql(`create table "financing_share" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "subsidy_id" uuid not null, "position" int not null, "kind" "share_kind" not null, "label" varchar(200) not null, "funder_id" uuid null, "amount" bigint not null, primary key ("id"));`);
    this.addSql(`create index "financing_share_subsidy_id_index" on "financing_share" ("subsidy_id");`);
    this.addSql(`alter table "financing_share" add constraint "financing_share_subsidy_id_position_unique" unique ("subsidy_id", "position");`);

    this.addSql(`create table "subsidy_allocation" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "subsidy_id" uuid not null, "college_id" uuid not null, "share_basis_points" int not null, primary key ("id"));`);
    this.addSql(`create index "subsidy_allocation_subsidy_id_index" on "subsidy_allocation" ("subsidy_id");`);
    this.addSql(`create index "subsidy_allocation_college_id_index" on "subsidy_allocation" ("college_id");`);
    this.addSql(`alter table "subsidy_allocation" add constraint "subsidy_allocation_subsidy_id_college_id_unique" unique ("subsidy_id", "college_id");`);

    this.addSql(`create table "subsidy_event" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "subsidy_id" uuid not null, "from_state" "subsidy_state" null, "to_state" "subsidy_state" not null, "reason" text null, "occurred_at" timestamptz not null, "actor_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "subsidy_event_subsidy_id_index" on "subsidy_event" ("subsidy_id");`);

    this.addSql(`create table "subsidy_freeze" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "subsidy_id" uuid not null, "reason" text not null, "frozen_at" timestamptz not null, "until" date null, "until_proposal_id" uuid null, "state_before" "subsidy_state" not null, "frozen_by_id" uuid null, "released_at" timestamptz null, "release_reason" text null, "released_by_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "subsidy_freeze_subsidy_id_index" on "subsidy_freeze" ("subsidy_id");`);
    this.addSql(`create index "subsidy_freeze_until_proposal_id_index" on "subsidy_freeze" ("until_proposal_id");`);
    this.addSql(`create unique index "subsidy_freeze_one_open" on "subsidy_freeze" ("subsidy_id") where released_at is null;`);

    this.addSql(`alter table "programme" add constraint "programme_funder_id_foreign" foreign key ("funder_id") references "funder" ("id") on delete restrict;`);
    this.addSql(`alter table "programme" add constraint "programme_period" check (closes_on is null or opens_on is null or closes_on >= opens_on);`);
    this.addSql(`alter table "programme" add constraint "programme_budget_positive" check (budget is null or budget > 0);`);

    this.addSql(`alter table "laureate" add constraint "laureate_programme_id_foreign" foreign key ("programme_id") references "programme" ("id") on delete restrict;`);
    this.addSql(`alter table "laureate" add constraint "laureate_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on delete restrict;`);
    this.addSql(`alter table "laureate" add constraint "laureate_amount_positive" check (amount is null or amount > 0);`);

    this.addSql(`alter table "subsidy" add constraint "subsidy_cluster_id_foreign" foreign key ("cluster_id") references "cluster" ("id") on delete restrict;`);
    this.addSql(`alter table "subsidy" add constraint "subsidy_funder_id_foreign" foreign key ("funder_id") references "funder" ("id") on delete restrict;`);
    this.addSql(`alter table "subsidy" add constraint "subsidy_programme_id_foreign" foreign key ("programme_id") references "programme" ("id") on delete restrict;`);
    this.addSql(`alter table "subsidy" add constraint "subsidy_deadline_after_decision" check (justification_deadline is null or decision_date is null or justification_deadline >= decision_date);`);
    this.addSql(`alter table "subsidy" add constraint "subsidy_awarded_has_decision" check (state in ('REQUESTED', 'REFUSED') or decision_date is not null);`);
    this.addSql(`alter table "subsidy" add constraint "subsidy_eligible_cost" check (eligible_cost is null or eligible_cost >= amount_awarded);`);
    this.addSql(`alter table "subsidy" add constraint "subsidy_amount_positive" check (amount_awarded > 0);`);

    this.addSql(`alter table "ledger_entry" add constraint "ledger_entry_subsidy_id_foreign" foreign key ("subsidy_id") references "subsidy" ("id") on delete restrict;`);
    this.addSql(`alter table "ledger_entry" add constraint "ledger_entry_cluster_id_foreign" foreign key ("cluster_id") references "cluster" ("id") on delete restrict;`);
    this.addSql(`alter table "ledger_entry" add constraint "ledger_entry_reverses_id_foreign" foreign key ("reverses_id") references "ledger_entry" ("id") on delete restrict;`);
    this.addSql(`alter table "ledger_entry" add constraint "ledger_entry_actor_id_foreign" foreign key ("actor_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "ledger_entry" add constraint "ledger_entry_counterpart_cluster_id_foreign" foreign key ("counterpart_cluster_id") references "cluster" ("id") on delete restrict;`);
    this.addSql(`alter table "ledger_entry" add constraint "ledger_transfer_counterpart" check ((kind = 'TRANSFER') = (counterpart_cluster_id is not null));`);
    this.addSql(`alter table "ledger_entry" add constraint "ledger_reversal_target" check ((kind = 'REVERSAL') = (reverses_id is not null));`);
    this.addSql(`alter table "ledger_entry" add constraint "ledger_marker_zero" check (kind not in ('FREEZE', 'RELEASE', 'TRANSFER') or amount = 0);`);
    this.addSql(`alter table "ledger_entry" add constraint "ledger_clawback_negative" check (kind <> 'CLAWBACK' or amount < 0);`);
    this.addSql(`alter table "ledger_entry" add constraint "ledger_receipt_positive" check (kind <> 'RECEIPT' or (amount > 0 and bank_reference is not null));`);
    this.addSql(`alter table "ledger_entry" add constraint "ledger_award_positive" check (kind <> 'AWARD' or amount > 0);`);
    this.addSql(`create or replace function "ledger_entry_ledger_entry_no_update_delete_fn"() returns trigger as \$\$ begin raise exception 'the ledger is append-only: % on ledger_entry is refused', tg_op using errcode = 'insufficient_privilege'; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "ledger_entry_no_update_delete" BEFORE UPDATE OR DELETE on "ledger_entry" for each ROW execute function "ledger_entry_ledger_entry_no_update_delete_fn"();`);

    this.addSql(`alter table "instalment" add constraint "instalment_subsidy_id_foreign" foreign key ("subsidy_id") references "subsidy" ("id") on delete restrict;`);
    this.addSql(`alter table "instalment" add constraint "instalment_amount_positive" check (amount > 0);`);

    this.addSql(`alter table "financing_share" add constraint "financing_share_subsidy_id_foreign" foreign key ("subsidy_id") references "subsidy" ("id") on delete restrict;`);
    this.addSql(`alter table "financing_share" add constraint "financing_share_funder_id_foreign" foreign key ("funder_id") references "funder" ("id") on delete restrict;`);
    this.addSql(`alter table "financing_share" add constraint "financing_share_positive" check (amount > 0);`);

    this.addSql(`alter table "subsidy_allocation" add constraint "subsidy_allocation_subsidy_id_foreign" foreign key ("subsidy_id") references "subsidy" ("id") on delete restrict;`);
    this.addSql(`alter table "subsidy_allocation" add constraint "subsidy_allocation_college_id_foreign" foreign key ("college_id") references "college" ("id") on delete restrict;`);
    this.addSql(`alter table "subsidy_allocation" add constraint "allocation_share_range" check (share_basis_points between 1 and 10000);`);

    this.addSql(`alter table "subsidy_event" add constraint "subsidy_event_subsidy_id_foreign" foreign key ("subsidy_id") references "subsidy" ("id") on delete restrict;`);
    this.addSql(`alter table "subsidy_event" add constraint "subsidy_event_actor_id_foreign" foreign key ("actor_id") references "account" ("id") on delete restrict;`);

    this.addSql(`alter table "subsidy_freeze" add constraint "subsidy_freeze_subsidy_id_foreign" foreign key ("subsidy_id") references "subsidy" ("id") on delete restrict;`);
    this.addSql(`alter table "subsidy_freeze" add constraint "subsidy_freeze_frozen_by_id_foreign" foreign key ("frozen_by_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "subsidy_freeze" add constraint "subsidy_freeze_released_by_id_foreign" foreign key ("released_by_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "subsidy_freeze" add constraint "subsidy_freeze_release_complete" check ((released_at is null) = (release_reason is null));`);

    // Written by hand: the ORM cannot introspect statement-level TRUNCATE triggers (as for the audit trail).
    this.addSql(`create function ledger_entry_refuse_truncate() returns trigger language plpgsql as $$
      begin
        raise exception 'the ledger is append-only: TRUNCATE on ledger_entry is refused'
          using errcode = 'insufficient_privilege';
      end $$;`);
    this.addSql(`create trigger ledger_entry_no_truncate before truncate on "ledger_entry"
      for each statement execute function ledger_entry_refuse_truncate();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists ledger_entry_no_truncate on "ledger_entry";`);
    this.addSql(`drop function if exists ledger_entry_refuse_truncate();`);
    this.addSql(`alter table "programme" drop constraint "programme_funder_id_foreign";`);
    this.addSql(`alter table "subsidy" drop constraint "subsidy_funder_id_foreign";`);
    this.addSql(`alter table "financing_share" drop constraint "financing_share_funder_id_foreign";`);
    this.addSql(`alter table "laureate" drop constraint "laureate_programme_id_foreign";`);
    this.addSql(`alter table "subsidy" drop constraint "subsidy_programme_id_foreign";`);
    this.addSql(`alter table "ledger_entry" drop constraint "ledger_entry_subsidy_id_foreign";`);
    this.addSql(`alter table "instalment" drop constraint "instalment_subsidy_id_foreign";`);
    this.addSql(`alter table "financing_share" drop constraint "financing_share_subsidy_id_foreign";`);
    this.addSql(`alter table "subsidy_allocation" drop constraint "subsidy_allocation_subsidy_id_foreign";`);
    this.addSql(`alter table "subsidy_event" drop constraint "subsidy_event_subsidy_id_foreign";`);
    this.addSql(`alter table "subsidy_freeze" drop constraint "subsidy_freeze_subsidy_id_foreign";`);
    this.addSql(`alter table "ledger_entry" drop constraint "ledger_entry_reverses_id_foreign";`);

    this.addSql(`drop table if exists "funder" cascade;`);
    this.addSql(`drop table if exists "programme" cascade;`);
    this.addSql(`drop table if exists "laureate" cascade;`);
    this.addSql(`drop table if exists "subsidy" cascade;`);
    this.addSql(`drop trigger if exists "ledger_entry_no_update_delete" on "ledger_entry";`);
    this.addSql(`drop function if exists "ledger_entry_ledger_entry_no_update_delete_fn"();`);
    this.addSql(`drop table if exists "ledger_entry" cascade;`);
    this.addSql(`drop table if exists "instalment" cascade;`);
    this.addSql(`drop table if exists "financing_share" cascade;`);
    this.addSql(`drop table if exists "subsidy_allocation" cascade;`);
    this.addSql(`drop table if exists "subsidy_event" cascade;`);
    this.addSql(`drop table if exists "subsidy_freeze" cascade;`);

    this.addSql(`drop type "funder_kind";`);
    this.addSql(`drop type "programme_kind";`);
    this.addSql(`drop type "laureate_kind";`);
    this.addSql(`drop type "subsidy_state";`);
    this.addSql(`drop type "ledger_kind";`);
    this.addSql(`drop type "instalment_kind";`);
    this.addSql(`drop type "share_kind";`);
  }

}
