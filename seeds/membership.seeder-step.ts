import { Role } from '../src/auth/role.js';
import { Decision } from '../src/membership/admission.service.js';
import { Membership } from '../src/membership/membership.entity.js';
import {
  generateOrganisations,
  GenerationRegistry,
  isoDaysAgo,
  newIdentifiers,
  websiteFor,
  type OrganisationSeed,
} from './french-organisations.js';
import { GENERAL_ASSEMBLY } from './governance-data.js';
import {
  CHARTER,
  COLLEGES,
  DEMO_ACCOUNTS,
  GENERATOR_SEED,
  MANDATE_YEARS,
  MEMBERSHIP_CHANGES,
  NAMED_ORGANISATIONS,
  QUEUED_APPLICATIONS,
  type CollegeKey,
  type CollegeSeed,
} from './membership-data.js';
import { MembershipCalendar } from './membership-history.js';
import { contactFor, PEOPLE_SEED, type ContactSeed } from './people.js';
import { Prng } from './prng.js';
import type { SeedKit } from './seed-kit.js';
import type { SeedProgress } from './seed-progress.js';

const FOUNDER_REASON = 'Membre fondateur : admis à la constitution du collège.';
const MEMBER_REASON = 'Adhésion validée par le représentant du collège.';
const ADMIN = 'admin@collegia.example';

/** The ISO day `years` years before `today`. */
export const yearsAgo = (today: Date, years: number) => isoDaysAgo(today, Math.floor(years * 365.25));

/** A generated member: the organisation, its contact person, and when it joined. */
export interface PlannedMember {
  seed: OrganisationSeed;
  contact: ContactSeed;
  joinsOn: string;
  /** Among the founders of its collège (admitted at its constitution, by nobody in particular). */
  founder: boolean;
  /** Its contact has an account (a general assembly delegate) and registers the organisation. */
  withAccount: boolean;
}

/**
 * Everything the membership step draws from its Prngs, drawn before anything is written: the
 * generated organisations, their contacts, every member's first day and the days of what happened
 * since. The accounts step needs some of it (the delegates' accounts), and the draws keep one
 * order whatever the writes do.
 */
export interface MembershipPlan {
  today: Date;
  /** The generator, for the review queues' fictional applicants, drawn after the members. */
  prng: Prng;
  registry: GenerationRegistry;
  generated: ReadonlyMap<CollegeKey, readonly PlannedMember[]>;
  /** The first day of each named member's membership, by `collège key|name`. */
  namedJoins: ReadonlyMap<string, string>;
  /** Contact people of the named member or applicant organisations that have no demo account, and of the fictional applicants. */
  contacts: ReadonlyMap<string, ContactSeed>;
  changes: readonly ((typeof MEMBERSHIP_CHANGES)[number] & { on: string })[];
  /** The accounts of the contacts who are delegates to FrenchSouth.digital's general assembly. */
  contactAccounts: readonly { email: string; displayName: string }[];
  /** The general assembly's delegates: organisation name → the delegate's email. */
  delegates: readonly { organisation: string; email: string }[];
}

const joinKey = (college: CollegeKey, name: string) => `${college}|${name}`;

