import type { FieldProblem } from '../shared/errors.js';
import { DEPARTEMENT_REGION, REGION_NAMES } from './french-identifiers.js';
import type { OrganisationKind } from './organisation-kind.js';

/**
 * A collège's admission criteria: data, not code. Every field is optional; an absent field
 * admits everyone on that point.
 */
export interface AdmissionCriteria {
  allowedKinds?: OrganisationKind[];
  excludedKinds?: OrganisationKind[];
  minHeadcount?: number;
  maxHeadcount?: number;
  /** Founded less than this many full years ago (a start-up "under 8 years": 8). */
  maxAgeYears?: number;
  /** Affiliations the organisation must declare, compared case-insensitively (e.g. "France Clusters"). */
  requiredAffiliations?: string[];
  allowedRegions?: string[];
  allowedDepartements?: string[];
  /** Active members of the collège who must sponsor the application. */
  sponsorsRequired?: number;
  /** A signature of the cluster's current charter of good practices. */
  charterRequired?: boolean;
}

export enum Criterion {
  ALLOWED_KINDS = 'ALLOWED_KINDS',
  EXCLUDED_KINDS = 'EXCLUDED_KINDS',
  MIN_HEADCOUNT = 'MIN_HEADCOUNT',
  MAX_HEADCOUNT = 'MAX_HEADCOUNT',
  MAX_AGE = 'MAX_AGE',
  REQUIRED_AFFILIATIONS = 'REQUIRED_AFFILIATIONS',
  ALLOWED_REGIONS = 'ALLOWED_REGIONS',
  ALLOWED_DEPARTEMENTS = 'ALLOWED_DEPARTEMENTS',
  SPONSORS = 'SPONSORS',
  CHARTER = 'CHARTER',
}

export enum CriterionOutcome {
  PASSED = 'PASSED',
  FAILED = 'FAILED',
  /** Not decided yet: a fact is unknown, or sponsors/charter signature may still come. */
  PENDING = 'PENDING',
}

export interface CriterionResult {
  criterion: Criterion;
  outcome: CriterionOutcome;
  /** Human-readable, e.g. "headcount 320 > maximum 250". */
  detail: string;
}

/** What the criteria are judged on. */
export interface ApplicantFacts {
  kind: OrganisationKind;
  headcount: number | null;
  foundedOn: Date | null;
  departement: string | null;
  region: string | null;
  affiliations: string[];
  sponsorCount: number;
  charterSigned: boolean;
}

const normalise = (text: string) => text.trim().toLocaleLowerCase('fr');

