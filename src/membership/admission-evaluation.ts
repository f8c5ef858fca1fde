import type { EntityManager } from '@mikro-orm/postgresql';
import { Criterion, evaluateCriteria, type CriterionResult } from './admission-criteria.js';
import { AdmissionRuleSet } from './admission-rule-set.entity.js';
import type { Application } from './application.entity.js';
import { Charter, CharterSignature } from './charter.entity.js';
import { College } from './college.entity.js';
import { Organisation } from './organisation.entity.js';
import { Sponsorship } from './sponsorship.entity.js';

/**
 * Judges an organisation against a rule version, with the sponsors (of `applicationId`, when it
 * exists) and the charter signatures known now: the facts `evaluateCriteria` needs, read.
 */
export async function judge(
  em: EntityManager,
  ruleSet: AdmissionRuleSet,
  organisation: Organisation,
  college: College,
  applicationId: string | null,
  now: Date,
): Promise<CriterionResult[]> {
  const sponsorCount = applicationId ? await em.count(Sponsorship, { application: applicationId }) : 0;
  const charter = await em.findOne(Charter, { cluster: college.cluster.id }, { orderBy: { version: 'desc' } });
  const charterSigned = charter ? (await em.count(CharterSignature, { charter, organisation })) > 0 : false;
  const results = evaluateCriteria(
    ruleSet.criteria,
    {
      kind: organisation.kind,
      headcount: organisation.headcount ?? null,
      foundedOn: organisation.foundedOn ? new Date(`${organisation.foundedOn}T00:00:00Z`) : null,
      departement: organisation.departement ?? null,
      region: organisation.region ?? null,
      affiliations: organisation.affiliations,
      sponsorCount,
      charterSigned,
    },
    now,
  );
  if (!charter) {
    for (const result of results) {
      if (result.criterion === Criterion.CHARTER) result.detail = 'the cluster has not published a charter yet';
    }
  }
  return results;
}

/** Re-judges an application on its own rule version (after a sponsorship, a charter signature, at review and decision). */
export async function rejudge(tx: EntityManager, application: Application, now: Date): Promise<void> {
  const organisation = await tx.findOneOrFail(Organisation, application.organisation.id);
  const college = await tx.findOneOrFail(College, application.college.id, { populate: ['cluster'] });
  const ruleSet = await tx.findOneOrFail(AdmissionRuleSet, application.ruleSet.id);
  application.criteriaResults = await judge(tx, ruleSet, organisation, college, application.id, now);
}
