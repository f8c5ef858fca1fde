import { ErrorCode, refusalsOf, type ReasonTable } from '../shared/errors.js';

/**
 * Why the membership layer refuses: the closed list a client can switch on (`extensions.reason`).
 * Every value is described in the table below, which also fixes the code it is sent with.
 */
export enum MembershipReason {
  // Clusters and collèges
  CLUSTER_NOT_ACTIVE = 'CLUSTER_NOT_ACTIVE',
  CLUSTER_SLUG_TAKEN = 'CLUSTER_SLUG_TAKEN',
  COLLEGE_SLUG_TAKEN = 'COLLEGE_SLUG_TAKEN',
  PARENT_NOT_FEDERATION = 'PARENT_NOT_FEDERATION',
  // Organisations
  SIREN_TAKEN = 'SIREN_TAKEN',
  SIRET_TAKEN = 'SIRET_TAKEN',
  ACCOUNT_ALREADY_CONTACT = 'ACCOUNT_ALREADY_CONTACT',
  // Asking to act for an organisation
  ACT_REQUEST_ALREADY_PENDING = 'ACT_REQUEST_ALREADY_PENDING',
  ACT_REQUEST_ALREADY_DECIDED = 'ACT_REQUEST_ALREADY_DECIDED',
  ACT_REQUEST_OWN = 'ACT_REQUEST_OWN',
  ACT_REQUEST_NOT_YOURS = 'ACT_REQUEST_NOT_YOURS',
  // Admission
  ADMISSION_RULES_CONTRADICTORY = 'ADMISSION_RULES_CONTRADICTORY',
  ADMISSION_RULES_MISSING = 'ADMISSION_RULES_MISSING',
  ALREADY_MEMBER = 'ALREADY_MEMBER',
  APPLICATION_ALREADY_PENDING = 'APPLICATION_ALREADY_PENDING',
  APPLICATION_ALREADY_DECIDED = 'APPLICATION_ALREADY_DECIDED',
  APPLICATION_ALREADY_UNDER_REVIEW = 'APPLICATION_ALREADY_UNDER_REVIEW',
  REJECTION_REASON_REQUIRED = 'REJECTION_REASON_REQUIRED',
  CRITERIA_UNMET = 'CRITERIA_UNMET',
  SPONSOR_IS_APPLICANT = 'SPONSOR_IS_APPLICANT',
  SPONSOR_NOT_MEMBER = 'SPONSOR_NOT_MEMBER',
  ALREADY_SPONSORING = 'ALREADY_SPONSORING',
  // Charters
  SIGNATORY_NOT_CONTACT = 'SIGNATORY_NOT_CONTACT',
  CHARTER_ALREADY_SIGNED = 'CHARTER_ALREADY_SIGNED',
  // Memberships
  MEMBERSHIP_STATUS_FORBIDS = 'MEMBERSHIP_STATUS_FORBIDS',
  MEMBERSHIP_REASON_REQUIRED = 'MEMBERSHIP_REASON_REQUIRED',
  TRANSFER_OUTSIDE_CLUSTER = 'TRANSFER_OUTSIDE_CLUSTER',
  TRANSFER_TO_SAME_COLLEGE = 'TRANSFER_TO_SAME_COLLEGE',
  // Representatives
  REPRESENTATIVE_MANDATE_OVERLAP = 'REPRESENTATIVE_MANDATE_OVERLAP',
}