/** Full years between two dates. */
export function fullYearsBetween(from: Date, to: Date): number {
  let years = to.getUTCFullYear() - from.getUTCFullYear();
  const beforeAnniversary =
    to.getUTCMonth() < from.getUTCMonth() || (to.getUTCMonth() === from.getUTCMonth() && to.getUTCDate() < from.getUTCDate());
  if (beforeAnniversary) years -= 1;
  return years;
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** Judges each criterion that the rule set sets, in a fixed order. */
export function evaluateCriteria(criteria: AdmissionCriteria, facts: ApplicantFacts, today: Date): CriterionResult[] {
  const results: CriterionResult[] = [];
  const add = (criterion: Criterion, outcome: CriterionOutcome, detail: string) => results.push({ criterion, outcome, detail });
  const { PASSED, FAILED, PENDING } = CriterionOutcome;

  if (criteria.allowedKinds?.length) {
    const ok = criteria.allowedKinds.includes(facts.kind);
    add(
      Criterion.ALLOWED_KINDS,
      ok ? PASSED : FAILED,
      ok ? `kind ${facts.kind} is allowed` : `kind ${facts.kind} is not among ${criteria.allowedKinds.join(', ')}`,
    );
  }
  if (criteria.excludedKinds?.length) {
    const excluded = criteria.excludedKinds.includes(facts.kind);
    add(
      Criterion.EXCLUDED_KINDS,
      excluded ? FAILED : PASSED,
      excluded ? `kind ${facts.kind} is excluded` : `kind ${facts.kind} is not excluded`,
    );
  }
  if (criteria.minHeadcount !== undefined) {
    if (facts.headcount === null) add(Criterion.MIN_HEADCOUNT, PENDING, `headcount unknown (minimum ${criteria.minHeadcount})`);
    else if (facts.headcount < criteria.minHeadcount)
      add(Criterion.MIN_HEADCOUNT, FAILED, `headcount ${facts.headcount} < minimum ${criteria.minHeadcount}`);
    else add(Criterion.MIN_HEADCOUNT, PASSED, `headcount ${facts.headcount} ≥ minimum ${criteria.minHeadcount}`);
  }
  if (criteria.maxHeadcount !== undefined) {
    if (facts.headcount === null) add(Criterion.MAX_HEADCOUNT, PENDING, `headcount unknown (maximum ${criteria.maxHeadcount})`);
    else if (facts.headcount > criteria.maxHeadcount)
      add(Criterion.MAX_HEADCOUNT, FAILED, `headcount ${facts.headcount} > maximum ${criteria.maxHeadcount}`);
    else add(Criterion.MAX_HEADCOUNT, PASSED, `headcount ${facts.headcount} ≤ maximum ${criteria.maxHeadcount}`);
  }
  if (criteria.maxAgeYears !== undefined) {
    if (!facts.foundedOn) add(Criterion.MAX_AGE, PENDING, `founding date unknown (must be under ${criteria.maxAgeYears} years)`);
    else {
      const age = fullYearsBetween(facts.foundedOn, today);
      const ok = age < criteria.maxAgeYears;
      add(
        Criterion.MAX_AGE,
        ok ? PASSED : FAILED,
        `founded ${isoDate(facts.foundedOn)}, ${age} years ago ${ok ? '<' : '≥'} maximum ${criteria.maxAgeYears}`,
      );
    }
  }
  if (criteria.requiredAffiliations?.length) {
    const held = new Set(facts.affiliations.map(normalise));
    const missing = criteria.requiredAffiliations.filter((a) => !held.has(normalise(a)));
    add(
      Criterion.REQUIRED_AFFILIATIONS,
      missing.length ? FAILED : PASSED,
      missing.length ? `not affiliated to ${missing.join(', ')}` : `affiliated to ${criteria.requiredAffiliations.join(', ')}`,
    );
  }
  if (criteria.allowedRegions?.length) {
    const allowed = criteria.allowedRegions.map(normalise);
    if (!facts.region) add(Criterion.ALLOWED_REGIONS, PENDING, `region unknown (allowed: ${criteria.allowedRegions.join(', ')})`);
    else {
      const ok = allowed.includes(normalise(facts.region));
      add(
        Criterion.ALLOWED_REGIONS,
        ok ? PASSED : FAILED,
        ok ? `region ${facts.region} is allowed` : `region ${facts.region} is not among ${criteria.allowedRegions.join(', ')}`,
      );
    }
  }
  if (criteria.allowedDepartements?.length) {
    if (!facts.departement)
      add(Criterion.ALLOWED_DEPARTEMENTS, PENDING, `département unknown (allowed: ${criteria.allowedDepartements.join(', ')})`);
    else {
      const ok = criteria.allowedDepartements.includes(facts.departement);
      add(
        Criterion.ALLOWED_DEPARTEMENTS,
        ok ? PASSED : FAILED,
        ok
          ? `département ${facts.departement} is allowed`
          : `département ${facts.departement} is not among ${criteria.allowedDepartements.join(', ')}`,
      );
    }
  }
  if (criteria.sponsorsRequired) {
    const ok = facts.sponsorCount >= criteria.sponsorsRequired;
    add(Criterion.SPONSORS, ok ? PASSED : PENDING, `${facts.sponsorCount} of ${criteria.sponsorsRequired} sponsoring members`);
  }
  if (criteria.charterRequired) {
    add(
      Criterion.CHARTER,
      facts.charterSigned ? PASSED : PENDING,
      facts.charterSigned ? 'current charter signed' : 'current charter not signed yet',
    );
  }
  return results;
}

/** Eligible when every criterion passed. */
export function isEligible(results: CriterionResult[]): boolean {
  return results.every((r) => r.outcome === CriterionOutcome.PASSED);
}

/** Contradictions and unknown values in a rule set, each naming its field under `prefix`. */
export function criteriaProblems(criteria: AdmissionCriteria, prefix = 'input.criteria'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field: `${prefix}.${field}`, messages: [message] });
  if (criteria.minHeadcount !== undefined && criteria.maxHeadcount !== undefined && criteria.minHeadcount > criteria.maxHeadcount) {
    problem('minHeadcount', `minimum headcount ${criteria.minHeadcount} is above the maximum ${criteria.maxHeadcount}`);
  }
  const both = (criteria.allowedKinds ?? []).filter((k) => criteria.excludedKinds?.includes(k));
  if (both.length) problem('excludedKinds', `${both.join(', ')} cannot be both allowed and excluded`);
  const unknownDepartements = (criteria.allowedDepartements ?? []).filter((d) => !DEPARTEMENT_REGION.has(d));
  if (unknownDepartements.length) problem('allowedDepartements', `unknown département ${unknownDepartements.join(', ')}`);
  const regions = REGION_NAMES.map(normalise);
  const unknownRegions = (criteria.allowedRegions ?? []).filter((r) => !regions.includes(normalise(r)));
  if (unknownRegions.length) problem('allowedRegions', `unknown region ${unknownRegions.join(', ')}`);
  if (criteria.allowedDepartements?.length && criteria.allowedRegions?.length) {
    const allowedRegions = criteria.allowedRegions.map(normalise);
    const outside = criteria.allowedDepartements.filter((d) => {
      const region = DEPARTEMENT_REGION.get(d);
      return region && !allowedRegions.includes(normalise(region));
    });
    if (outside.length) problem('allowedDepartements', `département ${outside.join(', ')} lies outside the allowed regions`);
  }
  return problems;
}
