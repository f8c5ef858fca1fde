import type { EntityManager } from '@mikro-orm/postgresql';
import { Seeder } from '@mikro-orm/seeder';
import { Role } from '../src/auth/role.js';
import { ClusterKind } from '../src/membership/cluster.entity.js';
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
import {
  CHARTER,
  COLLEGES,
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  EXTRA_COLLEGES,
  GENERATOR_SEED,
  MANDATE_YEARS,
  MEMBERSHIP_CHANGES,
  NAMED_ORGANISATIONS,
  QUEUED_APPLICATIONS,
  type CollegeKey,
  type CollegeSeed,
} from './membership-data.js';
import { seedFinance } from './finance.seeder-step.js';
import { seedGovernance } from './governance.seeder-step.js';
import { Prng } from './prng.js';
import { SeedKit } from './seed-kit.js';

export { DEMO_ACCOUNTS, DEMO_PASSWORD } from './membership-data.js';

const FOUNDER_REASON = 'Membre fondateur : admis à la constitution du collège.';
const MEMBER_REASON = 'Adhésion validée par le représentant du collège.';

const yearsAgo = (today: Date, years: number) => isoDaysAgo(today, Math.floor(years * 365.25));

/**
 * The situation the press documents describe (shared/seeds): France Clusters and its consortium
 * of clusters TIC; FrenchSouth.digital in Occitanie with its five collèges, their admission rules
 * and its charter of good practices; the three associations that are to merge into it; DigitalPlace
 * and Telecom Valley; the people and organisations the documents name, and generated members so
 * that every collège has a believable membership (Telecom Valley: 150 members, 14 000 employees).
 *
 * Everything goes through the services the API uses: rules are versioned, applications are
 * submitted and decided with each criterion's outcome (with a recorded override reason where a
 * seeded member does not meet one), representatives and board members hold mandates, the boards
 * have their statutes' rules, the fusion and the partnership are drafted as proposals (the
 * finance step freezes a subsidy until that fusion), and every write is audited.
 * Only the generated data is random, from a seeded Prng: two runs on the same day give the same
 * organisations.
 */
export class DemoSeeder extends Seeder {
  /**
   * One transaction: a failed seed leaves nothing behind (so the next start seeds again), and the
   * first start commits (and syncs to disk) once instead of a thousand times. The services'
   * own transactions become savepoints in it.
   */
  async run(root: EntityManager): Promise<void> {
    await root.transactional((em) => this.seed(em));
  }

