import type { EntityManager } from '@mikro-orm/postgresql';
import { CURRENT_STATUSES } from '../membership/membership.entity.js';
import type { ProposalParty } from './proposal.entity.js';
import { BodyKind } from './voting-body.entity.js';

/**
 * Who votes in a body at `now`, as one SELECT of (voter_id, college_id, organisation_id), one row
 * per account:
 * - board: the holders of a seat whose mandate is in force, each with the collège of their
 *   earliest such seat (organisation_id null);
 * - general assembly: the current delegate of each organisation that is a current member
 *   (ACTIVE or SUSPENDED) of a collège of the cluster, with its earliest such collège; an account
 *   named for several organisations votes once, for the earliest named (its organisation_id).
 * A meeting's convocation list is this electorate as of the sending (issue 15), a vote's
 * electorate as of its opening.
 */
export function electorateOfBody(body: { id: string; kind: BodyKind }, clusterId: string, now: Date): { sql: string; params: unknown[] } {
  if (body.kind === BodyKind.BOARD) {
    return {
      sql: `select distinct on (m.holder_id) m.holder_id as voter_id, m.college_id, null::uuid as organisation_id
              from board_mandate m
             where m.body_id = ? and m.starts_at <= ? and (m.ends_at is null or m.ends_at > ?)
             order by m.holder_id, m.starts_at, m.id`,
      params: [body.id, now, now],
    };
  }
  return {
    sql: `select distinct on (d.delegate_id) d.delegate_id as voter_id, ms.college_id, d.organisation_id
            from assembly_delegate d
            join lateral (select m.college_id
                            from membership m join college c on c.id = m.college_id
                           where m.organisation_id = d.organisation_id and c.cluster_id = ? and m.status = any(?::membership_status[])
                           order by m.started_on, m.id
                           limit 1) ms on true
           where d.body_id = ? and d.replaced_at is null
           order by d.delegate_id, d.created_at, d.id`,
    params: [clusterId, `{${CURRENT_STATUSES.join(',')}}`, body.id],
  };
}

/** The electorate of a party's body at `now` (see electorateOfBody). */
function electorateOf(party: ProposalParty, now: Date): { sql: string; params: unknown[] } {
  return electorateOfBody(party.body, party.cluster.id, now);
}

/**
 * Snapshots the electorate of a party whose vote opens: one elector row per voter, written by
 * ONE statement whatever their number (a general assembly of 5 000 delegates included). Later
 * changes to mandates, delegates or memberships do not change it. Returns how many were written.
 */
export async function snapshotElectorate(tx: EntityManager, party: ProposalParty, now: Date): Promise<number> {
  const electorate = electorateOf(party, now);
  const rows = await tx.execute<{ electors: number }[]>(
    `with snapshot as (
       insert into elector (id, created_at, updated_at, party_id, voter_id, college_id, weight)
       select gen_random_uuid(), ?, ?, ?, v.voter_id, v.college_id, 1
         from (${electorate.sql}) v
       returning 1)
     select count(*)::int as electors from snapshot`,
    [now, now, party.id, ...electorate.params],
  );
  return rows[0]?.electors ?? 0;
}
