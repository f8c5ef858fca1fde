import type { EntityManager } from '@mikro-orm/postgresql';
import type { AttendanceMode, MeetingKind, MeetingState, QuorumCount } from './meeting.entity.js';
import type { Choice, PartyVoteState, ProposalKind } from './proposal.entity.js';
import type { QuorumBasis } from './statutes.entity.js';
import type { StoredTally } from './tally-record.js';
import type { BodyKind } from './voting-body.entity.js';
import type { VotingRules } from './voting-rules.js';

/** A meeting's row as the procès-verbal needs it: the meeting, its body, cluster, officers and statutes. */
export interface MeetingHead {
  id: string;
  clusterId: string;
  association: string;
  bodyName: string;
  bodyKind: BodyKind;
  kind: MeetingKind;
  title: string;
  state: MeetingState;
  convocation: number;
  firstScheduledAt: Date | null;
  scheduledAt: Date;
  place: string;
  remoteAllowed: boolean;
  convenedAt: Date | null;
  noticeForcedReason: string | null;
  openedAt: Date | null;
  closedAt: Date | null;
  quorum: QuorumCount | null;
  chairId: string | null;
  chair: string | null;
  secretaryId: string | null;
  secretary: string | null;
  recipients: number;
  statutes: {
    version: number;
    quorumBasis: QuorumBasis;
    quorumBasisPoints: number | null;
    remoteCountsAsPresent: boolean;
  } | null;
}

export interface AgendaEntry {
  id: string;
  position: number;
  title: string;
  description: string;
  binding: boolean;
}

export interface Resolution {
  partyId: string;
  agendaItemId: string;
  kind: ProposalKind;
  title: string;
  text: string;
  state: PartyVoteState;
  rules: VotingRules | null;
  tally: StoredTally | null;
  closedAt: Date | null;
  /** Who took part (name, and the proxy holder who cast for them), and for a NAMED vote their choice. */
  voters: { name: string; castBy: string | null; choice: Choice | null }[];
}

/** Everything a procès-verbal says, read in a fixed number of statements whatever the attendance. */
export interface MinutesRecord {
  head: MeetingHead;
  agenda: AgendaEntry[];
  present: { name: string; mode: AttendanceMode }[];
  represented: { principal: string; holder: string }[];
  resolutions: Resolution[];
  collegeNames: Map<string, string>;
}

/** The head row as PostgreSQL returns it. */
interface HeadRow {
  id: string;
  kind: MeetingKind;
  title: string;
  state: MeetingState;
  convocation: number;
  scheduled_at: string | Date;
  place: string;
  remote_allowed: boolean;
  convened_at: string | Date | null;
  notice_forced_reason: string | null;
  opened_at: string | Date | null;
  closed_at: string | Date | null;
  quorum: QuorumCount | null;
  chair_id: string | null;
  secretary_id: string | null;
  body_name: string;
  body_kind: BodyKind;
  cluster_id: string;
  cluster_name: string;
  chair_name: string | null;
  secretary_name: string | null;
  first_scheduled_at: string | Date | null;
  statutes_version: number | null;
  quorum_basis: QuorumBasis;
  remote_counts_as_present: boolean;
  quorum_basis_points: number | null;
  recipients: number;
}

interface PartyRow {
  id: string;
  agenda_item_id: string;
  state: PartyVoteState;
  rules: VotingRules | null;
  tally: StoredTally | null;
  closed_at: string | Date | null;
  kind: ProposalKind;
  title: string;
  text: string;
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'fr');
const date = (value: string | Date | null) => (value ? new Date(value) : null);

