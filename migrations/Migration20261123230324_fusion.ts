import { Migration } from '@mikro-orm/migrations';

export class Migration20261123230324_fusion extends Migration {

  override name = 'Migration20261123230324_fusion';

  override up(): void | Promise<void> {
    this.addSql(`create table "convention" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "proposal_id" uuid not null, "title" varchar(300) not null, "axes" text[] not null, "signed_on" date not null, "duration_months" int not null, "ends_on" date not null, primary key ("id"));`);
    this.addSql(`alter table "convention" add constraint "convention_proposal_id_unique" unique ("proposal_id");`);

    this.addSql(`create table "convention_party" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "convention_id" uuid not null, "cluster_id" uuid not null, "bound_since" date not null, "carried_from_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "convention_party_convention_id_index" on "convention_party" ("convention_id");`);
    this.addSql(`create index "convention_party_cluster_id_index" on "convention_party" ("cluster_id");`);
    this.addSql(`alter table "convention_party" add constraint "convention_party_convention_id_cluster_id_unique" unique ("convention_id", "cluster_id");`);

    this.addSql(`alter table "proposal" add "execution_report" jsonb null;`);

    this.addSql(`alter table "convention" add constraint "convention_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete restrict;`);
    this.addSql(`alter table "convention" add constraint "convention_duration" check (duration_months between 1 and 600);`);

    this.addSql(`alter table "convention_party" add constraint "convention_party_convention_id_foreign" foreign key ("convention_id") references "convention" ("id") on delete restrict;`);
    this.addSql(`alter table "convention_party" add constraint "convention_party_cluster_id_foreign" foreign key ("cluster_id") references "cluster" ("id") on delete restrict;`);
    this.addSql(`alter table "convention_party" add constraint "convention_party_carried_from_id_foreign" foreign key ("carried_from_id") references "cluster" ("id") on delete restrict;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "convention_party" drop constraint "convention_party_convention_id_foreign";`);

    this.addSql(`drop table if exists "convention" cascade;`);
    this.addSql(`drop table if exists "convention_party" cascade;`);

    this.addSql(`alter table "proposal" drop column "execution_report";`);
  }

}
