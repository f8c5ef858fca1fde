import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { validateOrReject, type ValidatorOptions } from 'class-validator';
import { ArgumentValidationError, buildSchema } from 'type-graphql';
import { AuditResolver } from './auth/audit-trail.resolver.js';
import { FunderResolver, LaureateFieldsResolver, ProgrammeFieldsResolver } from './finance/funder.resolver.js';
import { LedgerEntryFieldsResolver, LedgerResolver } from './finance/ledger.resolver.js';
import {
  FinancingShareFieldsResolver,
  SubsidyAllocationFieldsResolver,
  SubsidyFieldsResolver,
  SubsidyResolver,
} from './finance/subsidy.resolver.js';
import { TreasuryResolver } from './finance/treasury.resolver.js';
import { AccountDetailsResolver, AccountResolver, RoleAssignmentFieldsResolver } from './auth/account.resolver.js';
import {
  AttendanceFieldsResolver,
  AttendanceResolver,
  MeetingAttendanceFieldsResolver,
  PouvoirFieldsResolver,
} from './governance/attendance.resolver.js';
import { BallotResolver, ProxyFieldsResolver } from './governance/ballot.resolver.js';
import { ConventionFieldsResolver, ConventionPartyFieldsResolver, ConventionResolver } from './governance/convention.resolver.js';
import {
  MeetingMinutesFieldsResolver,
  MeetingMinutesResolver,
  MeetingMinutesVersionFieldsResolver,
  MinutesSignatureFieldsResolver,
} from './governance/meeting-minutes.resolver.js';
import { ProposalFieldsResolver, ProposalPartyFieldsResolver, ProposalResolver } from './governance/proposal.resolver.js';
import { ProposalPartyMeetingFieldsResolver } from './governance/meeting-votes.resolver.js';
import { BodyStatutesFieldsResolver, StatutesResolver, VotingBodyStatutesResolver } from './governance/statutes.resolver.js';
import {
  AgendaItemFieldsResolver,
  ConvocationRecipientFieldsResolver,
  MeetingFieldsResolver,
  MeetingResolver,
  VotingBodyMeetingsResolver,
} from './governance/meeting.resolver.js';
import {
  AssemblyDelegateFieldsResolver,
  BoardMandateFieldsResolver,
  VotingBodyFieldsResolver,
  VotingBodyResolver,
} from './governance/voting-body.resolver.js';
import { RoleResolver } from './auth/role.resolver.js';
import { AccountRecoveryResolver, ViewerVerificationResolver } from './auth/account-recovery.resolver.js';
import { AccountAdminResolver, AccountDisablementFieldsResolver, AccountDisablementsResolver } from './auth/account-admin.resolver.js';
import { AccountSessionsResolver, SessionResolver, ViewerSessionsResolver } from './auth/session.resolver.js';
import { errorCodeEnum, refusalReasonEnum } from './reasons.js';
import { BoundedDateTime } from './shared/scalars.js';
import { FusionResolver, ProposalExecutionFieldsResolver } from './fusion/fusion.resolver.js';
import { AdmissionResolver, AdmissionRuleSetResolver } from './membership/admission.resolver.js';
import { ClusterResolver, CollegeResolver } from './membership/cluster.resolver.js';
import { CollegeMembershipResolver, MembershipResolver } from './membership/membership.resolver.js';
import { OrganisationResolver } from './membership/organisation.resolver.js';
import { ActRequestResolver, OrganisationActRequestResolver, ViewerActRequestResolver } from './membership/act-request.resolver.js';
import { RoleAssignmentScopeResolver } from './membership/role-scope.resolver.js';
import { ViewerMembershipResolver } from './membership/viewer.resolver.js';
import { ViewerGovernanceResolver } from './governance/viewer.resolver.js';
import { CharterResolver, CharterSignatureResolver, ClusterCharterResolver } from './membership/charter.resolver.js';
import { RepresentativeResolver } from './membership/representative.resolver.js';
import { NotificationResolver, ViewerNotificationResolver } from './notification/notification.resolver.js';

