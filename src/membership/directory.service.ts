import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { paginate, type ConnectionShape, type PageArgs } from '../shared/pagination.js';
import { Application, PENDING_STATES, type ApplicationState } from './application.entity.js';
import type { SizeClass } from './french-identifiers.js';
import { CURRENT_STATUSES, Membership, MembershipStatus } from './membership.entity.js';
import type { Organisation } from './organisation.entity.js';

export interface MemberFilter {
  statuses?: MembershipStatus[];
  sizeClass?: SizeClass;
  departement?: string;
  search?: string;
}

export interface CollegeStats {
  activeMembers: number;
  suspendedMembers: number;
  totalHeadcount: number;
  bySizeClass: { sizeClass: SizeClass | null; members: number; headcount: number }[];
}

/** Escapes LIKE wildcards so a search for "100%" finds "100%", not everything. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Read-side of membership: member directories, review queues, figures. */
export class DirectoryService {
  constructor(private readonly em: EntityManager) {}

  /** A collège's members, by organisation name (then id, so the order is total and stable). */
  members(collegeId: string, filter: MemberFilter, page: PageArgs, includeCount = true): Promise<ConnectionShape<Membership>> {
    const organisation: FilterQuery<Organisation> = {};
    if (filter.sizeClass) organisation.sizeClass = filter.sizeClass;
    if (filter.departement) organisation.departement = filter.departement;
    if (filter.search?.trim()) organisation.name = { $ilike: likePattern(filter.search.trim()) };
    const where: FilterQuery<Membership> = {
      college: collegeId,
      status: { $in: filter.statuses?.length ? filter.statuses : [...CURRENT_STATUSES] },
      ...(Object.keys(organisation).length ? { organisation } : {}),
    };
    return paginate(this.em, Membership, where, { organisation: { name: 'asc' }, id: 'asc' }, page, ['organisation'], includeCount);
  }

  /** A representative's review queue: oldest first. Defaults to applications awaiting a decision. */
  applications(
    collegeId: string,
    states: ApplicationState[] | undefined,
    page: PageArgs,
    includeCount = true,
  ): Promise<ConnectionShape<Application>> {
    return paginate(
      this.em,
      Application,
      { college: collegeId, state: { $in: states?.length ? states : [...PENDING_STATES] } },
      { createdAt: 'asc', id: 'asc' },
      page,
      [],
      includeCount,
    );
  }

  /** The figures the documents quote: members, employees, by size class — computed in SQL. */
  async stats(collegeId: string): Promise<CollegeStats> {
    const rows = await this.em.execute<{ size_class: SizeClass | null; status: MembershipStatus; members: string; headcount: string }[]>(
      `select o.size_class, m.status, count(*) as members, coalesce(sum(o.headcount), 0) as headcount
         from membership m join organisation o on o.id = m.organisation_id
        where m.college_id = ? and m.ended_on is null
        group by o.size_class, m.status`,
      [collegeId],
    );
    const active = rows.filter((r) => r.status === MembershipStatus.ACTIVE);
    const order = ['TPE', 'PME', 'ETI', 'GE', null];
    return {
      activeMembers: active.reduce((sum, r) => sum + Number(r.members), 0),
      suspendedMembers: rows.filter((r) => r.status === MembershipStatus.SUSPENDED).reduce((sum, r) => sum + Number(r.members), 0),
      totalHeadcount: active.reduce((sum, r) => sum + Number(r.headcount), 0),
      bySizeClass: active
        .map((r) => ({ sizeClass: r.size_class, members: Number(r.members), headcount: Number(r.headcount) }))
        .sort((a, b) => order.indexOf(a.sizeClass) - order.indexOf(b.sizeClass)),
    };
  }
}
