import { Migration } from '@mikro-orm/migrations';

/**
 * The directory's sort key on the membership row (issue 14, item 2): `membership.sort_name`, the
 * organisation's name, kept by the database (a BEFORE INSERT/UPDATE trigger on membership reads it
 * from `organisation`; an AFTER UPDATE trigger on organisation copies a rename), and the index a
 * collège's page of current members reads in order: (college_id, sort_name, id) where ended_on is null.
 */
export class Migration20261203174408_membership_sort_name extends Migration {

  override name = 'Migration20261203174408_membership_sort_name';

  override up(): void | Promise<void> {
    this.addSql(`alter table "membership" add "sort_name" varchar(200) not null default '';`);
    // Existing rows, before the triggers (and the index) exist: one pass.
    this.addSql(`update "membership" m set "sort_name" = o."name" from "organisation" o where o."id" = m."organisation_id";`);
    this.addSql(`create index "membership_directory" on "membership" ("college_id", "sort_name", "id") where ended_on is null;`);

    this.addSql(`create or replace function "membership_membership_sort_name_fn"() returns trigger as \$\$ begin if tg_op = 'INSERT' or new.organisation_id is distinct from old.organisation_id or new.sort_name is distinct from old.sort_name then new.sort_name := (select o.name from organisation o where o.id = new.organisation_id); end if; return new; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "membership_sort_name" BEFORE INSERT OR UPDATE on "membership" for each ROW execute function "membership_membership_sort_name_fn"();`);

    this.addSql(`create or replace function "organisation_organisation_rename_sorts_memberships_fn"() returns trigger as \$\$ begin if new.name is distinct from old.name then update membership set sort_name = new.name where organisation_id = new.id; end if; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "organisation_rename_sorts_memberships" AFTER UPDATE on "organisation" for each ROW execute function "organisation_organisation_rename_sorts_memberships_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "organisation_rename_sorts_memberships" on "organisation";`);
    this.addSql(`drop function if exists "organisation_organisation_rename_sorts_memberships_fn"();`);

    this.addSql(`drop index "membership_directory";`);
    this.addSql(`drop trigger if exists "membership_sort_name" on "membership";`);
    this.addSql(`drop function if exists "membership_membership_sort_name_fn"();`);
    this.addSql(`alter table "membership" drop column "sort_name";`);
  }

}
