import { Migration } from '@mikro-orm/migrations';

export class Migration20261123234355_check_expressions extends Migration {

  override name = 'Migration20261123234355_check_expressions';

  override up(): void | Promise<void> {
    this.addSql(`alter table "convention" drop constraint "convention_duration";`);
    this.addSql(`alter table "convention" add constraint "convention_duration" check (duration_months >= 1 and duration_months <= 600);`);

    this.addSql(`alter table "ledger_entry" drop constraint "ledger_marker_zero";`);
    this.addSql(`alter table "ledger_entry" add constraint "ledger_marker_zero" check ((kind <> 'FREEZE' and kind <> 'RELEASE' and kind <> 'TRANSFER') or amount = 0);`);

    this.addSql(`alter table "subsidy_allocation" drop constraint "allocation_share_range";`);
    this.addSql(`alter table "subsidy_allocation" add constraint "allocation_share_range" check (share_basis_points >= 1 and share_basis_points <= 10000);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "convention" drop constraint "convention_duration";`);
    this.addSql(`alter table "convention" add constraint "convention_duration" check (duration_months between 1 and 600);`);

    this.addSql(`alter table "ledger_entry" drop constraint "ledger_marker_zero";`);
    this.addSql(`alter table "ledger_entry" add constraint "ledger_marker_zero" check (kind not in ('FREEZE', 'RELEASE', 'TRANSFER') or amount = 0);`);

    this.addSql(`alter table "subsidy_allocation" drop constraint "allocation_share_range";`);
    this.addSql(`alter table "subsidy_allocation" add constraint "allocation_share_range" check (share_basis_points between 1 and 10000);`);
  }

}
