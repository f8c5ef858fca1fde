import { Migration } from '@mikro-orm/migrations';

/**
 * The organisations' search (issue 14, item 2): `name ilike '%…%'` read through the name's
 * trigrams (pg_trgm, created by the act_request migration), instead of walking every organisation
 * in name order until a page of matches is found.
 */
export class Migration20261203182923_organisation_name_trgm extends Migration {

  override name = 'Migration20261203182923_organisation_name_trgm';

  override up(): void | Promise<void> {
    this.addSql(`create index "organisation_name_trgm" on "organisation" using gin ("name" gin_trgm_ops);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "organisation_name_trgm";`);
  }

}
