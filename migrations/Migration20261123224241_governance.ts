import { Migration } from '@mikro-orm/migrations';

export class Migration20261123224241_governance extends Migration {

  override name = 'Migration20261123224241_governance';

  override up(): void | Promise<void> {
    this.addSql(`create type "proposal_kind" as enum ('FUSION', 'PARTNERSHIP', 'RESOLUTION');`);
    this.addSql(`create type "proposal_state" as enum ('DRAFT', 'VOTING', 'CLOSED', 'ADOPTED', 'REJECTED', 'CANCELLED', 'EXECUTED');`);
    this.addSql(`create type "body_kind" as enum ('BOARD', 'GENERAL_ASSEMBLY');`);
    this.addSql(`create type "party_vote_state" as enum ('PENDING', 'VOTING', 'CLOSED', 'CANCELLED');`);
    this.addSql(`create type "proxy_state" as enum ('ACTIVE', 'USED', 'REVOKED');`);
    this.addSql(`create type "ballot_choice" as enum ('FOR', 'AGAINST', 'ABSTAIN');`);
    this.addSql(`create table "proposal" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "kind" "proposal_kind" not null, "title" varchar(300) not null, "text" text not null, "author_id" uuid not null, "state" "proposal_state" not null default 'DRAFT', "opens_at" timestamptz null, "closes_at" timestamptz null, "closed_at" timestamptz null, "cancelled_at" timestamptz null, "cancel_reason" text null, "plan" jsonb null, "partnership_axes" text[] not null, "executed_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "proposal_state_index" on "proposal" ("state");`);

    this.addSql(`create table "voting_body" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "cluster_id" uuid not null, "kind" "body_kind" not null, "name" varchar(200) not null, "rules" jsonb not null, "seats" jsonb not null, primary key ("id"));`);
    this.addSql(`create index "voting_body_cluster_id_index" on "voting_body" ("cluster_id");`);
    this.addSql(`alter table "voting_body" add constraint "voting_body_cluster_id_kind_unique" unique ("cluster_id", "kind");`);

    this.addSql(`create table "proposal_party" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "proposal_id" uuid not null, "cluster_id" uuid not null, "body_id" uuid not null, "state" "party_vote_state" not null default 'PENDING', "rules" jsonb null, "tally" jsonb null, "adopted" varchar(255) null, "closed_at" timestamptz null, "ballots_digest" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "proposal_party_proposal_id_index" on "proposal_party" ("proposal_id");`);
    this.addSql(`create index "proposal_party_cluster_id_index" on "proposal_party" ("cluster_id");`);
    this.addSql(`alter table "proposal_party" add constraint "proposal_party_proposal_id_cluster_id_unique" unique ("proposal_id", "cluster_id");`);

    this.addSql(`create table "proxy" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "party_id" uuid not null, "principal_id" uuid not null, "holder_id" uuid not null, "state" "proxy_state" not null default 'ACTIVE', "revoked_at" timestamptz null, "used_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "proxy_party_id_index" on "proxy" ("party_id");`);
    this.addSql(`create index "proxy_principal_id_index" on "proxy" ("principal_id");`);
    this.addSql(`create index "proxy_holder_id_index" on "proxy" ("holder_id");`);
    this.addSql(`create unique index "proxy_one_standing" on "proxy" ("party_id", "principal_id") where state <> 'REVOKED';`);

    this.addSql(`create table "participation" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "party_id" uuid not null, "voter_id" uuid not null, "cast_by_id" uuid not null, primary key ("id"));`);
    this.addSql(`create index "participation_party_id_index" on "participation" ("party_id");`);
    this.addSql(`alter table "participation" add constraint "participation_one_per_voter" unique ("party_id", "voter_id");`);

    this.addSql(`create table "elector" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "party_id" uuid not null, "voter_id" uuid not null, "college_id" uuid null, "weight" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "elector_party_id_index" on "elector" ("party_id");`);
    this.addSql(`create index "elector_voter_id_index" on "elector" ("voter_id");`);
    this.addSql(`alter table "elector" add constraint "elector_party_id_voter_id_unique" unique ("party_id", "voter_id");`);

    this.addSql(`create table "ballot" ("id" uuid not null, "party_id" uuid not null, "choice" "ballot_choice" not null, "college_id" uuid null, "weight" int not null, "receipt_digest" varchar(64) not null, "voter_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "ballot_party_id_index" on "ballot" ("party_id");`);
    this.addSql(`alter table "ballot" add constraint "ballot_receipt_digest_unique" unique ("receipt_digest");`);

    this.addSql(`create table "board_mandate" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "body_id" uuid not null, "college_id" uuid not null, "holder_id" uuid not null, "starts_at" timestamptz not null, "ends_at" timestamptz null, "ended_early_reason" text null, "role_assignment_id" uuid not null, primary key ("id"));`);
    this.addSql(`create index "board_mandate_body_id_index" on "board_mandate" ("body_id");`);
    this.addSql(`create index "board_mandate_college_id_index" on "board_mandate" ("college_id");`);
    this.addSql(`create index "board_mandate_holder_id_index" on "board_mandate" ("holder_id");`);
    this.addSql(`alter table "board_mandate" add constraint "board_mandate_role_assignment_id_unique" unique ("role_assignment_id");`);

    this.addSql(`create table "assembly_delegate" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "body_id" uuid not null, "organisation_id" uuid not null, "delegate_id" uuid not null, "replaced_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "assembly_delegate_body_id_index" on "assembly_delegate" ("body_id");`);
    this.addSql(`create index "assembly_delegate_organisation_id_index" on "assembly_delegate" ("organisation_id");`);
    this.addSql(`create index "assembly_delegate_delegate_id_index" on "assembly_delegate" ("delegate_id");`);
    this.addSql(`create unique index "assembly_delegate_one_current" on "assembly_delegate" ("body_id", "organisation_id") where replaced_at is null;`);

    this.addSql(`alter table "proposal" add constraint "proposal_author_id_foreign" foreign key ("author_id") references "account" ("id") on delete restrict;`);

    this.addSql(`alter table "voting_body" add constraint "voting_body_cluster_id_foreign" foreign key ("cluster_id") references "cluster" ("id") on delete restrict;`);

    this.addSql(`alter table "proposal_party" add constraint "proposal_party_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete restrict;`);
    this.addSql(`alter table "proposal_party" add constraint "proposal_party_cluster_id_foreign" foreign key ("cluster_id") references "cluster" ("id") on delete restrict;`);
    this.addSql(`alter table "proposal_party" add constraint "proposal_party_body_id_foreign" foreign key ("body_id") references "voting_body" ("id") on delete restrict;`);

    this.addSql(`alter table "proxy" add constraint "proxy_party_id_foreign" foreign key ("party_id") references "proposal_party" ("id") on delete restrict;`);
    this.addSql(`alter table "proxy" add constraint "proxy_principal_id_foreign" foreign key ("principal_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "proxy" add constraint "proxy_holder_id_foreign" foreign key ("holder_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "proxy" add constraint "proxy_not_to_self" check (principal_id <> holder_id);`);

    this.addSql(`alter table "participation" add constraint "participation_party_id_foreign" foreign key ("party_id") references "proposal_party" ("id") on delete restrict;`);
    this.addSql(`alter table "participation" add constraint "participation_voter_id_foreign" foreign key ("voter_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "participation" add constraint "participation_cast_by_id_foreign" foreign key ("cast_by_id") references "account" ("id") on delete restrict;`);

    this.addSql(`alter table "elector" add constraint "elector_party_id_foreign" foreign key ("party_id") references "proposal_party" ("id") on delete restrict;`);
    this.addSql(`alter table "elector" add constraint "elector_voter_id_foreign" foreign key ("voter_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "elector" add constraint "elector_college_id_foreign" foreign key ("college_id") references "college" ("id") on delete restrict;`);

    this.addSql(`alter table "ballot" add constraint "ballot_party_id_foreign" foreign key ("party_id") references "proposal_party" ("id") on delete restrict;`);
    this.addSql(`alter table "ballot" add constraint "ballot_college_id_foreign" foreign key ("college_id") references "college" ("id") on delete restrict;`);
    this.addSql(`alter table "ballot" add constraint "ballot_voter_id_foreign" foreign key ("voter_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "ballot" add constraint "ballot_weight_positive" check (weight > 0);`);

    this.addSql(`alter table "board_mandate" add constraint "board_mandate_body_id_foreign" foreign key ("body_id") references "voting_body" ("id") on delete restrict;`);
    this.addSql(`alter table "board_mandate" add constraint "board_mandate_college_id_foreign" foreign key ("college_id") references "college" ("id") on delete restrict;`);
    this.addSql(`alter table "board_mandate" add constraint "board_mandate_holder_id_foreign" foreign key ("holder_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "board_mandate" add constraint "board_mandate_role_assignment_id_foreign" foreign key ("role_assignment_id") references "role_assignment" ("id") on delete restrict;`);
    this.addSql(`alter table "board_mandate" add constraint "board_mandate_period" check (ends_at is null or ends_at > starts_at);`);

    this.addSql(`alter table "assembly_delegate" add constraint "assembly_delegate_body_id_foreign" foreign key ("body_id") references "voting_body" ("id") on delete restrict;`);
    this.addSql(`alter table "assembly_delegate" add constraint "assembly_delegate_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on delete restrict;`);
    this.addSql(`alter table "assembly_delegate" add constraint "assembly_delegate_delegate_id_foreign" foreign key ("delegate_id") references "account" ("id") on delete restrict;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "proposal_party" drop constraint "proposal_party_proposal_id_foreign";`);
    this.addSql(`alter table "proposal_party" drop constraint "proposal_party_body_id_foreign";`);
    this.addSql(`alter table "board_mandate" drop constraint "board_mandate_body_id_foreign";`);
    this.addSql(`alter table "assembly_delegate" drop constraint "assembly_delegate_body_id_foreign";`);
    this.addSql(`alter table "proxy" drop constraint "proxy_party_id_foreign";`);
    this.addSql(`alter table "participation" drop constraint "participation_party_id_foreign";`);
    this.addSql(`alter table "elector" drop constraint "elector_party_id_foreign";`);
    this.addSql(`alter table "ballot" drop constraint "ballot_party_id_foreign";`);

    this.addSql(`drop table if exists "proposal" cascade;`);
    this.addSql(`drop table if exists "voting_body" cascade;`);
    this.addSql(`drop table if exists "proposal_party" cascade;`);
    this.addSql(`drop table if exists "proxy" cascade;`);
    this.addSql(`drop table if exists "participation" cascade;`);
    this.addSql(`drop table if exists "elector" cascade;`);
    this.addSql(`drop table if exists "ballot" cascade;`);
    this.addSql(`drop table if exists "board_mandate" cascade;`);
    this.addSql(`drop table if exists "assembly_delegate" cascade;`);

    this.addSql(`drop type "proposal_kind";`);
    this.addSql(`drop type "proposal_state";`);
    this.addSql(`drop type "body_kind";`);
    this.addSql(`drop type "party_vote_state";`);
    this.addSql(`drop type "proxy_state";`);
    this.addSql(`drop type "ballot_choice";`);
  }

}
