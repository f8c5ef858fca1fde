import type { AuthContext, AuthServices } from '../auth/auth.services.js';
import type { ServiceScope } from '../auth/domain-service.js';
import type { FinanceServices } from '../finance/finance.services.js';
import type { MembershipServices } from '../membership/membership.services.js';
import { AttendanceService } from './attendance.service.js';
import { BodyService } from './body.service.js';
import { ConventionService } from './convention.service.js';
import { MeetingMinutesService } from './meeting-minutes.service.js';
import type { OpenedParties } from './opened-parties.js';
import { MeetingService } from './meeting.service.js';
import { MeetingVoteService } from './meeting-votes.js';
import { ProposalService } from './proposal.service.js';
import { StatutesService } from './statutes.service.js';
import { VotingService } from './voting.service.js';
import { ViewerGovernanceService } from './viewer.service.js';

/** The governance layer's services of one request. */
export function governanceServices(scope: ServiceScope, openedParties?: OpenedParties) {
  return {
    bodies: new BodyService(scope),
    proposals: new ProposalService(scope),
    /** Ballots and proxies, and closing votes (VoteClosingService): tallies, receipts. */
    voting: new VotingService(scope, openedParties),
    conventions: new ConventionService(scope),
    /** Statutory meeting rules of the bodies, versioned (issue 15). */
    statutes: new StatutesService(scope),
    /** Meetings: preparing, agenda, convocation, cancellation, second convocation (issue 15). */
    meetings: new MeetingService(scope),
    /** Meetings' attendance sheets, pouvoirs, quorum, opening and closing (issue 15). */
    attendance: new AttendanceService(scope),
    /** Meetings' procès-verbaux: versions, signatures, certified extracts (issue 15). */
    meetingMinutes: new MeetingMinutesService(scope),
    /** Votes held in meetings: their live participation for the chair (issue 15). */
    meetingVotes: new MeetingVoteService(scope),
    viewerGovernance: new ViewerGovernanceService(scope),
  };
}

export type GovernanceServices = ReturnType<typeof governanceServices>;

/** What a resolver of the governance layer receives. */
export type Context = AuthContext<AuthServices & MembershipServices & FinanceServices & GovernanceServices>;