export function planMembership(today: Date): MembershipPlan {
  const registry = new GenerationRegistry();
  const prng = new Prng(GENERATOR_SEED);
  // Names of the named organisations and of the review queues' applicants are taken before any is generated.
  for (const named of NAMED_ORGANISATIONS) registry.names.add(named.name);
  for (const queued of QUEUED_APPLICATIONS) if (typeof queued.organisation !== 'string') registry.names.add(queued.organisation.name);
  const calendar = new MembershipCalendar(today);
  const people = new Prng(PEOPLE_SEED);
  const named = (name: string) => {
    const organisation = NAMED_ORGANISATIONS.find((o) => o.name === name);
    if (!organisation) throw new Error(`seed: no named organisation ${name}`);
    return { ...organisation, foundedOn: organisation.ageYears === undefined ? undefined : yearsAgo(today, organisation.ageYears) };
  };

  const namedJoins = new Map<string, string>();
  const generated = new Map<CollegeKey, PlannedMember[]>();
  for (const college of COLLEGES) {
    for (const name of college.founders ?? [])
      namedJoins.set(joinKey(college.key, name), calendar.founderJoins(college.key, named(name).foundedOn));
    for (const name of college.named ?? []) namedJoins.set(joinKey(college.key, name), calendar.joins(college.key, named(name)));
    const seeds = college.generated ? generateOrganisations(college.generated, prng, registry, today) : [];
    const founders = calendar.generatedFounders(college.key, seeds);
    const changes = new Set(MEMBERSHIP_CHANGES.filter((c) => c.college === college.key).map((c) => c.member));
    const withDelegate = GENERAL_ASSEMBLY.delegates.firstGeneratedOf.includes(college.key);
    generated.set(
      college.key,
      seeds.map((seed, i) => ({
        seed,
        contact: contactFor(people, seed),
        joinsOn: founders.has(i) ? calendar.founderJoins(college.key, seed.foundedOn) : calendar.joins(college.key, seed, changes.has(i)),
        founder: founders.has(i),
        withAccount: withDelegate && i === 0,
      })),
    );
  }
  const changes = MEMBERSHIP_CHANGES.map((change) => {
    const member = generated.get(change.college)?.[change.member];
    if (!member) throw new Error(`seed: no generated member ${change.member} in ${change.college}`);
    return { ...change, on: calendar.after(member.joinsOn) };
  });

  // The named members and applicants without a demo account get a contact person, as the fictional applicants do.
  const concerned = new Set([
    ...COLLEGES.flatMap((c) => [...(c.founders ?? []), ...(c.named ?? [])]),
    ...QUEUED_APPLICATIONS.map((q) => (typeof q.organisation === 'string' ? q.organisation : q.organisation.name)),
  ]);
  const contacts = new Map<string, ContactSeed>();
  for (const organisation of NAMED_ORGANISATIONS) {
    if (concerned.has(organisation.name) && !organisation.contact) contacts.set(organisation.name, contactFor(people, organisation));
  }
  for (const queued of QUEUED_APPLICATIONS) {
    if (typeof queued.organisation !== 'string') contacts.set(queued.organisation.name, contactFor(people, queued.organisation));
  }

  const delegated = [...generated.values()].flat().filter((m) => m.withAccount);
  return {
    today,
    prng,
    registry,
    generated,
    namedJoins,
    contacts,
    changes,
    contactAccounts: delegated.map((m) => ({ email: m.contact.email, displayName: `${m.contact.fullName} (${m.seed.name})` })),
    delegates: [
      ...GENERAL_ASSEMBLY.delegates.named.map((name) => {
        const contact = named(name).contact;
        if (!contact) throw new Error(`seed: ${name} has no contact to be its delegate`);
        return { organisation: name, email: contact.email };
      }),
      ...delegated.map((m) => ({ organisation: m.seed.name, email: m.contact.email })),
    ],
  };
}

/**
 * The membership part of the demo (membership-data.ts), played through the services the API
 * uses, each member on the day it joined (membership-history.ts): the charter and the collèges'
 * rules; the organisations the documents name, registered by their people; the founders admitted
 * at their collège's constitution; the representatives' mandates; the members, each with its
 * contact person, applying and admitted by their collège's representative (or automatically);
 * the review queues; what happened to a few members since. Returns the organisations' ids by name.
 */
