import DataLoader from 'dataloader';
import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { Action, collegeScope } from '../auth/permissions.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { DEFAULT_PAGE_SIZE, paginate, type ConnectionShape, type PageArgs } from '../shared/pagination.js';
import { detachedRow } from '../shared/detached-row.js';
import { queryPrepared } from '../shared/sql-script.js';
import { Application, PENDING_STATES, type ApplicationState } from './application.entity.js';
import type { SizeClass } from './french-identifiers.js';
import { CURRENT_STATUSES, Membership, MembershipStatus } from './membership.entity.js';
import { College } from './college.entity.js';
import type { OrganisationKind } from './organisation-kind.js';
import { Organisation } from './organisation.entity.js';

export interface MemberFilter {
  statuses?: MembershipStatus[];
  /** The members as they stood at the end of this day (memberships started by then and not ended by then). */
  asOf?: string;
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

/**
 * A member as the directory reads it: the membership's columns and its organisation's, from one
 * SQL statement, without ORM hydration. The GraphQL `Membership` and `Organisation` types resolve
 * these like the entities (their field resolvers take a `MembershipView`); the collège and the
 * origin are ORM references, loaded through the dataloader when a client asks for them.
 */
export interface MemberRow {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  status: MembershipStatus;
  startedOn: string;
  memberSince: string;
  endedOn: string | null;
  endReason: string | null;
  college: College;
  origin: Membership | null;
  organisation: OrganisationRow;
}

/** An organisation's own columns, as plain data. */
export type OrganisationRow = Pick<
  Organisation,
  | 'id'
  | 'createdAt'
  | 'updatedAt'
  | 'name'
  | 'kind'
  | 'siren'
  | 'siret'
  | 'headcount'
  | 'sizeClass'
  | 'foundedOn'
  | 'departement'
  | 'region'
  | 'website'
  | 'affiliations'
>;

/** A membership as the GraphQL `Membership` type resolves it: the entity, or a directory row. */
export type MembershipView = Membership | MemberRow;

interface MemberSqlRow {
  id: string;
  created_at: number;
  updated_at: number;
  status: MembershipStatus;
  started_on: string;
  member_since: string;
  ended_on: string | null;
  end_reason: string | null;
  college_id: string;
  origin_id: string | null;
  o_id: string;
  o_created_at: number;
  o_updated_at: number;
  o_name: string;
  o_kind: OrganisationKind;
  o_siren: string | null;
  o_siret: string | null;
  o_headcount: number | null;
  o_size_class: SizeClass | null;
  o_founded_on: string | null;
  o_departement: string | null;
  o_region: string | null;
  o_website: string | null;
  o_affiliations: string[];
  /** The membership's sort key (its organisation's name, as the index holds it). */
  sort_name: string;
  total_count?: string;
}

/** Timestamps travel as epoch milliseconds (the ORM's driver hands them over as text). */
const epochMs = (column: string, alias: string) => `(extract(epoch from ${column}) * 1000)::float8 as ${alias}`;

const MEMBER_COLUMNS = `m.id, ${epochMs('m.created_at', 'created_at')}, ${epochMs('m.updated_at', 'updated_at')}, m.status, m.started_on::text, m.member_since::text, m.ended_on::text,
  m.end_reason, m.college_id, m.origin_id, o.id as o_id, ${epochMs('o.created_at', 'o_created_at')}, ${epochMs('o.updated_at', 'o_updated_at')},
  o.name as o_name, o.kind as o_kind, o.siren as o_siren, o.siret as o_siret, o.headcount as o_headcount,
  o.size_class as o_size_class, o.founded_on::text as o_founded_on, o.departement as o_departement, o.region as o_region,
  o.website as o_website, o.affiliations as o_affiliations`;

/** Directory cursors: the sort key (membership.sort_name — the organisation's name —, membership id), base64url JSON. */
function encodeMemberCursor(name: string, id: string): string {
  return Buffer.from(JSON.stringify([name, id])).toString('base64url');
}

function decodeMemberCursor(cursor: string): [string, string] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string' || !UUID.test(value[1])) {
    throw BadUserInputError.field('after', 'is not a valid cursor');
  }
  return [value[0], value[1]];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Escapes LIKE wildcards so a search for "100%" finds "100%", not everything. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The columns of the members' CSV export, in order (the SQL below names its columns so). */
export const MEMBER_EXPORT_COLUMNS = [
  'organisation_id',
  'organisation_name',
  'kind',
  'siren',
  'siret',
  'headcount',
  'size_class',
  'departement',
  'region',
  'status',
  'member_since',
  'started_on',
] as const;

export type MemberExportRow = Record<(typeof MEMBER_EXPORT_COLUMNS)[number], string | number | null>;

/** Read-side of membership: member directories, review queues, figures. */
export class DirectoryService extends DomainService {
  /** Per request: the figures of the collèges asked for in one tick, read together (see `stats`). */
  private figures?: DataLoader<string, CollegeStats>;

