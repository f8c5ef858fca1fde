import {
  Criterion,
  CriterionOutcome,
  criteriaProblems,
  evaluateCriteria,
  fullYearsBetween,
  isEligible,
  type ApplicantFacts,
} from './admission-criteria.js';
import { OrganisationKind } from './organisation-kind.js';

const today = new Date('2026-11-23T00:00:00Z');
const startup: ApplicantFacts = {
  kind: OrganisationKind.COMPANY,
  headcount: 12,
  foundedOn: new Date('2021-02-01T00:00:00Z'),
  departement: '34',
  region: 'Occitanie',
  affiliations: ['France Clusters'],
  sponsorCount: 0,
  charterSigned: true,
};

describe('evaluateCriteria', () => {
  it('judges each criterion with a readable detail', () => {
    const results = evaluateCriteria(
      { allowedKinds: [OrganisationKind.COMPANY], maxHeadcount: 50, maxAgeYears: 8, charterRequired: true },
      { ...startup, headcount: 320 },
      today,
    );
    expect(results).toEqual([
      { criterion: Criterion.ALLOWED_KINDS, outcome: CriterionOutcome.PASSED, detail: 'kind COMPANY is allowed' },
      { criterion: Criterion.MAX_HEADCOUNT, outcome: CriterionOutcome.FAILED, detail: 'headcount 320 > maximum 50' },
      { criterion: Criterion.MAX_AGE, outcome: CriterionOutcome.PASSED, detail: 'founded 2021-02-01, 5 years ago < maximum 8' },
      { criterion: Criterion.CHARTER, outcome: CriterionOutcome.PASSED, detail: 'current charter signed' },
    ]);
    expect(isEligible(results)).toBe(false);
  });

  it("applies the consortium's terms of seed 004: affiliated to France Clusters, clubs excluded", () => {
    const terms = {
      requiredAffiliations: ['France Clusters'],
      excludedKinds: [OrganisationKind.BUSINESS_CLUB, OrganisationKind.IT_USERS_ASSOCIATION, OrganisationKind.CIO_CLUB],
    };
    expect(
      isEligible(evaluateCriteria(terms, { ...startup, kind: OrganisationKind.CLUSTER, affiliations: ['france clusters '] }, today)),
    ).toBe(true);
    const club = evaluateCriteria(terms, { ...startup, kind: OrganisationKind.CIO_CLUB, affiliations: [] }, today);
    expect(club.map((r) => [r.criterion, r.outcome, r.detail])).toEqual([
      [Criterion.EXCLUDED_KINDS, CriterionOutcome.FAILED, 'kind CIO_CLUB is excluded'],
      [Criterion.REQUIRED_AFFILIATIONS, CriterionOutcome.FAILED, 'not affiliated to France Clusters'],
    ]);
  });

  it('leaves unknown facts and missing sponsors or signature pending, not failed', () => {
    const results = evaluateCriteria(
      { maxHeadcount: 50, maxAgeYears: 8, sponsorsRequired: 2, charterRequired: true, allowedRegions: ['Occitanie'] },
      { ...startup, headcount: null, foundedOn: null, sponsorCount: 1, charterSigned: false, region: null },
      today,
    );
    expect(results.every((r) => r.outcome === CriterionOutcome.PENDING)).toBe(true);
    expect(results.find((r) => r.criterion === Criterion.SPONSORS)!.detail).toBe('1 of 2 sponsoring members');
    expect(isEligible(results)).toBe(false);
  });

  it('counts age in full years: the day before the 8th anniversary is still under 8', () => {
    const founded = new Date('2018-11-24T00:00:00Z');
    expect(fullYearsBetween(founded, today)).toBe(7);
    expect(evaluateCriteria({ maxAgeYears: 8 }, { ...startup, foundedOn: founded }, today)[0].outcome).toBe(CriterionOutcome.PASSED);
    expect(evaluateCriteria({ maxAgeYears: 8 }, { ...startup, foundedOn: new Date('2018-11-23T00:00:00Z') }, today)[0].outcome).toBe(
      CriterionOutcome.FAILED,
    );
  });

  it('checks regions case-insensitively and départements exactly', () => {
    expect(evaluateCriteria({ allowedRegions: ['occitanie'] }, startup, today)[0].outcome).toBe(CriterionOutcome.PASSED);
    expect(evaluateCriteria({ allowedDepartements: ['31'] }, startup, today)[0]).toEqual({
      criterion: Criterion.ALLOWED_DEPARTEMENTS,
      outcome: CriterionOutcome.FAILED,
      detail: 'département 34 is not among 31',
    });
  });

  it('with no criteria, everyone is eligible', () => {
    expect(evaluateCriteria({}, startup, today)).toEqual([]);
    expect(isEligible([])).toBe(true);
  });
});

describe('criteriaProblems', () => {
  it('reports contradictions, each naming its field', () => {
    const problems = criteriaProblems({
      minHeadcount: 100,
      maxHeadcount: 50,
      allowedKinds: [OrganisationKind.COMPANY],
      excludedKinds: [OrganisationKind.COMPANY],
      allowedDepartements: ['20', '06'],
      allowedRegions: ['Occitanie', 'Atlantis'],
    });
    expect(problems.map((p) => p.field)).toEqual([
      'input.criteria.minHeadcount',
      'input.criteria.excludedKinds',
      'input.criteria.allowedDepartements',
      'input.criteria.allowedRegions',
      'input.criteria.allowedDepartements',
    ]);
    expect(problems[0].messages[0]).toBe('minimum headcount 100 is above the maximum 50');
  });

  it('accepts a coherent rule set', () => {
    expect(
      criteriaProblems({ minHeadcount: 1, maxHeadcount: 50, allowedDepartements: ['34', '31'], allowedRegions: ['Occitanie'] }),
    ).toEqual([]);
  });
});
