/**
 * When the demo's members joined, so that the history reads as the documents tell it: Telecom
 * Valley "né voici 24 ans" in its 2015 article (seed 003), hence 1991; the consortium of clusters
 * TIC signed on 7 December 2009 (seed 004); Media Cloud Cluster, Novae LR and PixLR existing for
 * years before they federated in FrenchSouth.digital, announced on 19 November 2014 (seed 001);
 * FrenchSouth.digital's collèges from its creation. The documents give years, not days: the days
 * below, and the associations' and DigitalPlace's founding years, are the demo's choices.
 *
 * A member joins on a day drawn from a seeded Prng of its own, between the day it could join —
 * its collège's constitution, and its own founding (its founders: that very day) — and the seed
 * day: deterministic for a given day, and no generated organisation changes with it.
 */
import { isoDaysAgo } from './french-organisations.js';
import {
  CONSORTIUM,
  DIGITALPLACE,
  FSD_CLOUD,
  FSD_DIGITAL_CREATION,
  FSD_DIGITAL_ECONOMY,
  HIGHER_EDUCATION_RESEARCH,
  MCC,
  NOVAE,
  PIXLR,
  STARTUPS,
  TELECOM_VALLEY,
  type CollegeKey,
} from './membership-data.js';
import { Prng } from './prng.js';

/** A day (`YYYY-MM-DD`), or a number of years before the seed day. */
export type Since = string | { yearsAgo: number };

export interface CollegeHistory {
  /** The collège's constitution: its named founders join that day. */
  constitutedOn: Since;
  /** How many of its generated members, the oldest of those that existed then, joined that day too, as its founders. */
  foundingMembers?: number;
  /** Named members' first days, where the story fixes them (the others join on a drawn day). */
  named?: Readonly<Record<string, string>>;
}

/** FrenchSouth.digital's first day: the federation announced at the Digiworld Summit of 19 November 2014 (seed 001). */
const FRENCH_SOUTH_CREATED = '2015-01-20';

export const COLLEGE_HISTORY: Readonly<Record<CollegeKey, CollegeHistory>> = {
  [TELECOM_VALLEY]: { constitutedOn: '1991-03-14', foundingMembers: 6, named: { SoFab: '2014-10-02' } },
  [CONSORTIUM]: {
    constitutedOn: '2009-12-07',
    // Each cluster joins once it exists and has joined France Clusters.
    named: { 'Telecom Valley': '2011-02-08', DigitalPlace: '2012-04-17', 'FrenchSouth.digital': '2015-06-30' },
  },
  [NOVAE]: { constitutedOn: '2005-05-24', foundingMembers: 5 },
  [PIXLR]: { constitutedOn: '2008-11-05', foundingMembers: 4 },
  [MCC]: { constitutedOn: '2011-09-21', foundingMembers: 4 },
  [DIGITALPLACE]: { constitutedOn: '2010-06-15', foundingMembers: 3, named: { Artilect: '2010-06-15', 'IoT Valley': '2012-03-06' } },
  [FSD_CLOUD]: { constitutedOn: FRENCH_SOUTH_CREATED },
  [FSD_DIGITAL_ECONOMY]: { constitutedOn: FRENCH_SOUTH_CREATED },
  [FSD_DIGITAL_CREATION]: { constitutedOn: FRENCH_SOUTH_CREATED },
  // "Encore en suspens" in 2014: the schools and labs joined at the next academic year.
  [HIGHER_EDUCATION_RESEARCH]: { constitutedOn: '2015-09-01' },
  // Its founders, Soledge and Nelis, are start-ups of today (3 and 2 years old): so is the collège.
  [STARTUPS]: { constitutedOn: { yearsAgo: 1.5 } },
};

/** Seed of the history's generator: the consortium's convention (seed 004). */
export const HISTORY_SEED = 20091207;

const DAY_MS = 86_400_000;
/** Days after its founding before an organisation joins a cluster, at the earliest. */
const SETTLING_DAYS = 90;
/** Room kept between a member's first day and the seed day when a later event (a resignation…) must fit in. */
const ROOM_FOR_EVENTS_DAYS = 180;
/** How far back the events of the demo's members go. */
const RECENT_EVENTS_DAYS = 3 * 365;

const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOf = (day: number) => new Date(Math.round(day) * DAY_MS).toISOString().slice(0, 10);
const later = (a: string, b: string) => (a > b ? a : b);

/** The joining days of the demo's members, and the days of what happened to them since. */
export class MembershipCalendar {
  private readonly prng = new Prng(HISTORY_SEED);
  /** Yesterday: nobody joins on the seed day, and nothing is dated after it. */
  readonly lastDay: string;

  constructor(private readonly today: Date) {
    this.lastDay = isoDaysAgo(today, 1);
  }

  /** The day a collège was constituted. */
  constitutedOn(college: CollegeKey): string {
    const since = this.history(college).constitutedOn;
    return typeof since === 'string' ? since : isoDaysAgo(this.today, Math.floor(since.yearsAgo * 365.25));
  }

  /** A founder's first day: the constitution, or its own founding if it came later. */
  founderJoins(college: CollegeKey, foundedOn?: string): string {
    return later(this.constitutedOn(college), foundedOn ?? '');
  }

  /**
   * A member's first day: the day the story fixes for a named member, else a day drawn between the
   * first day it could join and yesterday (`roomForEvents`: early enough for a later event).
   */
  joins(college: CollegeKey, member: { name: string; foundedOn?: string }, roomForEvents = false): string {
    const fixed = this.history(college).named?.[member.name];
    if (fixed) return fixed;
    const settled = member.foundedOn ? isoOf(dayNumber(member.foundedOn) + SETTLING_DAYS) : '';
    const last = dayNumber(this.lastDay) - (roomForEvents ? ROOM_FOR_EVENTS_DAYS : 0);
    const first = Math.min(dayNumber(later(this.constitutedOn(college), settled)), last);
    // Most organisations join within their first years of being able to: the draw leans early.
    return isoOf(first + this.prng.next() ** 2 * (last - first));
  }

  /**
   * The day of an event in a membership that started on `startedOn`: a drawn day after it, in the
   * last few years (a suspension for unpaid dues is still in force), at the latest yesterday.
   */
  after(startedOn: string): string {
    const last = dayNumber(this.lastDay);
    const first = Math.min(Math.max(dayNumber(startedOn) + 1, last - RECENT_EVENTS_DAYS), last);
    return isoOf(first + this.prng.next() * (last - first));
  }

  /**
   * Which of a collège's generated members (by index) are among its founders: the `foundingMembers`
   * oldest of those founded by its constitution.
   */
  generatedFounders(college: CollegeKey, members: readonly { foundedOn?: string }[]): Set<number> {
    const count = this.history(college).foundingMembers ?? 0;
    const constituted = this.constitutedOn(college);
    const existing = members
      .map((member, index) => ({ index, foundedOn: member.foundedOn }))
      .filter((m): m is { index: number; foundedOn: string } => m.foundedOn !== undefined && m.foundedOn <= constituted)
      .sort((a, b) => a.foundedOn.localeCompare(b.foundedOn) || a.index - b.index);
    return new Set(existing.slice(0, count).map((m) => m.index));
  }

  private history(college: CollegeKey): CollegeHistory {
    const history = COLLEGE_HISTORY[college];
    if (!history) throw new Error(`seed: no history for the collège ${college}`);
    return history;
  }
}