  constructor(scope: ServiceScope) {
    super(scope);
  }

  /** A collège's members and figures are read by the signed-in holders of a role in its cluster (or of it), and ADMIN. */
  private authorizeReadMembers(college: College): void {
    this.authorize(Action.ReadMembers, collegeScope(college.cluster.id, college.id, college.name));
  }

  /**
   * A collège's members, by organisation name (then membership id, so the order is total and
   * stable). The directory is the most-read list of the API, so it is read as plain rows in one
   * statement — page, next-page probe and (when asked) the total via a window — instead of
   * hydrating ORM entities; see MemberRow.
   */
  async members(college: College, filter: MemberFilter, page: PageArgs, includeCount = true): Promise<ConnectionShape<MemberRow>> {
    this.authorizeReadMembers(college);
    const collegeId = college.id;
    const after = page.after == null ? null : decodeMemberCursor(page.after);
    const first = page.first ?? DEFAULT_PAGE_SIZE;
    const conditions = ['m.college_id = ?'];
    const params: unknown[] = [collegeId];
    if (filter.asOf) {
      // As of a past day: memberships running then, whatever became of them since.
      conditions.push('m.started_on <= ?', '(m.ended_on is null or m.ended_on > ?)');
      params.push(filter.asOf, filter.asOf);
      if (filter.statuses?.length) {
        conditions.push('m.status = any(?::membership_status[])');
        params.push(filter.statuses);
      }
    } else {
      const statuses = filter.statuses?.length ? filter.statuses : [...CURRENT_STATUSES];
      // Current members (ACTIVE, SUSPENDED: exactly those not ended, by the table's CHECK) are read
      // from the `membership_directory` index, whose predicate is `ended_on is null`.
      const current = statuses.every((status) => (CURRENT_STATUSES as readonly MembershipStatus[]).includes(status));
      if (current) conditions.push('m.ended_on is null');
      if (!current || !CURRENT_STATUSES.every((status) => statuses.includes(status))) {
        conditions.push('m.status = any(?::membership_status[])');
        params.push(statuses);
      }
    }
    // The organisation is joined only to filter on its columns; the order and the name search use
    // the membership's copy of its name (`sort_name`, kept by the database).
    const joinsOrganisation = Boolean(filter.sizeClass || filter.departement);
    const where = (condition: string, value: unknown) => {
      conditions.push(condition);
      params.push(value);
    };
    if (filter.sizeClass) where('o.size_class = ?', filter.sizeClass);
    if (filter.departement) where('o.departement = ?', filter.departement);
    if (filter.search?.trim()) where('m.sort_name ilike ?', likePattern(filter.search.trim()));
    const from = `membership m${joinsOrganisation ? ' join organisation o on o.id = m.organisation_id' : ''}`;
    // The page's keys come first, in the order of the index (college_id, sort_name, id): a page
    // reads its own rows, whatever the number of organisations and however their names sort. Its
    // columns are read after, for its rows only. The total (when asked) is a window over every
    // match, taken before the cursor condition (so the cursor applies outside it).
    const pageKeys = includeCount
      ? `select * from (select m.id, m.sort_name as name, count(*) over () as total_count from ${from} where ${conditions.join(' and ')}) matches
          ${after ? 'where (name, id) > (?, ?::uuid)' : ''} order by name, id limit ?`
      : `select m.id, m.sort_name as name from ${from}
          where ${conditions.join(' and ')}${after ? ' and (m.sort_name, m.id) > (?, ?::uuid)' : ''}
          order by m.sort_name, m.id limit ?`;
    // Prepared on each connection (one statement per combination of filters): planning the page
    // cost PostgreSQL about as much as running it.
    // The page travels as one JSON array (one value to decode, natively) rather than 25 columns
    // of 51 rows each decoded by the driver: a third of the page's cost in the driver before.
    const [{ page: rows }] = await queryPrepared<{ page: MemberSqlRow[] }>(this.em, {
      sql: `with page as (${pageKeys})
       select coalesce(json_agg(r order by r.sort_name, r.id), '[]') as page from (
         select ${MEMBER_COLUMNS}, page.name as sort_name${includeCount ? ', page.total_count' : ''}
           from page join membership m on m.id = page.id join organisation o on o.id = m.organisation_id) r`,
      params: [...params, ...(after ?? []), first + 1],
    });
    const hasNextPage = rows.length > first;
    // Each cursor is encoded when (if) the client reads it, as `paginate` does.
    const edges = rows.slice(0, first).map((row) => ({
      node: this.memberRow(row, college),
      get cursor() {
        return encodeMemberCursor(row.sort_name, row.id);
      },
    }));
    let totalCount = includeCount ? Number(rows[0]?.total_count ?? 0) : 0;
    if (includeCount && rows.length === 0 && after) {
      // Past the last page the window has no row to ride on: count on its own.
      const [{ count }] = await queryPrepared<{ count: string }>(this.em, {
        sql: `select count(*) from ${from} where ${conditions.join(' and ')}`,
        params,
      });
      totalCount = Number(count);
    }
    return {
      edges,
      pageInfo: {
        hasNextPage,
        hasPreviousPage: after !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      totalCount,
    };
  }

  /** A directory row as a Membership, its organisation as an Organisation: see `detachedRow`. */
  private memberRow(row: MemberSqlRow, college: College): MemberRow {
    return detachedRow(Membership, this.memberFields(row, college)) as MemberRow;
  }

  private memberFields(row: MemberSqlRow, college: College): MemberRow {
    return {
      id: row.id,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
      status: row.status,
      startedOn: row.started_on,
      memberSince: row.member_since,
      endedOn: row.ended_on,
      endReason: row.end_reason,
      // The page's collège, the one asked for (not a reference to look up per row).
      college,
      origin: row.origin_id ? this.em.getReference(Membership, row.origin_id) : null,
      organisation: detachedRow(Organisation, {
        id: row.o_id,
        createdAt: new Date(row.o_created_at),
        updatedAt: new Date(row.o_updated_at),
        name: row.o_name,
        kind: row.o_kind,
        siren: row.o_siren,
        siret: row.o_siret,
        headcount: row.o_headcount,
        sizeClass: row.o_size_class,
        foundedOn: row.o_founded_on,
        departement: row.o_departement,
        region: row.o_region,
        website: row.o_website,
        affiliations: row.o_affiliations,
      }),
    };
  }

  /**
   * A representative's review queue: oldest first. Defaults to applications awaiting a decision.
   * The collège's representatives, its cluster's administrators, ADMIN.
   */
  async applications(
    collegeId: string,
    states: ApplicationState[] | undefined,
    page: PageArgs,
    includeCount = true,
  ): Promise<ConnectionShape<Application>> {
    // Signed-in first: looking the collège up must not tell an anonymous caller whether it exists.
    this.requireSignedIn();
    const college = await this.em.findOne(College, { id: collegeId });
    if (!college) throw new NotFoundError('College', collegeId);
    this.authorize(Action.ReviewApplications, collegeScope(college.cluster.id, college.id, college.name));
    return paginate(
      this.em,
      Application,
      { college: college.id, state: { $in: states?.length ? states : [...PENDING_STATES] } },
      { createdAt: 'asc', id: 'asc' },
      page,
      [],
      includeCount,
    );
  }

  /**
   * The figures the documents quote: members, employees, by size class — computed in SQL. Same
   * access as `members`. The collèges of a list (a cluster's) are counted by one statement.
   */
  stats(college: College): Promise<CollegeStats> {
    this.authorizeReadMembers(college);
    this.figures ??= new DataLoader(
      async (collegeIds: readonly string[]) => {
        const rows = await this.em.execute<
          { college_id: string; size_class: SizeClass | null; status: MembershipStatus; members: string; headcount: string }[]
        >(
          `select m.college_id, o.size_class, m.status, count(*) as members, coalesce(sum(o.headcount), 0) as headcount
             from membership m join organisation o on o.id = m.organisation_id
            where m.college_id in (?) and m.ended_on is null
            group by m.college_id, o.size_class, m.status`,
          [[...collegeIds]],
        );
        return collegeIds.map((id) => figuresOf(rows.filter((row) => row.college_id === id)));
      },
      { cache: false },
    );
    return this.figures.load(college.id);
  }

  /**
   * A collège's current members (ACTIVE and SUSPENDED) for its CSV export, by organisation name:
   * the collège's representatives, its cluster's administrators, ADMIN.
   */
  async exportMembers(collegeId: string): Promise<{ college: College; rows: MemberExportRow[] }> {
    this.requireSignedIn();
    const college = await this.em.findOne(College, { id: collegeId }, { populate: ['cluster'] });
    if (!college) throw new NotFoundError('College', collegeId);
    this.authorize(Action.ExportMembers, collegeScope(college.cluster.id, college.id, college.name));
    const rows = await this.em.execute<MemberExportRow[]>(
      `select o.id as organisation_id, o.name as organisation_name, o.kind, o.siren, o.siret, o.headcount, o.size_class,
              o.departement, o.region, m.status, to_char(m.member_since, 'YYYY-MM-DD') as member_since,
              to_char(m.started_on, 'YYYY-MM-DD') as started_on
         from membership m join organisation o on o.id = m.organisation_id
        where m.college_id = ? and m.ended_on is null
        order by m.sort_name, m.id`,
      [college.id],
    );
    return { college, rows };
  }
}

/** A collège's figures from its rows of counts by size class and status. */
function figuresOf(rows: { size_class: SizeClass | null; status: MembershipStatus; members: string; headcount: string }[]): CollegeStats {
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
