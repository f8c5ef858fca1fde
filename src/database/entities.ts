import { AuditEntry } from '../audit/audit-entry.entity.js';
import { Account } from '../auth/account.entity.js';
import { AccountDisablement } from '../auth/account-disablement.entity.js';
import { AccountToken } from '../auth/account-token.entity.js';
import { LoginThrottleEntry } from '../auth/login-throttle.entity.js';
import { RoleAssignment } from '../auth/role-assignment.entity.js';
import { SCOPE_ENTITIES } from '../auth/scope-directory.js';
import { Session } from '../auth/session.entity.js';
import { Funder, Laureate, Programme } from '../finance/funder.entity.js';
import { LedgerEntry } from '../finance/ledger-entry.entity.js';
import { FinancingShare, Instalment, Subsidy, SubsidyAllocation, SubsidyEvent, SubsidyFreeze } from '../finance/subsidy.entity.js';
import { Convention, ConventionParty } from '../governance/convention.entity.js';
import { Ballot, Elector, Participation, Proposal, ProposalParty, Proxy } from '../governance/proposal.entity.js';
import { AgendaItem, Attendance, ConvocationRecipient, Meeting, Pouvoir } from '../governance/meeting.entity.js';
import { MeetingMinutes, MinutesSignature } from '../governance/minutes.entity.js';
import { BodyStatutes } from '../governance/statutes.entity.js';
import { AssemblyDelegate, BoardMandate, VotingBody } from '../governance/voting-body.entity.js';
import { Cluster } from '../membership/cluster.entity.js';
import { AdmissionRuleSet } from '../membership/admission-rule-set.entity.js';
import { ActRequest } from '../membership/act-request.entity.js';
import { Application } from '../membership/application.entity.js';
import { Charter, CharterSignature } from '../membership/charter.entity.js';
import { College } from '../membership/college.entity.js';
import { MembershipEvent } from '../membership/membership-event.entity.js';
import { Membership } from '../membership/membership.entity.js';
import { Organisation } from '../membership/organisation.entity.js';
import { Person } from '../membership/person.entity.js';
import { RepresentativeMandate } from '../membership/representative-mandate.entity.js';
import { Sponsorship } from '../membership/sponsorship.entity.js';
import { Notification, NotificationOptOut, ScheduledRun } from '../notification/notification.entity.js';

// Role assignments point to clusters and collèges, which membership owns (see SCOPE_ENTITIES).
SCOPE_ENTITIES.cluster = Cluster;
SCOPE_ENTITIES.college = College;

/** Every entity the ORM maps. A new domain adds its entities here. */
export const ENTITIES = [
  Cluster,
  College,
  Account,
  Session,
  AccountDisablement,
  AccountToken,
  RoleAssignment,
  LoginThrottleEntry,
  AuditEntry,
  Notification,
  NotificationOptOut,
  ScheduledRun,
  Organisation,
  Person,
  ActRequest,
  AdmissionRuleSet,
  Application,
  Sponsorship,
  Membership,
  MembershipEvent,
  RepresentativeMandate,
  Charter,
  CharterSignature,
  Funder,
  Programme,
  Laureate,
  Subsidy,
  Instalment,
  FinancingShare,
  SubsidyAllocation,
  SubsidyFreeze,
  SubsidyEvent,
  LedgerEntry,
  VotingBody,
  BoardMandate,
  AssemblyDelegate,
  BodyStatutes,
  Meeting,
  AgendaItem,
  ConvocationRecipient,
  Attendance,
  Pouvoir,
  MeetingMinutes,
  MinutesSignature,
  Proposal,
  ProposalParty,
  Elector,
  Participation,
  Ballot,
  Proxy,
  Convention,
  ConventionParty,
];