/** Every resolver of the API. A new domain adds its resolvers here. */
export const RESOLVERS = [
  AccountResolver,
  AccountDetailsResolver,
  RoleAssignmentFieldsResolver,
  RoleAssignmentScopeResolver,
  ViewerMembershipResolver,
  ViewerGovernanceResolver,
  RoleResolver,
  AccountRecoveryResolver,
  ViewerVerificationResolver,
  AccountAdminResolver,
  AccountDisablementsResolver,
  AccountDisablementFieldsResolver,
  SessionResolver,
  ViewerSessionsResolver,
  AccountSessionsResolver,
  ClusterResolver,
  CollegeResolver,
  AuditResolver,
  NotificationResolver,
  ViewerNotificationResolver,
  OrganisationResolver,
  ActRequestResolver,
  OrganisationActRequestResolver,
  ViewerActRequestResolver,
  AdmissionResolver,
  AdmissionRuleSetResolver,
  MembershipResolver,
  CollegeMembershipResolver,
  RepresentativeResolver,
  CharterResolver,
  CharterSignatureResolver,
  ClusterCharterResolver,
  FunderResolver,
  SubsidyResolver,
  LedgerResolver,
  TreasuryResolver,
  SubsidyFieldsResolver,
  ProgrammeFieldsResolver,
  LaureateFieldsResolver,
  SubsidyAllocationFieldsResolver,
  FinancingShareFieldsResolver,
  LedgerEntryFieldsResolver,
  VotingBodyResolver,
  ProposalResolver,
  BallotResolver,
  ConventionResolver,
  ProposalFieldsResolver,
  ProposalPartyFieldsResolver,
  ProposalPartyMeetingFieldsResolver,
  VotingBodyFieldsResolver,
  BoardMandateFieldsResolver,
  AssemblyDelegateFieldsResolver,
  ProxyFieldsResolver,
  ConventionFieldsResolver,
  ConventionPartyFieldsResolver,
  FusionResolver,
  ProposalExecutionFieldsResolver,
  MeetingMinutesResolver,
  MeetingMinutesFieldsResolver,
  MeetingMinutesVersionFieldsResolver,
  MinutesSignatureFieldsResolver,
  AttendanceResolver,
  MeetingAttendanceFieldsResolver,
  AttendanceFieldsResolver,
  PouvoirFieldsResolver,
  StatutesResolver,
  VotingBodyStatutesResolver,
  BodyStatutesFieldsResolver,
  MeetingResolver,
  VotingBodyMeetingsResolver,
  MeetingFieldsResolver,
  AgendaItemFieldsResolver,
  ConvocationRecipientFieldsResolver,
] as const;

/** The root types' descriptions: the first thing a reader of the SDL or the explorer sees. */
const ROOT_DESCRIPTIONS = {
  query: 'What can be read. Each field says who may read it; public ones need no token.',
  mutation: 'What can be changed. Each field says who may do it; every change is appended to the audit trail in the same transaction.',
};

const VALIDATOR_OPTIONS: ValidatorOptions = { forbidUnknownValues: false, skipMissingProperties: true };

/**
 * Validates each input object and argument class with class-validator before its resolver runs:
 * what type-graphql's `validate` setting does, minus its `import('class-validator')` on every
 * argument of every request (a round trip through the module loader each time).
 */
async function validateArgument(value: unknown): Promise<void> {
  if (value === null || typeof value !== 'object') return;
  const items: unknown[] = Array.isArray(value) ? value : [value];
  try {
    await Promise.all(
      items
        .filter((item): item is object => item !== null && typeof item === 'object')
        .map((item) => validateOrReject(item, VALIDATOR_OPTIONS)),
    );
  } catch (errors) {
    throw new ArgumentValidationError(errors as ConstructorParameters<typeof ArgumentValidationError>[0]);
  }
}

/**
 * Plain fields (no field resolver) are read by graphql-js's default resolver: type-graphql wraps
 * each in a resolver of its own (middleware dispatch, an object per call) unless its object type
 * says `simpleResolvers`, and no field of Collegia has middleware, an auth checker or a name
 * other than its property's. Every object type says it here rather than in 150 decorators.
 */
function plainFieldsReadDirectly(): void {
  const storage = (globalThis as { TypeGraphQLMetadataStorage?: { objectTypes: { simpleResolvers?: boolean }[] } })
    .TypeGraphQLMetadataStorage;
  if (!storage) throw new Error('type-graphql metadata storage not found: no object type registered?');
  for (const type of storage.objectTypes) type.simpleResolvers ??= true;
}

export async function buildGraphQLSchema(): Promise<GraphQLSchema> {
  plainFieldsReadDirectly();
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    // Inputs are validated with class-validator before any resolver runs.
    validateFn: validateArgument,
    // Instants in input are bounded like dates (1900–2100): a year 0000 is a typo, not a crash.
    scalarsMap: [{ type: Date, scalar: BoundedDateTime }],
  });
  // type-graphql has no option to describe the root types, so they are described once built.
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  if (query) query.description = ROOT_DESCRIPTIONS.query;
  if (mutation) mutation.description = ROOT_DESCRIPTIONS.mutation;
  // The refusal enums document `extensions`: no field returns them, so they are added as types.
  const config = schema.toConfig();
  return new GraphQLSchema({ ...config, types: [...config.types, errorCodeEnum(), refusalReasonEnum()] });
}

/** The SDL as committed in schema/schema.graphql: sorted, so diffs show only real changes. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