export const MEMBERSHIP_REASONS: ReasonTable<MembershipReason> = {
  [MembershipReason.CLUSTER_NOT_ACTIVE]: {
    code: ErrorCode.CONFLICT,
    description:
      'The cluster was merged or dissolved (`extensions.status`): its record and its collèges are kept as they were; it takes no applications, collèges, representatives or transfers.',
  },
  [MembershipReason.CLUSTER_SLUG_TAKEN]: {
    code: ErrorCode.CONFLICT,
    description: 'Another cluster already has this slug (`extensions.field`): choose another.',
  },
  [MembershipReason.COLLEGE_SLUG_TAKEN]: {
    code: ErrorCode.CONFLICT,
    description: 'The cluster already has a collège with this slug (`extensions.field`): choose another.',
  },
  [MembershipReason.PARENT_NOT_FEDERATION]: {
    code: ErrorCode.BAD_USER_INPUT,
    description: 'A cluster’s parent must be a federation; the one named is a cluster or an association.',
  },
  [MembershipReason.SIREN_TAKEN]: {
    code: ErrorCode.CONFLICT,
    description:
      'An organisation with this SIREN is already registered (`extensions.organisationId`, `extensions.organisationName`): ask to act for it (`requestToActFor`) instead of registering it again.',
  },
  [MembershipReason.SIRET_TAKEN]: {
    code: ErrorCode.CONFLICT,
    description:
      'An organisation with this SIRET is already registered (`extensions.organisationId`, `extensions.organisationName`): ask to act for it (`requestToActFor`) instead of registering it again.',
  },
  [MembershipReason.ACCOUNT_ALREADY_CONTACT]: {
    code: ErrorCode.CONFLICT,
    description: 'This account already acts for this organisation (`extensions.field`): there is nothing to add or to ask for.',
  },
  [MembershipReason.ACT_REQUEST_ALREADY_PENDING]: {
    code: ErrorCode.CONFLICT,
    description:
      'This account already asked to act for this organisation and that request awaits a decision (`extensions.actRequestId`): wait for it, or withdraw it first.',
  },
  [MembershipReason.ACT_REQUEST_ALREADY_DECIDED]: {
    code: ErrorCode.CONFLICT,
    description:
      'The request to act for an organisation was already approved, refused or withdrawn (`extensions.status`): that outcome stands; a new request can be made.',
  },
  [MembershipReason.ACT_REQUEST_OWN]: {
    code: ErrorCode.FORBIDDEN,
    description:
      'Nobody decides their own request to act for an organisation, whatever their rights: another person who may decide it does.',
  },
  [MembershipReason.ACT_REQUEST_NOT_YOURS]: {
    code: ErrorCode.FORBIDDEN,
    description: 'Only the account that asked to act for an organisation withdraws its request.',
  },
  [MembershipReason.ADMISSION_RULES_CONTRADICTORY]: {
    code: ErrorCode.BAD_USER_INPUT,
    description:
      'The admission criteria contradict each other (a minimum above a maximum…); `extensions.fields` names each. Nothing was written.',
  },
  [MembershipReason.ADMISSION_RULES_MISSING]: {
    code: ErrorCode.CONFLICT,
    description: 'The collège has not set admission rules yet: it takes no application until its representatives do.',
  },
  [MembershipReason.ALREADY_MEMBER]: {
    code: ErrorCode.CONFLICT,
    description: 'The organisation is already a current member of this collège.',
  },
  [MembershipReason.APPLICATION_ALREADY_PENDING]: {
    code: ErrorCode.CONFLICT,
    description: 'The organisation already has an application to this collège awaiting a decision: follow that one.',
  },
  [MembershipReason.APPLICATION_ALREADY_DECIDED]: {
    code: ErrorCode.CONFLICT,
    description:
      'The application was already approved, rejected or withdrawn (`extensions.state`): the first decision stands, and it can no longer be reviewed, sponsored, decided or withdrawn.',
  },
  [MembershipReason.APPLICATION_ALREADY_UNDER_REVIEW]: {
    code: ErrorCode.CONFLICT,
    description: 'A representative has already started reviewing this application (`extensions.state`).',
  },
  [MembershipReason.REJECTION_REASON_REQUIRED]: {
    code: ErrorCode.BAD_USER_INPUT,
    description:
      'Rejecting an application, or refusing a request to act for an organisation, needs a reason (`input.reason`): the applicant or the requester is told why.',
  },
  [MembershipReason.CRITERIA_UNMET]: {
    code: ErrorCode.CONFLICT,
    description:
      'Approval refused: a criterion fails or is still pending (`extensions.unmetCriteria`). Give an `overrideReason` to approve anyway, or wait for the sponsors or the signature.',
  },
  [MembershipReason.SPONSOR_IS_APPLICANT]: {
    code: ErrorCode.BAD_USER_INPUT,
    description: 'An organisation cannot sponsor its own application.',
  },
  [MembershipReason.SPONSOR_NOT_MEMBER]: {
    code: ErrorCode.BAD_USER_INPUT,
    description: 'Only an ACTIVE member of the collège applied to can sponsor an application to it.',
  },
  [MembershipReason.ALREADY_SPONSORING]: {
    code: ErrorCode.CONFLICT,
    description: 'This organisation already sponsors this application: a sponsor counts once.',
  },
  [MembershipReason.SIGNATORY_NOT_CONTACT]: {
    code: ErrorCode.CONFLICT,
    description: 'Only a person acting for the organisation (linked to the caller’s account) can sign its charter.',
  },
  [MembershipReason.CHARTER_ALREADY_SIGNED]: {
    code: ErrorCode.CONFLICT,
    description: 'The organisation has already signed this version of the cluster’s charter.',
  },
  [MembershipReason.MEMBERSHIP_STATUS_FORBIDS]: {
    code: ErrorCode.CONFLICT,
    description:
      'The membership’s status does not allow this step (`extensions.status`): only an ACTIVE one is suspended or transferred, a SUSPENDED one reinstated, and an ended one changes no more.',
  },
  [MembershipReason.MEMBERSHIP_REASON_REQUIRED]: {
    code: ErrorCode.BAD_USER_INPUT,
    description: 'Suspending or excluding a member needs a reason (`input.reason`): it goes into the membership’s history.',
  },
  [MembershipReason.TRANSFER_OUTSIDE_CLUSTER]: {
    code: ErrorCode.BAD_USER_INPUT,
    description: 'A transfer stays within the cluster: members move between clusters only by a fusion.',
  },
  [MembershipReason.TRANSFER_TO_SAME_COLLEGE]: {
    code: ErrorCode.BAD_USER_INPUT,
    description: 'The member is already in the collège named as the transfer’s target.',
  },
  [MembershipReason.REPRESENTATIVE_MANDATE_OVERLAP]: {
    code: ErrorCode.CONFLICT,
    description:
      'The account already holds a mandate over this collège for part of the period asked: end it first, or pick another period.',
  },
};

/** `throw refuse(MembershipReason.X, 'plain words', { details })`: a refusal with its code and reason. */
export const refuse = refusalsOf(MEMBERSHIP_REASONS);