/** The meeting's head row (locked when `lock`), or null when there is no such meeting. */
export async function loadMeetingHead(em: EntityManager, meetingId: string, lock = false): Promise<MeetingHead | null> {
  const rows = await em.execute<HeadRow[]>(
    `select m.id, m.kind, m.title, m.state, m.convocation, m.scheduled_at, m.place, m.remote_allowed, m.convened_at,
        m.notice_forced_reason, m.opened_at, m.closed_at, m.quorum, m.chair_id, m.secretary_id,
        b.name as body_name, b.kind as body_kind, c.id as cluster_id, c.name as cluster_name,
        ch.display_name as chair_name, se.display_name as secretary_name, f.scheduled_at as first_scheduled_at,
        s.version as statutes_version, s.quorum_basis, s.remote_counts_as_present,
        case when m.convocation = 2 then s.quorum_second_basis_points else s.quorum_first_basis_points end as quorum_basis_points,
        (select count(*) from convocation_recipient r where r.meeting_id = m.id)::int as recipients
      from meeting m
      join voting_body b on b.id = m.body_id
      join cluster c on c.id = b.cluster_id
      left join account ch on ch.id = m.chair_id
      left join account se on se.id = m.secretary_id
      left join meeting f on f.id = m.first_convocation_id
      left join body_statutes s on s.id = m.statutes_id
      where m.id = ?${lock ? ' for update of m' : ''}`,
    [meetingId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    clusterId: r.cluster_id,
    association: r.cluster_name,
    bodyName: r.body_name,
    bodyKind: r.body_kind,
    kind: r.kind,
    title: r.title,
    state: r.state,
    convocation: r.convocation,
    firstScheduledAt: date(r.first_scheduled_at),
    scheduledAt: new Date(r.scheduled_at),
    place: r.place,
    remoteAllowed: r.remote_allowed,
    convenedAt: date(r.convened_at),
    noticeForcedReason: r.notice_forced_reason,
    openedAt: date(r.opened_at),
    closedAt: date(r.closed_at),
    quorum: r.quorum,
    chairId: r.chair_id,
    chair: r.chair_name,
    secretaryId: r.secretary_id,
    secretary: r.secretary_name,
    recipients: r.recipients,
    statutes:
      r.statutes_version === null || r.statutes_version === undefined
        ? null
        : {
            version: r.statutes_version,
            quorumBasis: r.quorum_basis,
            quorumBasisPoints: r.quorum_basis_points,
            remoteCountsAsPresent: r.remote_counts_as_present,
          },
  };
}

/** The agenda of a meeting, in order. */
export function loadAgenda(em: EntityManager, meetingId: string): Promise<AgendaEntry[]> {
  return em.execute<AgendaEntry[]>(
    `select id, position, title, description, binding from agenda_item where meeting_id = ? order by position`,
    [meetingId],
  );
}

/**
 * The rest of the record of a meeting whose head and agenda are loaded: the attendance sheet
 * (each member once, with the mode of their first arrival), the standing pouvoirs, the votes on
 * its agenda items with their voters, the collèges' names. Five statements, whatever the
 * attendance; a SECRET vote's choices are never read.
 */
export async function loadMinutesRecord(em: EntityManager, head: MeetingHead, agenda: AgendaEntry[]): Promise<MinutesRecord> {
  // Those who attended the session: a stint overlapping it, from the opening (or, never opened,
  // the scheduled time) to the closing (or, adjourned, the opening itself). One who left before it
  // or arrived after it is not listed. Each is listed under their mode at the opening, as the
  // quorum line counts them (else that of their first stint in the session).
  const sessionFrom = head.openedAt ?? head.scheduledAt;
  const sessionTo = head.closedAt ?? sessionFrom;
  const present = await em.execute<{ name: string; mode: AttendanceMode }[]>(
    `select distinct on (a.voter_id) acc.display_name as name, a.mode
       from attendance a join account acc on acc.id = a.voter_id
      where a.meeting_id = ? and a.arrived_at <= ? and (a.left_at is null or a.left_at >= ?)
      order by a.voter_id, (a.arrived_at <= ? and (a.left_at is null or a.left_at >= ?)) desc, a.arrived_at`,
    [head.id, sessionTo, sessionFrom, sessionFrom, sessionFrom],
  );
  const represented = await em.execute<{ principal: string; holder: string }[]>(
    `select p.display_name as principal, h.display_name as holder
      from pouvoir pv join account p on p.id = pv.principal_id join account h on h.id = pv.holder_id
      where pv.meeting_id = ? and pv.state = 'ACTIVE'`,
    [head.id],
  );
  const parties = await em.execute<PartyRow[]>(
    `select pp.id, pp.agenda_item_id, pp.state, pp.rules, pp.tally, pp.closed_at, pr.kind, pr.title, pr.text
      from proposal_party pp
      join proposal pr on pr.id = pp.proposal_id
      join agenda_item ai on ai.id = pp.agenda_item_id
      where ai.meeting_id = ? order by ai.position, pr.created_at, pp.id`,
    [head.id],
  );
  const voters = await em.execute<{ party_id: string; name: string; cast_by: string | null; choice: Choice | null }[]>(
    `select pa.party_id, v.display_name as name,
        case when pa.cast_by_id <> pa.voter_id then cb.display_name end as cast_by,
        case when pp.rules ->> 'secrecy' = 'NAMED' then b.choice end as choice
      from participation pa
      join proposal_party pp on pp.id = pa.party_id
      join agenda_item ai on ai.id = pp.agenda_item_id
      join account v on v.id = pa.voter_id
      join account cb on cb.id = pa.cast_by_id
      left join ballot b on pp.rules ->> 'secrecy' = 'NAMED' and b.party_id = pa.party_id and b.voter_id = pa.voter_id
      where ai.meeting_id = ?`,
    [head.id],
  );
  const colleges = await em.execute<{ id: string; name: string }[]>(`select id, name from college where cluster_id = ?`, [head.clusterId]);
  const votersOf = new Map<string, Resolution['voters']>();
  for (const v of voters) {
    const list = votersOf.get(v.party_id) ?? [];
    list.push({ name: v.name, castBy: v.cast_by, choice: v.choice });
    votersOf.set(v.party_id, list);
  }
  return {
    head,
    agenda,
    present: present.sort(byName),
    represented: represented.sort((a, b) => a.principal.localeCompare(b.principal, 'fr')),
    resolutions: parties.map((p) => ({
      partyId: p.id,
      agendaItemId: p.agenda_item_id,
      kind: p.kind,
      title: p.title,
      text: p.text,
      state: p.state,
      rules: p.rules,
      tally: p.tally,
      closedAt: date(p.closed_at),
      voters: (votersOf.get(p.id) ?? []).sort(byName),
    })),
    collegeNames: new Map(colleges.map((c) => [c.id, c.name])),
  };
}
