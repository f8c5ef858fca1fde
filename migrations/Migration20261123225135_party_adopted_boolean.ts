import { Migration } from '@mikro-orm/migrations';

export class Migration20261123225135_party_adopted_boolean extends Migration {

  override name = 'Migration20261123225135_party_adopted_boolean';

  override up(): void | Promise<void> {
    this.addSql(`alter table "proposal_party" alter column "adopted" type boolean using ("adopted"::boolean);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "proposal_party" alter column "adopted" type varchar(255) using ("adopted"::varchar(255));`);
  }

}
