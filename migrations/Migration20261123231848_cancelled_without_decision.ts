import { Migration } from '@mikro-orm/migrations';

export class Migration20261123231848_cancelled_without_decision extends Migration {

  override name = 'Migration20261123231848_cancelled_without_decision';

  override up(): void | Promise<void> {
    this.addSql(`alter table "subsidy" drop constraint "subsidy_awarded_has_decision";`);
    this.addSql(`alter table "subsidy" add constraint "subsidy_awarded_has_decision" check (state in ('REQUESTED', 'REFUSED', 'CANCELLED') or decision_date is not null);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "subsidy" drop constraint "subsidy_awarded_has_decision";`);
    this.addSql(`alter table "subsidy" add constraint "subsidy_awarded_has_decision" check (state in ('REQUESTED', 'REFUSED') or decision_date is not null);`);
  }

}