export async function seedMembership(
  kit: SeedKit,
  progress: SeedProgress,
  ids: { plan: MembershipPlan; account: (email: string) => string; collegeId: (key: CollegeKey) => string },
): Promise<{ organisationId: (name: string) => string }> {
  const { plan, account, collegeId } = ids;
  const today = plan.today;
  /** The (first) representative of a collège: who decides, and who applies on an organisation's behalf. */
  const representativeOf = (key: CollegeKey) => {
    const rep = DEMO_ACCOUNTS.find((a) => a.role === Role.COLLEGE_REPRESENTATIVE && a.colleges?.includes(key));
    return rep ? account(rep.email) : null;
  };
  const admitter = (college: CollegeSeed) => representativeOf(college.key) ?? account(ADMIN);
  const organisationIds = new Map<string, string>();
  const organisationId = (name: string) => {
    const id = organisationIds.get(name);
    if (!id) throw new Error(`seed: no organisation ${name}`);
    return id;
  };
  const contactOf = (name: string) => {
    const contact = NAMED_ORGANISATIONS.find((o) => o.name === name)?.contact;
    return contact ? account(contact.email) : null;
  };
  const namedJoin = (college: CollegeKey, name: string) => {
    const day = plan.namedJoins.get(joinKey(college, name));
    if (!day) throw new Error(`seed: no first day for ${name} in ${college}`);
    return day;
  };

  const charterCluster = (await kit.as(null).clusters.findCluster({ slug: CHARTER.cluster }))!;
  await progress.step(
    'charter and admission rules',
    async () => {
      await kit
        .as(account(CHARTER.publishedBy))
        .charters.publish({ clusterId: charterCluster.id, title: CHARTER.title, text: CHARTER.text });
      for (const college of COLLEGES) {
        await kit.as(account(college.rulesSetBy)).admission.setAdmissionRules({
          collegeId: collegeId(college.key),
          criteria: college.criteria,
          decisionMode: college.decisionMode,
          note: college.note,
        });
      }
    },
    () => ({ colleges: COLLEGES.length }),
  );

  // The organisations the documents name; their people register them with their own account.
  await progress.step(
    'named organisations',
    async () => {
      for (const named of NAMED_ORGANISATIONS) {
        const { ageYears, contact, ...fields } = named;
        const input = { ...fields, foundedOn: ageYears === undefined ? undefined : yearsAgo(today, ageYears) };
        const contactId = contact ? account(contact.email) : null;
        // Its person: the one with a demo account, who registers it; else an invented contact, recorded by the system.
        const person = contact
          ? { fullName: contact.fullName, email: contact.email, roleInOrganisation: contact.roleInOrganisation }
          : plan.contacts.get(named.name);
        const created = await kit.as(contactId).organisations.createOrganisation({ ...input, contact: person }, contactId);
        organisationIds.set(named.name, created.id);
      }
    },
    () => ({ organisations: organisationIds.size }),
  );

  // Founding members: the organisations that sign the charter sign it first, then apply; they are
  // admitted at the constitution of their collège, before its representatives are elected.
  let founders = 0;
  await progress.step(
    'founding members',
    async () => {
      for (const college of COLLEGES) {
        for (const name of college.founders ?? []) {
          const contactId = contactOf(name);
          if (contactId && college.key.startsWith(`${CHARTER.cluster}/`)) {
            await kit.as(contactId).charters.sign({ organisationId: organisationId(name), clusterId: charterCluster.id });
          }
          await kit.admit({
            organisationId: organisationId(name),
            organisationName: name,
            collegeId: collegeId(college.key),
            submittedBy: contactId,
            decidedBy: null,
            reason: FOUNDER_REASON,
            on: namedJoin(college.key, name),
            overrides: college.overrides,
          });
          founders += 1;
        }
      }
    },
    () => ({ memberships: founders }),
  );

  // The collèges elect their representatives: a mandate each, which carries the right to decide.
  const mandateEnd = new Date(today);
  mandateEnd.setUTCFullYear(mandateEnd.getUTCFullYear() + MANDATE_YEARS);
  let mandates = 0;
  await progress.step(
    'representatives',
    async () => {
      for (const demo of DEMO_ACCOUNTS) {
        if (demo.role !== Role.COLLEGE_REPRESENTATIVE) continue;
        for (const key of demo.colleges ?? []) {
          await kit
            .as(account(ADMIN))
            .representatives.appoint({ collegeId: collegeId(key), accountId: account(demo.email), startsAt: today, endsAt: mandateEnd });
          mandates += 1;
        }
      }
    },
    () => ({ mandates }),
  );

  // The members, collège by collège: the named ones, then the generated ones, each on its day.
  const generatedIds = new Map<CollegeKey, string[]>();
  for (const college of COLLEGES) {
    const planned = plan.generated.get(college.key) ?? [];
    if (!college.named?.length && !planned.length) continue;
    const ids: string[] = [];
    generatedIds.set(college.key, ids);
    await progress.step(
      `members of ${college.key}`,
      async () => {
        for (const name of college.named ?? []) {
          await kit.admit({
            organisationId: organisationId(name),
            organisationName: name,
            collegeId: collegeId(college.key),
            submittedBy: contactOf(name) ?? admitter(college),
            decidedBy: representativeOf(college.key),
            reason: MEMBER_REASON,
            on: namedJoin(college.key, name),
            overrides: college.overrides,
          });
        }
        for (const member of planned) ids.push(await admitGenerated(college, member));
      },
      () => ({ members: (college.named?.length ?? 0) + planned.length, contacts: planned.length }),
    );
  }

  /**
   * Registers a generated organisation with its contact person and admits it on its day. A
   * delegate registers their own organisation (and becomes its contact); otherwise the
   * representative (or the administrator) registers it on its behalf and records its contact.
   */
  async function admitGenerated(college: CollegeSeed, member: PlannedMember): Promise<string> {
    let submittedBy: string;
    let id: string;
    if (member.withAccount) {
      submittedBy = account(member.contact.email);
      id = (await kit.as(submittedBy).organisations.createOrganisation({ ...member.seed, contact: member.contact }, submittedBy)).id;
    } else {
      submittedBy = admitter(college);
      id = (await kit.as(submittedBy).organisations.createOrganisation({ ...member.seed, contact: member.contact }, null)).id;
    }
    organisationIds.set(member.seed.name, id);
    await kit.admit({
      organisationId: id,
      organisationName: member.seed.name,
      collegeId: collegeId(college.key),
      // Founders come from the collège's constitution, before anyone applied through Collegia.
      submittedBy: member.founder ? null : submittedBy,
      decidedBy: member.founder ? null : representativeOf(college.key),
      reason: member.founder ? FOUNDER_REASON : MEMBER_REASON,
      on: member.joinsOn,
      overrides: college.overrides,
    });
    return id;
  }

  await progress.step(
    'review queues',
    () => seedQueues(kit, plan, { collegeId, organisationId, admitter: (key) => admitter(college(key)), account }),
    () => ({ applications: QUEUED_APPLICATIONS.length }),
  );

  // What happened to a few members since they joined, on its day.
  await progress.step(
    'membership changes',
    async () => {
      for (const change of plan.changes) {
        const organisation = generatedIds.get(change.college)?.[change.member];
        if (!organisation) throw new Error(`seed: no generated member ${change.member} in ${change.college}`);
        const membership = await kit
          .as(null)
          .em.findOneOrFail(Membership, { organisation, college: collegeId(change.college), endedOn: null });
        await kit.as(representativeOf(change.college), change.on).memberships.change(change.operation, membership.id, change.reason);
      }
    },
    () => ({ changes: plan.changes.length }),
  );

  return { organisationId };
}

