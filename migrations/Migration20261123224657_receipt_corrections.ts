import { Migration } from '@mikro-orm/migrations';

export class Migration20261123224657_receipt_corrections extends Migration {

  override name = 'Migration20261123224657_receipt_corrections';

  override up(): void | Promise<void> {
    this.addSql(`drop index "ledger_receipt_once";`);
    this.addSql(`alter table "ledger_entry" add "correction" smallint not null default 0;`);
    this.addSql(`create unique index "ledger_receipt_once" on "ledger_entry" ("subsidy_id", "bank_reference", "correction") where kind = 'RECEIPT';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "ledger_receipt_once";`);
    this.addSql(`alter table "ledger_entry" drop column "correction";`);
    this.addSql(`create unique index "ledger_receipt_once" on "ledger_entry" ("subsidy_id", "bank_reference") where kind = 'RECEIPT';`);
  }

}