  private async seed(em: EntityManager): Promise<void> {
    const kit = new SeedKit(em);
    const today = kit.clock();
    const collegeIds = await this.seedStructure(kit);
    const accounts = await this.seedAccounts(kit, collegeIds);
    const account = (email: string) => {
      const id = accounts.get(email);
      if (!id) throw new Error(`seed: no demo account ${email}`);
      return id;
    };
    const collegeId = (key: CollegeKey) => {
      const id = collegeIds.get(key);
      if (!id) throw new Error(`seed: no collège ${key}`);
      return id;
    };
    /** The (first) representative of a collège: who decides, and who applies on an organisation's behalf. */
    const representativeOf = (key: CollegeKey) => {
      const rep = DEMO_ACCOUNTS.find((a) => a.role === Role.COLLEGE_REPRESENTATIVE && a.colleges?.includes(key));
      return rep ? account(rep.email) : null;
    };

    const charterCluster = (await kit.as(null).clusters.findCluster({ slug: CHARTER.cluster }))!;
    await kit.as(account(CHARTER.publishedBy)).charters.publish({ clusterId: charterCluster.id, title: CHARTER.title, text: CHARTER.text });

    for (const college of COLLEGES) {
      await kit.as(account(college.rulesSetBy)).admission.setAdmissionRules({
        collegeId: collegeId(college.key),
        criteria: college.criteria,
        decisionMode: college.decisionMode,
        note: college.note,
      });
    }

    // The organisations the documents name; their people register them with their own account.
    const registry = new GenerationRegistry();
    const prng = new Prng(GENERATOR_SEED);
    const organisationIds = new Map<string, string>();
    for (const named of NAMED_ORGANISATIONS) {
      registry.names.add(named.name);
      const { ageYears, contact, ...fields } = named;
      const input = { ...fields, foundedOn: ageYears === undefined ? undefined : yearsAgo(today, ageYears) };
      const contactId = contact ? account(contact.email) : null;
      const created = await kit
        .as(contactId)
        .organisations.createOrganisation(
          contact
            ? { ...input, contact: { fullName: contact.fullName, email: contact.email, roleInOrganisation: contact.roleInOrganisation } }
            : input,
          contactId,
        );
      organisationIds.set(named.name, created.id);
    }
    // Names of the fictional applicants of the review queues are taken before any is generated.
    for (const queued of QUEUED_APPLICATIONS) if (typeof queued.organisation !== 'string') registry.names.add(queued.organisation.name);
    const contactOf = (name: string) => {
      const contact = NAMED_ORGANISATIONS.find((o) => o.name === name)?.contact;
      return contact ? account(contact.email) : null;
    };
    const organisationId = (name: string) => {
      const id = organisationIds.get(name);
      if (!id) throw new Error(`seed: no organisation ${name}`);
      return id;
    };

    // Founding members: the organisations that sign the charter sign it first, then apply; they
    // are admitted at the constitution of their collège, before its representatives are elected.
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
          overrides: college.overrides,
        });
      }
    }

    // The collèges elect their representatives: a mandate each, which carries the right to decide.
    const mandateEnd = new Date(today);
    mandateEnd.setUTCFullYear(mandateEnd.getUTCFullYear() + MANDATE_YEARS);
    for (const demo of DEMO_ACCOUNTS) {
      if (demo.role !== Role.COLLEGE_REPRESENTATIVE) continue;
      for (const key of demo.colleges ?? []) {
        await kit
          .as(account('admin@collegia.example'))
          .representatives.appoint({ collegeId: collegeId(key), accountId: account(demo.email), startsAt: today, endsAt: mandateEnd });
      }
    }

    // Named members admitted by the representatives, then the generated ones.
    const admitter = (college: CollegeSeed) => representativeOf(college.key) ?? account('admin@collegia.example');
    for (const college of COLLEGES) {
      for (const name of college.named ?? []) {
        await kit.admit({
          organisationId: organisationId(name),
          organisationName: name,
          collegeId: collegeId(college.key),
          submittedBy: contactOf(name) ?? admitter(college),
          decidedBy: representativeOf(college.key),
          reason: MEMBER_REASON,
          overrides: college.overrides,
        });
      }
    }
    const generatedMembers = new Map<CollegeKey, string[]>();
    for (const college of COLLEGES) {
      const ids: string[] = [];
      generatedMembers.set(college.key, ids);
      for (const seed of college.generated ? generateOrganisations(college.generated, prng, registry, today) : []) {
        // A representative (or the administrator) registers the organisation on its behalf, and applies.
        const created = await kit.as(admitter(college)).organisations.createOrganisation(seed, null);
        ids.push(created.id);
        await kit.admit({
          organisationId: created.id,
          organisationName: seed.name,
          collegeId: collegeId(college.key),
          submittedBy: admitter(college),
          decidedBy: representativeOf(college.key),
          reason: MEMBER_REASON,
          overrides: college.overrides,
        });
      }
    }

    await this.seedQueues(kit, {
      today,
      prng,
      registry,
      collegeId,
      organisationId,
      admitter: (key) => admitter(this.college(key)),
      account,
    });

    for (const change of MEMBERSHIP_CHANGES) {
      const organisation = generatedMembers.get(change.college)?.[change.member];
      if (!organisation) throw new Error(`seed: no generated member ${change.member} in ${change.college}`);
      const membership = await em
        .fork({ keepTransactionContext: true })
        .findOneOrFail(Membership, { organisation, college: collegeId(change.college), endedOn: null });
      await kit.as(representativeOf(change.college)).memberships.change(change.operation, membership.id, change.reason);
    }

    const { fusionProposalId } = await seedGovernance(kit, { account, collegeId });
    await seedFinance(kit, account, fusionProposalId);
  }

  private college(key: CollegeKey): CollegeSeed {
    const college = COLLEGES.find((c) => c.key === key);
    if (!college) throw new Error(`seed: no collège ${key}`);
    return college;
  }

  /** France Clusters, FrenchSouth.digital and its five collèges, the three associations, DigitalPlace, Telecom Valley. */
  private async seedStructure(kit: SeedKit): Promise<Map<CollegeKey, string>> {
    const clusters = () => kit.as(null).clusters;
    const collegeIds = new Map<CollegeKey, string>();
    const franceClusters = await clusters().createCluster({
      name: 'France Clusters',
      slug: 'france-clusters',
      kind: ClusterKind.FEDERATION,
      description: 'National federation of about a hundred clusters and competitiveness poles, all branches.',
    });
    const frenchSouth = await clusters().createCluster({
      name: 'FrenchSouth.digital',
      slug: 'frenchsouth-digital',
      kind: ClusterKind.CLUSTER,
      parentId: franceClusters.id,
      region: 'Occitanie',
      description:
        'Regional digital cluster (code name "South French Digital") born from the federation of Media Cloud Cluster, Novae LR and PixLR, organised in autonomous thematic collèges.',
    });
    const colleges = [
      { slug: 'startups-entrepreneurs', name: 'Start-ups & Entrepreneurs', theme: 'start-ups and entrepreneurs (French Tech)' },
      { slug: 'enseignement-superieur-recherche', name: 'Enseignement supérieur & recherche', theme: 'higher education and research' },
      { slug: 'cloud', name: 'Cloud', theme: 'cloud computing and hosting' },
      { slug: 'economie-numerique', name: 'Économie numérique', theme: 'digital economy' },
      { slug: 'creation-numerique', name: 'Création numérique', theme: 'digital creation' },
    ];
    for (const college of colleges) {
      const created = await clusters().createCollege({ clusterId: frenchSouth.id, ...college });
      collegeIds.set(`${frenchSouth.slug}/${college.slug}`, created.id);
    }

    const associations = [
      {
        name: 'Media Cloud Cluster',
        slug: 'media-cloud-cluster',
        college: 'Cloud',
        theme: 'cloud computing',
        description: 'Association of the cloud branch (MCC), Languedoc-Roussillon.',
      },
      {
        name: 'Novae LR',
        slug: 'novae-lr',
        college: 'Économie numérique',
        theme: 'digital economy',
        description: 'Association of the digital economy branch, Languedoc-Roussillon.',
      },
      {
        name: 'PixLR',
        slug: 'pixlr',
        college: 'Création numérique',
        theme: 'digital creation',
        description: 'Association of the digital creation branch, Languedoc-Roussillon.',
      },
    ];
    for (const association of associations) {
      const created = await clusters().createCluster({
        name: association.name,
        slug: association.slug,
        kind: ClusterKind.ASSOCIATION,
        parentId: franceClusters.id,
        region: 'Occitanie',
        description: `${association.description} To merge into FrenchSouth.digital.`,
      });
      const college = await clusters().createCollege({
        clusterId: created.id,
        name: association.college,
        slug: 'membres',
        theme: association.theme,
      });
      collegeIds.set(`${created.slug}/membres`, college.id);
    }

    await clusters().createCluster({
      name: 'DigitalPlace',
      slug: 'digitalplace',
      kind: ClusterKind.CLUSTER,
      parentId: franceClusters.id,
      region: 'Occitanie',
      description: 'Digital cluster of Toulouse (Midi-Pyrénées); partnership convention with FrenchSouth.digital.',
    });
    await clusters().createCluster({
      name: 'Telecom Valley',
      slug: 'telecom-valley',
      kind: ClusterKind.CLUSTER,
      parentId: franceClusters.id,
      region: "Provence-Alpes-Côte d'Azur",
      description: 'Digital cluster of Sophia Antipolis, from Menton to Saint-Raphaël: 150 member organisations, about 14 000 employees.',
    });

    for (const extra of EXTRA_COLLEGES) {
      const cluster = (await clusters().findCluster({ slug: extra.cluster }))!;
      const { cluster: _slug, ...college } = extra;
      const created = await clusters().createCollege({ clusterId: cluster.id, ...college });
      collegeIds.set(`${extra.cluster}/${extra.slug}`, created.id);
    }
    return collegeIds;
  }

  /**
   * Registers the demo accounts and grants the roles that are not representatives' or board
   * members' (those come with their mandates; board seats are filled by the governance step).
   * One after the other: the whole seed is one transaction, on one connection. Returns email →
   * account id.
   */
  private async seedAccounts(kit: SeedKit, collegeIds: Map<CollegeKey, string>): Promise<Map<string, string>> {
    const registered = [];
    for (const demo of DEMO_ACCOUNTS) {
      registered.push(await kit.as(null).auth.register({ email: demo.email, displayName: demo.displayName, password: DEMO_PASSWORD }));
    }
    const accounts = new Map(registered.map((a, i) => [DEMO_ACCOUNTS[i].email, a.id]));
    for (const [i, demo] of DEMO_ACCOUNTS.entries()) {
      if (demo.role === Role.COLLEGE_REPRESENTATIVE || demo.role === Role.BOARD_MEMBER) continue;
      const roles = kit.as(null).roles;
      const input = {
        accountId: registered[i].id,
        role: demo.role,
        clusterId: demo.cluster ? (await kit.as(null).clusters.findCluster({ slug: demo.cluster }))!.id : undefined,
        collegeId: demo.colleges?.length ? collegeIds.get(demo.colleges[0]) : undefined,
      };
      await roles.grant(input, await roles.scopeOfGrant(input));
    }
    return accounts;
  }

  /** Applications left pending in the review queues, a rejection or two and a withdrawal. */
  private async seedQueues(
    kit: SeedKit,
    ctx: {
      today: Date;
      prng: Prng;
      registry: GenerationRegistry;
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
          ...newIdentifiers(ctx.prng, ctx.registry),
          foundedOn: yearsAgo(ctx.today, ageYears),
          website: websiteFor(fields.name),
        };
        organisationId = (await kit.as(by).organisations.createOrganisation(seed, null)).id;
      }
      const application = await kit.as(by).admission.submitApplication(organisationId, ctx.collegeId(queued.college));
      if (queued.state === 'UNDER_REVIEW') await kit.as(by).admission.startReview(application.id);
      if (queued.state === 'REJECTED') {
        await kit.as(by).admission.decideApplication({ applicationId: application.id, decision: Decision.REJECT, reason: queued.reason });
      }
      if (queued.state === 'WITHDRAWN') await kit.as(ctx.account('admin@collegia.example')).admission.withdrawApplication(application.id);
    }
  }
}
