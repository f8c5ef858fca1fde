import { Field, ObjectType } from 'type-graphql';
import { AdmissionRuleSet } from './admission-rule-set.entity.js';
import { CriterionResultType } from './admission.types.js';
import { Application } from './application.entity.js';
import { College } from './college.entity.js';
import { Organisation } from './organisation.entity.js';

@ObjectType({ description: 'What an application would get now against the rules in force: a dry run that writes nothing.' })
export class EligibilityReport {
  @Field(() => Organisation, { description: 'The organisation judged.' })
  organisation!: Organisation;

  @Field(() => College, { description: 'The collège applied to.' })
  college!: College;

  @Field(() => AdmissionRuleSet, { description: 'The rule version in force.' })
  ruleSet!: AdmissionRuleSet;

  @Field({ description: 'True when every criterion passed.' })
  eligible!: boolean;

  @Field(() => [CriterionResultType], { description: "Each criterion's outcome, with a readable detail." })
  criteria!: CriterionResultType[];
}

@ObjectType({ description: 'The application as it now stands.' })
export class ApplicationPayload {
  @Field(() => Application, { description: 'The application.' })
  application!: Application;
}

@ObjectType({ description: 'Result of setAdmissionRules.' })
export class SetAdmissionRulesPayload {
  @Field(() => AdmissionRuleSet, { description: 'The new rule version, now in force.' })
  ruleSet!: AdmissionRuleSet;
}
