import { AuditEntry } from '../audit/audit-entry.entity.js';
import { Account } from '../auth/account.entity.js';
import { RoleAssignment } from '../auth/role-assignment.entity.js';
import { Session } from '../auth/session.entity.js';
import { Cluster } from '../membership/cluster.entity.js';
import { College } from '../membership/college.entity.js';

/** Every entity the ORM maps. A new domain adds its entities here. */
export const ENTITIES = [Cluster, College, Account, Session, RoleAssignment, AuditEntry];
