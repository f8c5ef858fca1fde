import { AuditService } from '../audit/audit.service.js';
import { runWithDatabase } from './script-database.js';

/** `npm run audit:verify`: recomputes the audit hash chain; exits 1 when it is broken. */
await runWithDatabase(async ({ orm }) => {
  const report = await new AuditService().verify(orm.em.fork());
  console.log(JSON.stringify(report, null, 2));
  return report.intact ? 0 : 1;
});
