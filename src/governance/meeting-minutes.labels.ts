import { AttendanceMode, MeetingKind, MeetingState, PouvoirState } from './meeting.entity.js';
import { MinutesRole } from './minutes.entity.js';
import { Choice, PartyVoteState, ProposalKind } from './proposal.entity.js';
import { QuorumBasis } from './statutes.entity.js';
import { TallyReason } from './tally.js';
import { BodyKind } from './voting-body.entity.js';
import { Majority, Secrecy, Weighting } from './voting-rules.js';

/** The French words of every value a procès-verbal shows, and its number and date formats (Paris time). */

export const MEETING_KIND_FR: Record<MeetingKind, string> = {
  [MeetingKind.BOARD]: 'Réunion du conseil d’administration',
  [MeetingKind.ORDINARY_GENERAL_ASSEMBLY]: 'Assemblée générale ordinaire',
  [MeetingKind.EXTRAORDINARY_GENERAL_ASSEMBLY]: 'Assemblée générale extraordinaire',
};

export const MEETING_STATE_FR: Record<MeetingState, string> = {
  [MeetingState.DRAFT]: 'en préparation',
  [MeetingState.CONVENED]: 'convoquée',
  [MeetingState.OPEN]: 'en séance',
  [MeetingState.CLOSED]: 'close',
  [MeetingState.ADJOURNED_NO_QUORUM]: 'ajournée faute de quorum',
  [MeetingState.CANCELLED]: 'annulée',
};

export const ATTENDANCE_MODE_FR: Record<AttendanceMode, string> = {
  [AttendanceMode.IN_PERSON]: 'présent en personne',
  [AttendanceMode.REMOTE]: 'présent à distance',
};

export const POUVOIR_STATE_FR: Record<PouvoirState, string> = {
  [PouvoirState.ACTIVE]: 'en vigueur',
  [PouvoirState.REVOKED]: 'révoqué',
  [PouvoirState.CANCELLED_BY_ARRIVAL]: 'caduc (mandant arrivé)',
};

export const CHOICE_FR: Record<Choice, string> = {
  [Choice.FOR]: 'pour',
  [Choice.AGAINST]: 'contre',
  [Choice.ABSTAIN]: 'abstention',
};

export const MAJORITY_FR: Record<Majority, string> = {
  [Majority.SIMPLE]: 'majorité simple',
  [Majority.ABSOLUTE]: 'majorité absolue',
  [Majority.TWO_THIRDS]: 'majorité des deux tiers',
  [Majority.THREE_QUARTERS]: 'majorité des trois quarts',
};

export const WEIGHTING_FR: Record<Weighting, string> = {
  [Weighting.PER_VOTER]: 'une voix par votant',
  [Weighting.COLLEGE_WEIGHTED]: 'pondération par collège',
};

export const SECRECY_FR: Record<Secrecy, string> = {
  [Secrecy.NAMED]: 'vote nominatif',
  [Secrecy.SECRET]: 'scrutin secret',
};

export const QUORUM_BASIS_FR: Record<QuorumBasis, string> = {
  [QuorumBasis.PRESENT]: 'présents',
  [QuorumBasis.PRESENT_OR_REPRESENTED]: 'présents ou représentés',
};

export const TALLY_REASON_FR: Record<TallyReason, string> = {
  [TallyReason.ADOPTED]: 'quorum et majorité atteints',
  [TallyReason.QUORUM_NOT_REACHED]: 'quorum de vote non atteint',
  [TallyReason.NO_VOTES_EXPRESSED]: 'aucun suffrage exprimé',
  [TallyReason.MAJORITY_NOT_REACHED]: 'majorité requise non atteinte',
  [TallyReason.DOUBLE_MAJORITY_NOT_REACHED]: 'double majorité non atteinte',
};

export const PARTY_VOTE_STATE_FR: Record<PartyVoteState, string> = {
  [PartyVoteState.PENDING]: 'vote non ouvert',
  [PartyVoteState.VOTING]: 'vote en cours',
  [PartyVoteState.CLOSED]: 'vote clos',
  [PartyVoteState.CANCELLED]: 'vote annulé',
};

export const PROPOSAL_KIND_FR: Record<ProposalKind, string> = {
  [ProposalKind.FUSION]: 'fusion',
  [ProposalKind.PARTNERSHIP]: 'convention de partenariat',
  [ProposalKind.RESOLUTION]: 'résolution',
};

export const BODY_KIND_FR: Record<BodyKind, string> = {
  [BodyKind.BOARD]: 'conseil d’administration',
  [BodyKind.GENERAL_ASSEMBLY]: 'assemblée générale',
};

export const MINUTES_ROLE_FR: Record<MinutesRole, string> = {
  [MinutesRole.CHAIR]: 'Président de séance',
  [MinutesRole.SECRETARY]: 'Secrétaire de séance',
};

const TIME_ZONE = 'Europe/Paris';
const DAY = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: TIME_ZONE });
const TIME = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE });
const NUMBER = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
const PERCENT = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 2 });

/** "mardi 3 juin 2025" ("dimanche 1er juin 2025"), in Paris. */
export function frDate(date: Date): string {
  return DAY.format(date).replace(/^(\S+) 1 /, '$1 1er ');
}

/** "18 h 30", in Paris. */
export function frTime(date: Date): string {
  const parts = Object.fromEntries(TIME.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.hour} h ${parts.minute}`;
}

/** "mardi 3 juin 2025 à 18 h 30", in Paris. */
export function frDateTime(date: Date): string {
  return `${frDate(date)} à ${frTime(date)}`;
}

/** "1 234,56" (narrow no-break space between thousands). */
export function frNumber(value: number): string {
  return NUMBER.format(value);
}

/** "66,67 %" from a ratio (0.6667) */
export function frPercent(ratio: number): string {
  return PERCENT.format(ratio);
}

/** "50 %" from basis points (5 000). */
export function frBasisPoints(basisPoints: number): string {
  return frPercent(basisPoints / 10_000);
}

/** "1 membre", "3 membres". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${frNumber(count)} ${count > 1 ? pluralForm : singular}`;
}
