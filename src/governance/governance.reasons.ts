import { ErrorCode, refusalsOf, type ReasonTable } from '../shared/errors.js';

/**
 * Why the governance layer refuses: the closed list a client can switch on (`extensions.reason`).
 * Every value is described in the table below, which also fixes the code it is sent with.
 */
export enum GovernanceReason {
  VOTE_CLOSED = 'VOTE_CLOSED',
  VOTE_NOT_OPEN = 'VOTE_NOT_OPEN',
  BALLOT_FINAL = 'BALLOT_FINAL',
  NOT_IN_ELECTORATE = 'NOT_IN_ELECTORATE',
  PROXY_STANDING = 'PROXY_STANDING',
  PROXY_NOT_HELD = 'PROXY_NOT_HELD',
  PROXY_NOT_STANDING = 'PROXY_NOT_STANDING',
  PROXY_PRINCIPAL_ONLY = 'PROXY_PRINCIPAL_ONLY',
  PROXY_LIMIT_REACHED = 'PROXY_LIMIT_REACHED',
  PROXIES_NOT_ALLOWED = 'PROXIES_NOT_ALLOWED',
  PROPOSAL_NOT_DRAFT = 'PROPOSAL_NOT_DRAFT',
  PROPOSAL_NOT_CANCELLABLE = 'PROPOSAL_NOT_CANCELLABLE',
  ELECTORATE_EMPTY = 'ELECTORATE_EMPTY',
  VOTING_BODY_MISSING = 'VOTING_BODY_MISSING',
  VOTING_CLUSTER_NOT_ACTIVE = 'VOTING_CLUSTER_NOT_ACTIVE',
  BOARD_SEATS_TAKEN = 'BOARD_SEATS_TAKEN',
  BOARD_SEAT_ALREADY_HELD = 'BOARD_SEAT_ALREADY_HELD',
  DELEGATE_ORGANISATION_NOT_MEMBER = 'DELEGATE_ORGANISATION_NOT_MEMBER',
  DELEGATE_SPEAKS_FOR_ANOTHER = 'DELEGATE_SPEAKS_FOR_ANOTHER',
  MINUTES_NOT_READY = 'MINUTES_NOT_READY',
}

export const GOVERNANCE_REASONS: ReasonTable<GovernanceReason> = {
  [GovernanceReason.VOTE_CLOSED]: {
    code: ErrorCode.CONFLICT,
    description: 'The vote is closed (by its chair, or because its closing time has passed): no ballot, proxy or change is accepted.',
  },
  [GovernanceReason.VOTE_NOT_OPEN]: {
    code: ErrorCode.CONFLICT,
    description: 'Voting on this proposal has not opened (it is a DRAFT) or was cancelled: nothing can be cast, given or closed.',
  },
  [GovernanceReason.BALLOT_FINAL]: {
    code: ErrorCode.CONFLICT,
    description: 'This voter has already voted on this proposal (in person or by proxy): a ballot is final.',
  },
  [GovernanceReason.NOT_IN_ELECTORATE]: {
    code: ErrorCode.FORBIDDEN,
    description:
      'The voter (you, or the principal you vote for) is not in the electorate snapshotted when the vote opened: later appointments do not vote on it.',
  },
  [GovernanceReason.PROXY_STANDING]: {
    code: ErrorCode.CONFLICT,
    description: 'You gave a standing proxy for this vote: revoke it (`revokeProxy`) to vote yourself, or to give another one.',
  },
  [GovernanceReason.PROXY_NOT_HELD]: {
    code: ErrorCode.FORBIDDEN,
    description: 'You hold no standing proxy from this voter for this vote (never given, revoked, or already used).',
  },
  [GovernanceReason.PROXY_NOT_STANDING]: {
    code: ErrorCode.CONFLICT,
    description: 'This proxy was already used or revoked: only a standing proxy is revoked.',
  },
  [GovernanceReason.PROXY_PRINCIPAL_ONLY]: {
    code: ErrorCode.FORBIDDEN,
    description: 'Only the voter who gave a proxy (its principal) revokes it.',
  },
  [GovernanceReason.PROXY_LIMIT_REACHED]: {
    code: ErrorCode.CONFLICT,
    description: 'The holder already holds as many proxies as the statutes allow (`proxyLimit`): give yours to another voter.',
  },
  [GovernanceReason.PROXIES_NOT_ALLOWED]: {
    code: ErrorCode.CONFLICT,
    description: 'The statutes of this body allow no proxies (`proxyLimit` is 0).',
  },
  [GovernanceReason.PROPOSAL_NOT_DRAFT]: {
    code: ErrorCode.CONFLICT,
    description: 'Only a DRAFT proposal opens to the vote; `extensions.currentState` says where this one stands.',
  },
  [GovernanceReason.PROPOSAL_NOT_CANCELLABLE]: {
    code: ErrorCode.CONFLICT,
    description: 'Only a DRAFT, or an open vote no party has closed yet, can be cancelled; this one was closed, decided or cancelled.',
  },
  [GovernanceReason.ELECTORATE_EMPTY]: {
    code: ErrorCode.CONFLICT,
    description:
      'A party’s body has nobody to vote (no board seat holder with a mandate in force, or no member delegate): appoint or designate them first.',
  },
  [GovernanceReason.VOTING_BODY_MISSING]: {
    code: ErrorCode.CONFLICT,
    description: 'A party cluster has no body of the chosen kind: configure it first (`configureVotingBody`).',
  },
  [GovernanceReason.VOTING_CLUSTER_NOT_ACTIVE]: {
    code: ErrorCode.CONFLICT,
    description: 'The cluster is no longer ACTIVE (merged or dissolved): its bodies can no longer be configured or vote.',
  },
  [GovernanceReason.BOARD_SEATS_TAKEN]: {
    code: ErrorCode.CONFLICT,
    description: 'Every seat of this collège on the board is held for (part of) that period: end a mandate, or change the seats.',
  },
  [GovernanceReason.BOARD_SEAT_ALREADY_HELD]: {
    code: ErrorCode.CONFLICT,
    description: 'This account already holds a seat of this collège for part of that period.',
  },
  [GovernanceReason.DELEGATE_ORGANISATION_NOT_MEMBER]: {
    code: ErrorCode.CONFLICT,
    description: 'The organisation is not a current member of this cluster: only member organisations have a delegate.',
  },
  [GovernanceReason.DELEGATE_SPEAKS_FOR_ANOTHER]: {
    code: ErrorCode.CONFLICT,
    description: 'This account is already the delegate of another organisation in this assembly: one delegate votes for one organisation.',
  },
  [GovernanceReason.MINUTES_NOT_READY]: {
    code: ErrorCode.CONFLICT,
    description: 'Minutes exist once a party’s vote is closed; `extensions.currentState` says where the proposal stands.',
  },
};

/** `throw refuse(GovernanceReason.X, 'plain words', { details })`: a refusal with its code and reason. */
export const refuse = refusalsOf(GOVERNANCE_REASONS);
