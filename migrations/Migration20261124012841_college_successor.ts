import { Migration } from '@mikro-orm/migrations';

export class Migration20261124012841_college_successor extends Migration {

  override name = 'Migration20261124012841_college_successor';

  override up(): void | Promise<void> {
    this.addSql(`alter table "college" add "successor_id" uuid null;`);
    this.addSql(`alter table "college" add constraint "college_successor_id_foreign" foreign key ("successor_id") references "college" ("id") on delete restrict;`);
    this.addSql(`create index "college_successor_id_index" on "college" ("successor_id");`);
    this.addSql(`alter table "college" add constraint "college_not_own_successor" check (successor_id is null or successor_id <> id);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "college" drop constraint "college_successor_id_foreign";`);

    this.addSql(`drop index "college_successor_id_index";`);
    this.addSql(`alter table "college" drop constraint "college_not_own_successor";`);
    this.addSql(`alter table "college" drop column "successor_id";`);
  }

}
