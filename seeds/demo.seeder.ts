import type { EntityManager } from '@mikro-orm/postgresql';
import { Seeder } from '@mikro-orm/seeder';
import { AuditService, SYSTEM_ACTOR } from '../src/audit/audit.service.js';
import { AuthService } from '../src/auth/auth.service.js';
import { LoginThrottle } from '../src/auth/login-throttle.js';
import { PasswordHasher } from '../src/auth/password.js';
import { Role } from '../src/auth/role.js';
import { RoleService } from '../src/auth/role.service.js';
import { ClusterKind } from '../src/membership/cluster.entity.js';
import { ClusterService } from '../src/membership/cluster.service.js';
import { clusterScope, collegeScope, GLOBAL } from '../src/auth/permissions.js';

/** Password of every demo account (documented in the README; demo data is never seeded in production). */
export const DEMO_PASSWORD = 'collegia-demo-2026';

/** The demo accounts, one per role, all scoped to FrenchSouth.digital where a scope applies. */
export const DEMO_ACCOUNTS = [
  { email: 'admin@collegia.example', displayName: 'Platform administrator', role: Role.ADMIN },
  { email: 'cluster-admin@frenchsouth.example', displayName: 'FrenchSouth.digital administrator', role: Role.CLUSTER_ADMIN },
  {
    email: 'maryam.bini@soledge.example',
    displayName: 'Maryam Bini (Soledge)',
    role: Role.COLLEGE_REPRESENTATIVE,
    college: 'startups-entrepreneurs',
  },
  { email: 'treasurer@frenchsouth.example', displayName: 'FrenchSouth.digital treasurer', role: Role.TREASURER },
  { email: 'board@frenchsouth.example', displayName: 'FrenchSouth.digital board member', role: Role.BOARD_MEMBER },
  { email: 'member@nelis.example', displayName: 'Katia Vidic (Nelis)', role: Role.MEMBER, college: 'startups-entrepreneurs' },
] as const;

/**
 * The situation the press documents describe (shared/seeds): France Clusters; FrenchSouth.digital
 * in Occitanie with its five collèges; the three associations that are to merge into it; and
 * two neighbouring clusters. It goes through the same services as the API, so it is audited.
 */
export class DemoSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    const audit = new AuditService();
    const clusters = new ClusterService(em, SYSTEM_ACTOR, audit);
    const roles = new RoleService(em, SYSTEM_ACTOR, audit, () => new Date());
    const auth = new AuthService(em, SYSTEM_ACTOR, {
      audit,
      hasher: new PasswordHasher(),
      throttle: new LoginThrottle(),
      clock: () => new Date(),
      sessionTtlHours: 1,
    });

    const franceClusters = await clusters.createCluster({
      name: 'France Clusters',
      slug: 'france-clusters',
      kind: ClusterKind.FEDERATION,
      description: 'National federation of about a hundred clusters and competitiveness poles, all branches.',
    });
    const frenchSouth = await clusters.createCluster({
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
    const collegeIds = new Map<string, string>();
    for (const college of colleges) {
      const created = await clusters.createCollege({ clusterId: frenchSouth.id, ...college });
      collegeIds.set(college.slug, created.id);
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
      const created = await clusters.createCluster({
        name: association.name,
        slug: association.slug,
        kind: ClusterKind.ASSOCIATION,
        parentId: franceClusters.id,
        region: 'Occitanie',
        description: `${association.description} To merge into FrenchSouth.digital.`,
      });
      await clusters.createCollege({ clusterId: created.id, name: association.college, slug: 'membres', theme: association.theme });
    }

    await clusters.createCluster({
      name: 'DigitalPlace',
      slug: 'digitalplace',
      kind: ClusterKind.CLUSTER,
      parentId: franceClusters.id,
      region: 'Occitanie',
      description: 'Digital cluster of Toulouse (Midi-Pyrénées); partnership convention with FrenchSouth.digital.',
    });
    await clusters.createCluster({
      name: 'Telecom Valley',
      slug: 'telecom-valley',
      kind: ClusterKind.CLUSTER,
      parentId: franceClusters.id,
      region: "Provence-Alpes-Côte d'Azur",
      description: 'Digital cluster of Sophia Antipolis, from Menton to Saint-Raphaël: 150 member organisations, about 14 000 employees.',
    });

    for (const demo of DEMO_ACCOUNTS) {
      const account = await auth.register({ email: demo.email, displayName: demo.displayName, password: DEMO_PASSWORD });
      const collegeSlug = 'college' in demo ? demo.college : undefined;
      const collegeId = collegeSlug ? collegeIds.get(collegeSlug) : undefined;
      const scope = demo.role === Role.ADMIN ? GLOBAL : collegeId ? collegeScope(frenchSouth.id, collegeId) : clusterScope(frenchSouth.id);
      await roles.grant(
        {
          accountId: account.id,
          role: demo.role,
          clusterId: scope.kind === 'GLOBAL' ? undefined : frenchSouth.id,
          collegeId,
        },
        scope,
      );
    }
  }
}