function college(key: CollegeKey): CollegeSeed {
  const found = COLLEGES.find((c) => c.key === key);
  if (!found) throw new Error(`seed: no collège ${key}`);
  return found;
}

/** Applications left pending in the review queues, a rejection or two and a withdrawal. */
async function seedQueues(
  kit: SeedKit,
  plan: MembershipPlan,
  ctx: {
    collegeId: (key: CollegeKey) => string;
    organisationId: (name: string) => string;
    admitter: (key: CollegeKey) => string;
    account: (email: string) => string;
  },
): Promise<void> {
  for (const queued of QUEUED_APPLICATIONS) {
    const by = ctx.admitter(queued.college);
    let organisationId: string;
    if (typeof queued.organisation === 'string') {
      organisationId = ctx.organisationId(queued.organisation);
    } else {
      const { ageYears, ...fields } = queued.organisation;
      const seed: OrganisationSeed = {
        ...fields,
        ...newIdentifiers(plan.prng, plan.registry),
        foundedOn: yearsAgo(plan.today, ageYears),
        website: websiteFor(fields.name),
      };
      organisationId = (await kit.as(by).organisations.createOrganisation({ ...seed, contact: plan.contacts.get(fields.name) }, null)).id;
    }
    const application = await kit.as(by).admission.submitApplication(organisationId, ctx.collegeId(queued.college));
    if (queued.state === 'UNDER_REVIEW') await kit.as(by).admission.startReview(application.id);
    if (queued.state === 'REJECTED') {
      await kit.as(by).admission.decideApplication({ applicationId: application.id, decision: Decision.REJECT, reason: queued.reason });
    }
    if (queued.state === 'WITHDRAWN') await kit.as(ctx.account(ADMIN)).admission.withdrawApplication(application.id);
  }
}
