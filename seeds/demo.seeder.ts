import type { EntityManager } from '@mikro-orm/postgresql';
import { Seeder } from '@mikro-orm/seeder';
import { Role } from '../src/auth/role.js';
import { ClusterKind } from '../src/membership/cluster.entity.js';
import { seedFinance } from './finance.seeder-step.js';
import { BOARD_ACCOUNTS } from './governance-data.js';
import { seedGovernance } from './governance.seeder-step.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, EXTRA_COLLEGES, type CollegeKey } from './membership-data.js';
import { planMembership, seedMembership, type MembershipPlan } from './membership.seeder-step.js';
import { SeedKit } from './seed-kit.js';
import { defaultSeedLogger, SeedProgress, type SeedLogger } from './seed-progress.js';

export { DEMO_ACCOUNTS, DEMO_PASSWORD } from './membership-data.js';

/**
 * The situation the press documents describe (shared/seeds): France Clusters and its consortium
 * of clusters TIC; FrenchSouth.digital in Occitanie with its five collèges, their admission rules,
 * its charter of good practices and its general assembly; the three associations that are to merge
 * into it; DigitalPlace and Telecom Valley, each cluster with its administrator; the people and
 * organisations the documents name, and generated members, each with a contact person, so that
 * every collège has a believable membership (Telecom Valley: 150 members, 14 000 employees) and a
 * history: each member joined on its own day, since 1991 for Telecom Valley
 * (membership-history.ts).
 *
 * Everything goes through the services the API uses: rules are versioned, applications are
 * submitted and decided with each criterion's outcome (with a recorded override reason where a
 * seeded member does not meet one), representatives and board members hold mandates, the boards
 * have their statutes' rules, the fusion and the partnership are drafted as proposals (the
 * finance step freezes a subsidy until that fusion), and every write is audited. Each step logs
 * one line with its duration (`seed: <step>`), then the whole seed's.
 * Only the generated data is random, from seeded Prngs: two runs on the same day give the same
 * organisations, people and days.
 */
export class DemoSeeder extends Seeder {
  /** Where progress goes; `orm.seeder.seed(DemoSeeder)` gives none, so the app's level and format are used. */
  protected readonly logger: SeedLogger | null = null;

  /** The seeder, reporting its progress to `logger` (e.g. the app's pino logger). */
  static reportingTo(logger: SeedLogger): typeof DemoSeeder {
    return class extends DemoSeeder {
      protected override readonly logger = logger;
    };
  }

  /**
   * One transaction: a failed seed leaves nothing behind (so the next start seeds again), and the
   * first start commits (and syncs to disk) once instead of a thousand times. The services'
   * own transactions become savepoints in it.
   */
  async run(root: EntityManager): Promise<void> {
    const progress = new SeedProgress(this.logger ?? defaultSeedLogger());
    await root.transactional((em) => this.seed(em, progress));
    progress.done();
  }

  private async seed(em: EntityManager, progress: SeedProgress): Promise<void> {
    const kit = new SeedKit(em);
    const plan = planMembership(kit.clock());
    const collegeIds = await progress.step(
      'clusters and collèges',
      () => this.seedStructure(kit),
      (ids) => ({ colleges: ids.size }),
    );
    const accounts = await progress.step(
      'accounts',
      () => this.seedAccounts(kit, collegeIds, plan),
      (ids) => ({ accounts: ids.size }),
    );
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
    const { organisationId } = await seedMembership(kit, progress, { plan, account, collegeId });
    const { fusionProposalId } = await progress.step('governance', () =>
      seedGovernance(kit, { account, collegeId, organisationId, delegates: plan.delegates }),
    );
    await progress.step('finance', () => seedFinance(kit, account, fusionProposalId));
    // The story happened before anyone used Collegia: nobody is mailed about it. (The services
    // queued its messages as they would have then.) What is due now — an overdue instalment, a
    // vote closing — the scheduler's jobs queue at the first start, as for any real cluster.
    await em.execute('delete from notification');
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
   * Registers the demo accounts, the board members' and the general assembly delegates', and
   * grants the roles that are not representatives' or board members' (those come with their
   * mandates). One after the other: the whole seed is one transaction, on one connection. Returns
   * email → account id.
   */
  private async seedAccounts(kit: SeedKit, collegeIds: Map<CollegeKey, string>, plan: MembershipPlan): Promise<Map<string, string>> {
    const accounts = new Map<string, string>();
    for (const demo of [...DEMO_ACCOUNTS, ...BOARD_ACCOUNTS, ...plan.contactAccounts]) {
      // The demo's people are known: their accounts start verified (no link to open).
      const registered = await kit
        .as(null)
        .auth.register({ email: demo.email, displayName: demo.displayName, password: DEMO_PASSWORD }, { verified: true });
      accounts.set(demo.email, registered.id);
    }
    const clusterIds = new Map<string, string>();
    for (const demo of DEMO_ACCOUNTS) {
      // Representatives' and board members' rights come with their mandates; MEMBER with the
      // membership of the organisation the account acts for (Katia Vidic: Nelis).
      if (demo.role === Role.COLLEGE_REPRESENTATIVE || demo.role === Role.BOARD_MEMBER || demo.role === Role.MEMBER) continue;
      if (demo.cluster && !clusterIds.has(demo.cluster)) {
        clusterIds.set(demo.cluster, (await kit.as(null).clusters.findCluster({ slug: demo.cluster }))!.id);
      }
      const roles = kit.as(null).roles;
      const input = {
        accountId: accounts.get(demo.email)!,
        role: demo.role,
        clusterId: demo.cluster ? clusterIds.get(demo.cluster) : undefined,
        collegeId: demo.colleges?.length ? collegeIds.get(demo.colleges[0]) : undefined,
      };
      await roles.grant(input, await roles.scopeOfGrant(input));
    }
    return accounts;
  }
}
