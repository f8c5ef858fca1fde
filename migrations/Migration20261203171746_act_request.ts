import { Migration } from '@mikro-orm/migrations';

export class Migration20261203171746_act_request extends Migration {

  override name = 'Migration20261203171746_act_request';

  override up(): void | Promise<void> {
    this.addSql(`create type "act_request_status" as enum ('PENDING', 'APPROVED', 'REFUSED', 'WITHDRAWN');`);
    this.addSql(`create table "act_request" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organisation_id" uuid not null, "requester_id" uuid not null, "full_name" varchar(200) not null, "role_in_organisation" varchar(200) not null, "message" text null, "status" "act_request_status" not null default 'PENDING', "decided_at" timestamptz null, "decided_by_id" uuid null, "reason" text null, "person_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "act_request_organisation_id_index" on "act_request" ("organisation_id");`);
    this.addSql(`create index "act_request_requester_id_index" on "act_request" ("requester_id");`);
    this.addSql(`create unique index "act_request_one_pending" on "act_request" ("organisation_id", "requester_id") where status = 'PENDING';`);

    this.addSql(`alter table "organisation" add "name_key" text generated always as (coalesce(nullif(btrim(regexp_replace(' ' || btrim(regexp_replace(lower(replace(replace(replace(replace(replace(translate(name, 'ÀÁÂÃÄÅĀĂĄàáâãäåāăąÇĆĈĊČçćĉċčĎĐďđÈÉÊËĒĔĖĘĚèéêëēĕėęěĜĞĠĢĝğġģĤĦĥħÌÍÎÏĨĪĬĮİìíîïĩīĭįıĴĵĶķĹĻĽĿŁĺļľŀłÑŃŅŇñńņňÒÓÔÕÖØŌŎŐòóôõöøōŏőŔŖŘŕŗřŚŜŞŠśŝşšŢŤŦţťŧÙÚÛÜŨŪŬŮŰŲùúûüũūŭůűųŴŵÝŶŸýÿŷŹŻŽźżž', 'aaaaaaaaaaaaaaaaaaccccccccccddddeeeeeeeeeeeeeeeeeegggggggghhhhiiiiiiiiiiiiiiiiiijjkkllllllllllnnnnnnnnoooooooooooooooooorrrrrrssssssssttttttuuuuuuuuuuuuuuuuuuuuwwyyyyyyzzzzzz'), 'Œ', 'oe'), 'œ', 'oe'), 'Æ', 'ae'), 'æ', 'ae'), 'ß', 'ss')), '[^a-z0-9]+', ' ', 'g')) || ' ', ' ((sas|sasu|sarl|sa|eurl|scop|scic|sci|snc|selarl|gie|association|asso|l|the) )+', ' ', 'g')), ''), btrim(regexp_replace(lower(replace(replace(replace(replace(replace(translate(name, 'ÀÁÂÃÄÅĀĂĄàáâãäåāăąÇĆĈĊČçćĉċčĎĐďđÈÉÊËĒĔĖĘĚèéêëēĕėęěĜĞĠĢĝğġģĤĦĥħÌÍÎÏĨĪĬĮİìíîïĩīĭįıĴĵĶķĹĻĽĿŁĺļľŀłÑŃŅŇñńņňÒÓÔÕÖØŌŎŐòóôõöøōŏőŔŖŘŕŗřŚŜŞŠśŝşšŢŤŦţťŧÙÚÛÜŨŪŬŮŰŲùúûüũūŭůűųŴŵÝŶŸýÿŷŹŻŽźżž', 'aaaaaaaaaaaaaaaaaaccccccccccddddeeeeeeeeeeeeeeeeeegggggggghhhhiiiiiiiiiiiiiiiiiijjkkllllllllllnnnnnnnnoooooooooooooooooorrrrrrssssssssttttttuuuuuuuuuuuuuuuuuuuuwwyyyyyyzzzzzz'), 'Œ', 'oe'), 'œ', 'oe'), 'Æ', 'ae'), 'æ', 'ae'), 'ß', 'ss')), '[^a-z0-9]+', ' ', 'g')))) stored not null;`);
    // Possible duplicates by name (src/membership/organisation-duplicates.ts): the same key (btree) or
    // a close one (trigrams). pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner creates it.
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create index "organisation_name_key_index" on "organisation" ("name_key");`);
    this.addSql(`create index "organisation_name_key_trgm" on "organisation" using gin ("name_key" gin_trgm_ops);`);

    this.addSql(`alter table "act_request" add constraint "act_request_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on delete restrict;`);
    this.addSql(`alter table "act_request" add constraint "act_request_requester_id_foreign" foreign key ("requester_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "act_request" add constraint "act_request_decided_by_id_foreign" foreign key ("decided_by_id") references "account" ("id") on delete restrict;`);
    this.addSql(`alter table "act_request" add constraint "act_request_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete restrict;`);
    this.addSql(`alter table "act_request" add constraint "act_request_approval_has_person" check ((status = 'APPROVED') = (person_id is not null));`);
    this.addSql(`alter table "act_request" add constraint "act_request_refusal_has_reason" check (status <> 'REFUSED' or reason is not null);`);
    this.addSql(`alter table "act_request" add constraint "act_request_settled_when" check ((status = 'PENDING') = (decided_at is null));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "act_request" cascade;`);

    this.addSql(`drop index "organisation_name_key_index";`);
    this.addSql(`drop index "organisation_name_key_trgm";`);
    this.addSql(`alter table "organisation" drop column "name_key";`);

    this.addSql(`drop type "act_request_status";`);
  }

}
