import { Migration } from '@mikro-orm/migrations';

export class Migration20261203202447_meeting_notifications extends Migration {

  override name = 'Migration20261203202447_meeting_notifications';

  override up(): void | Promise<void> {
    this.addSql(`alter table "notification" drop constraint "notification_kind_check";`);
    this.addSql(`alter table "notification" add constraint "notification_kind_check" check ("kind" in ('APPLICATION_SUBMITTED', 'APPLICATION_DECIDED', 'CHARTER_TO_SIGN', 'ACT_REQUEST_RECEIVED', 'ACT_REQUEST_DECIDED', 'VOTE_OPENED', 'VOTE_CLOSING_SOON', 'PROXY_RECEIVED', 'MEETING_CONVENED', 'MEETING_CANCELLED', 'INSTALMENT_OVERDUE', 'JUSTIFICATION_DUE', 'MANDATE_ENDING', 'PASSWORD_RESET', 'EMAIL_VERIFICATION', 'REGISTRATION_ATTEMPT'));`);

    this.addSql(`alter table "notification_opt_out" drop constraint "notification_opt_out_kind_check";`);
    this.addSql(`alter table "notification_opt_out" add constraint "notification_opt_out_kind_check" check ("kind" in ('APPLICATION_SUBMITTED', 'APPLICATION_DECIDED', 'CHARTER_TO_SIGN', 'ACT_REQUEST_RECEIVED', 'ACT_REQUEST_DECIDED', 'VOTE_OPENED', 'VOTE_CLOSING_SOON', 'PROXY_RECEIVED', 'MEETING_CONVENED', 'MEETING_CANCELLED', 'INSTALMENT_OVERDUE', 'JUSTIFICATION_DUE', 'MANDATE_ENDING', 'PASSWORD_RESET', 'EMAIL_VERIFICATION', 'REGISTRATION_ATTEMPT'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "notification" drop constraint "notification_kind_check";`);
    this.addSql(`alter table "notification" add constraint "notification_kind_check" check ("kind" in ('APPLICATION_SUBMITTED', 'APPLICATION_DECIDED', 'CHARTER_TO_SIGN', 'ACT_REQUEST_RECEIVED', 'ACT_REQUEST_DECIDED', 'VOTE_OPENED', 'VOTE_CLOSING_SOON', 'PROXY_RECEIVED', 'INSTALMENT_OVERDUE', 'JUSTIFICATION_DUE', 'MANDATE_ENDING', 'PASSWORD_RESET', 'EMAIL_VERIFICATION', 'REGISTRATION_ATTEMPT'));`);

    this.addSql(`alter table "notification_opt_out" drop constraint "notification_opt_out_kind_check";`);
    this.addSql(`alter table "notification_opt_out" add constraint "notification_opt_out_kind_check" check ("kind" in ('APPLICATION_SUBMITTED', 'APPLICATION_DECIDED', 'CHARTER_TO_SIGN', 'ACT_REQUEST_RECEIVED', 'ACT_REQUEST_DECIDED', 'VOTE_OPENED', 'VOTE_CLOSING_SOON', 'PROXY_RECEIVED', 'INSTALMENT_OVERDUE', 'JUSTIFICATION_DUE', 'MANDATE_ENDING', 'PASSWORD_RESET', 'EMAIL_VERIFICATION', 'REGISTRATION_ATTEMPT'));`);
  }

}
