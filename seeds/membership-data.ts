/**
 * The demo's membership data, as plain data: accounts, collèges and their admission rules, the
 * charter of good practices, the organisations and people the press documents name
 * (../shared/seeds), the profiles from which the rest of the members are generated, and a few
 * applications left in the review queues. demo.seeder.ts plays it through the services.
 */
import { Role } from '../src/auth/role.js';
import { Criterion, type AdmissionCriteria } from '../src/membership/admission-criteria.js';
import { DecisionMode } from '../src/membership/admission-rule-set.entity.js';
import { SizeClass } from '../src/membership/french-identifiers.js';
import { OrganisationKind } from '../src/membership/organisation-kind.js';
import type { OrganisationProfile, OrganisationSeed } from './french-organisations.js';

const { COMPANY, HIGHER_EDUCATION, RESEARCH_LAB, PUBLIC_BODY, ASSOCIATION, CLUSTER, BUSINESS_CLUB, IT_USERS_ASSOCIATION, CIO_CLUB } =
  OrganisationKind;
const { TPE, PME, ETI, GE } = SizeClass;

/** Password of every demo account (documented in the README; demo data is never seeded in production). */
export const DEMO_PASSWORD = 'collegia-demo-2026';

/** A collège, as `cluster-slug/college-slug`. */
export type CollegeKey = `${string}/${string}`;

export interface DemoAccount {
  email: string;
  displayName: string;
  role: Role;
  /** CLUSTER_ADMIN, TREASURER, BOARD_MEMBER: the cluster of the grant. */
  cluster?: string;
  /** MEMBER: the collège of the grant. COLLEGE_REPRESENTATIVE: the collèges of their mandates. */
  colleges?: readonly CollegeKey[];
}

export const FRENCH_SOUTH = 'frenchsouth-digital';
export const STARTUPS: CollegeKey = 'frenchsouth-digital/startups-entrepreneurs';
export const HIGHER_EDUCATION_RESEARCH: CollegeKey = 'frenchsouth-digital/enseignement-superieur-recherche';
export const FSD_CLOUD: CollegeKey = 'frenchsouth-digital/cloud';
export const FSD_DIGITAL_ECONOMY: CollegeKey = 'frenchsouth-digital/economie-numerique';
export const FSD_DIGITAL_CREATION: CollegeKey = 'frenchsouth-digital/creation-numerique';
export const MCC: CollegeKey = 'media-cloud-cluster/membres';
export const NOVAE: CollegeKey = 'novae-lr/membres';
export const PIXLR: CollegeKey = 'pixlr/membres';
export const TELECOM_VALLEY: CollegeKey = 'telecom-valley/adherents';
export const DIGITALPLACE: CollegeKey = 'digitalplace/adherents';
export const CONSORTIUM: CollegeKey = 'france-clusters/consortium-clusters-tic';

/**
 * The demo accounts. Representatives get their right through a mandate
 * (representatives.appoint), like an elected representative, and board members through their
 * seat's mandate (bodies.appoint, governance-data.ts); the others through a role grant.
 */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { email: 'admin@collegia.example', displayName: 'Platform administrator', role: Role.ADMIN },
  {
    email: 'cluster-admin@frenchsouth.example',
    displayName: 'FrenchSouth.digital administrator',
    role: Role.CLUSTER_ADMIN,
    cluster: FRENCH_SOUTH,
  },
  { email: 'maryam.bini@soledge.example', displayName: 'Maryam Bini (Soledge)', role: Role.COLLEGE_REPRESENTATIVE, colleges: [STARTUPS] },
  { email: 'treasurer@frenchsouth.example', displayName: 'FrenchSouth.digital treasurer', role: Role.TREASURER, cluster: FRENCH_SOUTH },
  { email: 'board@frenchsouth.example', displayName: 'FrenchSouth.digital board member', role: Role.BOARD_MEMBER, cluster: FRENCH_SOUTH },
  { email: 'member@nelis.example', displayName: 'Katia Vidic (Nelis)', role: Role.MEMBER, colleges: [STARTUPS] },
  {
    email: 'thomas.fraisse@epitech.example',
    displayName: 'Thomas Fraisse (Epitech)',
    role: Role.COLLEGE_REPRESENTATIVE,
    colleges: [HIGHER_EDUCATION_RESEARCH],
  },
  {
    email: 'alain.molinie@mediacloudcluster.example',
    displayName: 'Alain Molinié (Media Cloud Cluster)',
    role: Role.COLLEGE_REPRESENTATIVE,
    colleges: [MCC, FSD_CLOUD],
  },
  {
    email: 'gregory.cladera@novae-lr.example',
    displayName: 'Grégory Cladera (Novae LR)',
    role: Role.COLLEGE_REPRESENTATIVE,
    colleges: [NOVAE, FSD_DIGITAL_ECONOMY],
  },
  {
    email: 'david.mekersa@pixlr.example',
    displayName: 'David Mekersa (PixLR)',
    role: Role.COLLEGE_REPRESENTATIVE,
    colleges: [PIXLR, FSD_DIGITAL_CREATION],
  },
  {
    email: 'pascal.flamand@telecom-valley.example',
    displayName: 'Pascal Flamand (Telecom Valley)',
    role: Role.COLLEGE_REPRESENTATIVE,
    colleges: [TELECOM_VALLEY],
  },
  {
    email: 'brigitte.marandon@loire-numerique.example',
    displayName: 'Brigitte Marandon (Loire Numérique)',
    role: Role.COLLEGE_REPRESENTATIVE,
    colleges: [CONSORTIUM],
  },
  // Every cluster runs itself: each has its administrator, who sets its collèges' rules and configures its board.
  {
    email: 'cluster-admin@mediacloudcluster.example',
    displayName: 'Media Cloud Cluster administrator',
    role: Role.CLUSTER_ADMIN,
    cluster: 'media-cloud-cluster',
  },
  { email: 'cluster-admin@novae-lr.example', displayName: 'Novae LR administrator', role: Role.CLUSTER_ADMIN, cluster: 'novae-lr' },
  { email: 'cluster-admin@pixlr.example', displayName: 'PixLR administrator', role: Role.CLUSTER_ADMIN, cluster: 'pixlr' },
  {
    email: 'cluster-admin@digitalplace.example',
    displayName: 'DigitalPlace administrator',
    role: Role.CLUSTER_ADMIN,
    cluster: 'digitalplace',
  },
  {
    email: 'cluster-admin@telecom-valley.example',
    displayName: 'Telecom Valley administrator',
    role: Role.CLUSTER_ADMIN,
    cluster: 'telecom-valley',
  },
  {
    email: 'cluster-admin@franceclusters.example',
    displayName: 'France Clusters administrator',
    role: Role.CLUSTER_ADMIN,
    cluster: 'france-clusters',
  },
];

/** The administrator (CLUSTER_ADMIN) of each cluster, by slug. */
export const CLUSTER_ADMINS: Readonly<Record<string, string>> = Object.fromEntries(
  DEMO_ACCOUNTS.filter((a) => a.role === Role.CLUSTER_ADMIN).map((a) => [a.cluster!, a.email]),
);

/** Length of a representative's mandate. */
export const MANDATE_YEARS = 3;

/** Collèges the seed adds to clusters that had none (FrenchSouth.digital's and the associations' are made with them). */
export const EXTRA_COLLEGES: readonly { cluster: string; slug: string; name: string; theme: string; description: string }[] = [
  {
    cluster: 'france-clusters',
    slug: 'consortium-clusters-tic',
    name: 'Consortium des clusters TIC',
    theme: "clusters de l'offre numérique (TIC)",
    description:
      "Consortium des clusters TIC (convention de partenariat du 7 décembre 2009) : échanges de bonnes pratiques et actions d'envergure au profit des entreprises adhérentes ; charte nationale des bonnes pratiques.",
  },
  {
    cluster: 'telecom-valley',
    slug: 'adherents',
    name: 'Adhérents',
    theme: 'acteurs du numérique azuréen',
    description: 'Entreprises, écoles, laboratoires et acteurs publics du numérique, de Menton à Saint-Raphaël.',
  },
  {
    cluster: 'digitalplace',
    slug: 'adherents',
    name: 'Adhérents',
    theme: 'numérique toulousain',
    description: 'Entreprises et acteurs du numérique de Midi-Pyrénées.',
  },
];

/** One collège's rules, who sets them, and how its seeded members are admitted. */
export interface CollegeSeed {
  key: CollegeKey;
  criteria: AdmissionCriteria;
  decisionMode: DecisionMode;
  note: string;
  /** Email of the account that sets the rules. */
  rulesSetBy: string;
  /** Named organisations admitted at the constitution of the collège, before any representative is elected. */
  founders?: readonly string[];
  /** Named organisations admitted afterwards, by the representative. */
  named?: readonly string[];
  /** The generated members. */
  generated?: OrganisationProfile;
  /** Why a seeded member is admitted although a criterion is not met (an overrideReason, recorded). */
  overrides?: Partial<Record<Criterion, string>>;
}

const CLUSTER_ADMIN = CLUSTER_ADMINS[FRENCH_SOUTH];
const CLUB_KINDS = [BUSINESS_CLUB, IT_USERS_ASSOCIATION, CIO_CLUB];

/** Languedoc-Roussillon first (the three associations' territory), a few from elsewhere. */
const LANGUEDOC = [
  ['34', 60],
  ['30', 14],
  ['66', 9],
  ['11', 7],
  ['48', 2],
  ['31', 4],
  ['75', 4],
] as const;
/** The whole of Occitanie, Montpellier and Toulouse first. */
const OCCITANIE = [
  ['34', 40],
  ['31', 22],
  ['30', 9],
  ['66', 6],
  ['11', 5],
  ['81', 4],
  ['82', 3],
  ['12', 3],
  ['65', 2],
  ['46', 2],
  ['32', 2],
  ['09', 1],
  ['48', 1],
  ['13', 1],
  ['75', 1],
] as const;

const PAPER_SPONSOR = "Parrainage attesté sur le bulletin d'adhésion papier (le parrain n'a pas encore de compte Collegia).";
const HISTORIC_MEMBER = (association: string) =>
  `Adhérent de ${association} repris de son registre : le parrainage n'était pas exigé lors de son adhésion.`;

export const COLLEGES: readonly CollegeSeed[] = [
  {
    key: STARTUPS,
    criteria: { allowedKinds: [COMPANY], maxAgeYears: 8, maxHeadcount: 50, charterRequired: true },
    decisionMode: DecisionMode.REPRESENTATIVE,
    note: 'Start-ups issues de la mobilisation French Tech : entreprises de moins de 8 ans, 50 salariés au plus, signataires de la charte des bonnes pratiques. Décision par un représentant du collège.',
    rulesSetBy: CLUSTER_ADMIN,
    founders: ['Soledge', 'Nelis'],
    generated: {
      sizes: { [TPE]: 13, [PME]: 9 },
      trade: 'startup',
      kinds: [[COMPANY, 1]],
      departements: OCCITANIE,
      ageYears: [0.5, 7.5],
      maxHeadcount: 50,
      affiliations: [['French Tech', 0.7]],
    },
    overrides: {
      [Criterion.CHARTER]:
        "Charte des bonnes pratiques signée sur le bulletin d'adhésion papier (l'entreprise n'a pas encore de compte Collegia).",
    },
  },
  {
    key: HIGHER_EDUCATION_RESEARCH,
    criteria: { allowedKinds: [HIGHER_EDUCATION, RESEARCH_LAB] },
    decisionMode: DecisionMode.REPRESENTATIVE,
    note: "Établissements d'enseignement supérieur et laboratoires de recherche uniquement. Décision par un représentant du collège.",
    rulesSetBy: CLUSTER_ADMIN,
    founders: ['Epitech'],
    named: ['Cirad'],
    generated: {
      sizes: { [TPE]: 1, [PME]: 9 },
      trade: 'academic',
      kinds: [
        [HIGHER_EDUCATION, 1],
        [RESEARCH_LAB, 1],
      ],
      departements: OCCITANIE,
      ageYears: [5, 40],
    },
  },
  {
    key: FSD_CLOUD,
    criteria: { allowedKinds: [COMPANY], sponsorsRequired: 1 },
    decisionMode: DecisionMode.REPRESENTATIVE,
    note: 'Entreprises du cloud de toutes tailles (grandes entreprises, PME, TPE), parrainées par un membre du collège.',
    rulesSetBy: CLUSTER_ADMIN,
    generated: {
      sizes: { [TPE]: 5, [PME]: 8, [ETI]: 1 },
      trade: 'cloud',
      kinds: [[COMPANY, 1]],
      departements: OCCITANIE,
      ageYears: [2, 25],
    },
    overrides: { [Criterion.SPONSORS]: PAPER_SPONSOR },
  },
  {
    key: FSD_DIGITAL_ECONOMY,
    criteria: { allowedKinds: [COMPANY], sponsorsRequired: 1 },
    decisionMode: DecisionMode.REPRESENTATIVE,
    note: "Entreprises de l'économie numérique de toutes tailles (grandes entreprises, PME, TPE), parrainées par un membre du collège.",
    rulesSetBy: CLUSTER_ADMIN,
    generated: {
      sizes: { [TPE]: 6, [PME]: 8, [ETI]: 2 },
      trade: 'digital',
      kinds: [[COMPANY, 1]],
      departements: OCCITANIE,
      ageYears: [2, 30],
    },
    overrides: { [Criterion.SPONSORS]: PAPER_SPONSOR },
  },
  {
    key: FSD_DIGITAL_CREATION,
    criteria: { allowedKinds: [COMPANY], sponsorsRequired: 1 },
    decisionMode: DecisionMode.REPRESENTATIVE,
    note: 'Entreprises de la création numérique de toutes tailles, parrainées par un membre du collège.',
    rulesSetBy: CLUSTER_ADMIN,
    generated: {
      sizes: { [TPE]: 7, [PME]: 5 },
      trade: 'creation',
      kinds: [[COMPANY, 1]],
      departements: OCCITANIE,
      ageYears: [1, 20],
    },
    overrides: { [Criterion.SPONSORS]: PAPER_SPONSOR },
  },
  {
    key: MCC,
    criteria: { allowedKinds: [COMPANY], sponsorsRequired: 1 },
    decisionMode: DecisionMode.REPRESENTATIVE,
    note: 'Entreprises du cloud, parrainées par un adhérent.',
    rulesSetBy: CLUSTER_ADMINS['media-cloud-cluster'],
    generated: {
      sizes: { [TPE]: 12, [PME]: 21, [ETI]: 3 },
      trade: 'cloud',
      kinds: [[COMPANY, 1]],
      departements: LANGUEDOC,
      ageYears: [2, 30],
      totalHeadcount: 2_600,
    },
    overrides: { [Criterion.SPONSORS]: HISTORIC_MEMBER('Media Cloud Cluster') },
  },
  {
    key: NOVAE,
    criteria: { allowedKinds: [COMPANY], sponsorsRequired: 1 },
    decisionMode: DecisionMode.REPRESENTATIVE,
    note: "Entreprises de l'économie numérique, parrainées par un adhérent.",
    rulesSetBy: CLUSTER_ADMINS['novae-lr'],
    generated: {
      sizes: { [TPE]: 20, [PME]: 27, [ETI]: 4, [GE]: 1 },
      trade: 'digital',
      kinds: [[COMPANY, 1]],
      departements: LANGUEDOC,
      ageYears: [1, 35],
      totalHeadcount: 8_000,
    },
    overrides: { [Criterion.SPONSORS]: HISTORIC_MEMBER('Novae LR') },
  },
  {
    key: PIXLR,
    criteria: { allowedKinds: [COMPANY, ASSOCIATION], sponsorsRequired: 1 },
    decisionMode: DecisionMode.REPRESENTATIVE,
    note: 'Entreprises et collectifs (associations) de la création numérique, parrainés par un adhérent.',
    rulesSetBy: CLUSTER_ADMINS['pixlr'],
    generated: {
      sizes: { [TPE]: 17, [PME]: 13, [ETI]: 1 },
      trade: 'creation',
      kinds: [
        [COMPANY, 85],
        [ASSOCIATION, 15],
      ],
      departements: LANGUEDOC,
      ageYears: [1, 25],
      totalHeadcount: 1_100,
    },
    overrides: { [Criterion.SPONSORS]: HISTORIC_MEMBER('PixLR') },
  },
  {
    key: TELECOM_VALLEY,
    criteria: { excludedKinds: CLUB_KINDS },
    decisionMode: DecisionMode.REPRESENTATIVE,
    note: "Acteurs de l'offre numérique, de Menton à Saint-Raphaël (quelques-uns de Marseille ou de Paris) ; ni clubs d'entreprises, ni associations d'utilisateurs, ni clubs de DSI.",
    rulesSetBy: CLUSTER_ADMINS['telecom-valley'],
    named: ['SoFab'],
    generated: {
      // With SoFab: 150 members, about 14 000 employees (seed 003).
      sizes: { [TPE]: 54, [PME]: 84, [ETI]: 10, [GE]: 1 },
      trade: 'telecom',
      kinds: [
        [COMPANY, 90],
        [HIGHER_EDUCATION, 3],
        [RESEARCH_LAB, 4],
        [PUBLIC_BODY, 1],
        [ASSOCIATION, 2],
      ],
      departements: [
        ['06', 80],
        ['83', 8],
        ['13', 6],
        ['75', 6],
      ],
      ageYears: [1, 30],
      affiliations: [['Pôle SCS', 0.3]],
      totalHeadcount: 14_000,
    },
  },
  {
    key: DIGITALPLACE,
    criteria: { allowedRegions: ['Occitanie'], excludedKinds: CLUB_KINDS },
    decisionMode: DecisionMode.AUTOMATIC,
    note: 'Acteurs du numérique en Occitanie : admission automatique quand tous les critères sont remplis.',
    rulesSetBy: CLUSTER_ADMINS['digitalplace'],
    named: ['Artilect', 'IoT Valley'],
    generated: {
      sizes: { [TPE]: 9, [PME]: 11, [ETI]: 2 },
      trade: 'digital',
      kinds: [[COMPANY, 1]],
      departements: [
        ['31', 70],
        ['81', 8],
        ['82', 6],
        ['32', 4],
        ['12', 4],
        ['65', 4],
        ['09', 2],
        ['46', 2],
      ],
      ageYears: [1, 30],
    },
  },
  {
    key: CONSORTIUM,
    criteria: { requiredAffiliations: ['France Clusters'], excludedKinds: CLUB_KINDS },
    decisionMode: DecisionMode.REPRESENTATIVE,
    note: "Convention du consortium des clusters TIC (7 décembre 2009) : être adhérent de France Clusters et se situer dans une dynamique cluster de l'offre numérique ; les clubs d'entreprises, les associations ciblant les entreprises utilisatrices des TIC et les clubs de DSI ne sont pas concernés.",
    rulesSetBy: CLUSTER_ADMINS['france-clusters'],
    founders: ['Loire Numérique', 'Rhonealley', 'Pôle E-Business sud-Aquitain Adour (PEBA)', 'Franche-Comté Interactive', 'SPN'],
    named: ['FrenchSouth.digital', 'DigitalPlace', 'Telecom Valley'],
  },
];

/** The charter of good practices FrenchSouth.digital publishes (after the consortium's, seed 004). */
export const CHARTER = {
  cluster: FRENCH_SOUTH,
  publishedBy: CLUSTER_ADMIN,
  title: 'Charte des bonnes pratiques de FrenchSouth.digital',
  text: [
    "Inspirée de la charte nationale des bonnes pratiques du consortium des clusters TIC, cette charte regroupe les adhérents qui s'engagent dans une démarche volontaire de qualité. Elle définit les règles de base de conduite de tout projet de développement ou de prestation de services dans le domaine du numérique.",
    "1. Parler clairement : présenter au client, en termes compréhensibles, l'offre, ses limites, son coût et ses délais.",
    "2. Être compétent : n'accepter que les missions qui relèvent de ses compétences, et orienter le client vers un autre spécialiste lorsqu'il le faut.",
    '3. Donner des garanties : appliquer des méthodes éprouvées (cahier des charges, recette, documentation, réversibilité) qui assurent le succès des projets entrepris.',
    '4. Respecter le client et ses données : confidentialité, sécurité, conformité au RGPD.',
    '5. Coopérer : privilégier les partenariats entre adhérents — grandes entreprises, PME, TPE, start-ups, écoles et laboratoires — et partager les bonnes pratiques.',
    "6. Se former : suivre l'évolution rapide des techniques, des champs d'application et des usages.",
    "La signature engage l'organisation représentée et vaut pour la version de la charte en vigueur.",
  ].join('\n\n'),
};

/**
 * An organisation the documents name. Its real identifiers are not known here, so none is
 * invented (SIREN and SIRET stay empty, as for any organisation whose identifiers are unknown);
 * `ageYears` counts back from the day of the seed.
 */
export interface NamedOrganisation extends Omit<OrganisationSeed, 'foundedOn' | 'siren' | 'siret'> {
  ageYears?: number;
  /** Email of the demo account of the person acting for it, and their role in it. */
  contact?: { email: string; fullName: string; roleInOrganisation: string };
}

const FRANCE_CLUSTERS = ['France Clusters'];

export const NAMED_ORGANISATIONS: readonly NamedOrganisation[] = [
  // Seed 002: the Start-ups & Entrepreneurs and Higher education & research representatives' organisations.
  {
    name: 'Soledge',
    kind: COMPANY,
    headcount: 14,
    ageYears: 3,
    departement: '34',
    affiliations: ['French Tech'],
    contact: {
      email: 'maryam.bini@soledge.example',
      fullName: 'Maryam Bini',
      roleInOrganisation: 'Représentante au collège Start-ups & Entrepreneurs',
    },
  },
  {
    name: 'Nelis',
    kind: COMPANY,
    headcount: 8,
    ageYears: 2,
    departement: '34',
    affiliations: ['French Tech'],
    contact: {
      email: 'member@nelis.example',
      fullName: 'Katia Vidic',
      roleInOrganisation: 'Représentante au collège Start-ups & Entrepreneurs',
    },
  },
  {
    name: 'Epitech',
    kind: HIGHER_EDUCATION,
    departement: '34',
    contact: {
      email: 'thomas.fraisse@epitech.example',
      fullName: 'Thomas Fraisse',
      roleInOrganisation: 'Représentant au collège Enseignement supérieur & recherche',
    },
  },
  // The clusters, as organisations: members of the consortium, or their presidents' organisation.
  { name: 'FrenchSouth.digital', kind: CLUSTER, departement: '34', affiliations: FRANCE_CLUSTERS },
  {
    name: 'DigitalPlace',
    kind: CLUSTER,
    departement: '31',
    affiliations: FRANCE_CLUSTERS,
    // Its president in seed 000; his account is a board member's (governance-data.ts).
    contact: { email: 'daniel.benchimol@digitalplace.example', fullName: 'Daniel Benchimol', roleInOrganisation: 'Président' },
  },
  {
    name: 'Telecom Valley',
    kind: CLUSTER,
    departement: '06',
    affiliations: FRANCE_CLUSTERS,
    contact: { email: 'pascal.flamand@telecom-valley.example', fullName: 'Pascal Flamand', roleInOrganisation: 'Président' },
  },
  {
    name: 'Media Cloud Cluster',
    kind: CLUSTER,
    departement: '34',
    affiliations: FRANCE_CLUSTERS,
    contact: { email: 'alain.molinie@mediacloudcluster.example', fullName: 'Alain Molinié', roleInOrganisation: 'Président' },
  },
  {
    name: 'Novae LR',
    kind: CLUSTER,
    departement: '34',
    affiliations: FRANCE_CLUSTERS,
    contact: { email: 'gregory.cladera@novae-lr.example', fullName: 'Grégory Cladera', roleInOrganisation: 'Président' },
  },
  {
    name: 'PixLR',
    kind: CLUSTER,
    departement: '34',
    affiliations: FRANCE_CLUSTERS,
    contact: { email: 'david.mekersa@pixlr.example', fullName: 'David Mekersa', roleInOrganisation: 'Président' },
  },
  // Seed 004: the five clusters TIC that signed the consortium's convention.
  {
    name: 'Loire Numérique',
    kind: CLUSTER,
    departement: '42',
    affiliations: FRANCE_CLUSTERS,
    contact: {
      email: 'brigitte.marandon@loire-numerique.example',
      fullName: 'Brigitte Marandon',
      roleInOrganisation: 'Contact du consortium',
    },
  },
  { name: 'Rhonealley', kind: CLUSTER, departement: '26', affiliations: FRANCE_CLUSTERS },
  { name: 'Pôle E-Business sud-Aquitain Adour (PEBA)', kind: CLUSTER, departement: '64', affiliations: FRANCE_CLUSTERS },
  { name: 'Franche-Comté Interactive', kind: CLUSTER, departement: '25', affiliations: FRANCE_CLUSTERS },
  { name: 'SPN', kind: CLUSTER, departement: '86', affiliations: FRANCE_CLUSTERS },
  // Seeds 000, 001 and 003: Fab Labs, research, and the Fab Région laureates (future subsidies).
  { name: 'Artilect', kind: ASSOCIATION, departement: '31' },
  { name: 'IoT Valley', kind: ASSOCIATION, departement: '31' },
  { name: 'SoFab', kind: ASSOCIATION, departement: '06' },
  { name: 'Cirad', kind: RESEARCH_LAB, departement: '34' },
  { name: 'Instant Science', kind: ASSOCIATION },
  { name: 'CNES', kind: PUBLIC_BODY, departement: '31' },
  { name: 'Météo-France', kind: PUBLIC_BODY, departement: '31' },
  { name: 'Région Occitanie', kind: PUBLIC_BODY, departement: '31' },
  { name: 'Communauté de communes Quercy Bouriane', kind: PUBLIC_BODY, departement: '46' },
  { name: 'Communauté de communes de Saint-Laurent-de-Neste', kind: PUBLIC_BODY, departement: '65' },
  { name: "PETR Hautes Terres d'Oc", kind: PUBLIC_BODY, departement: '81' },
  { name: 'Commune de Caylus', kind: PUBLIC_BODY, departement: '82' },
  { name: 'Moissac Animation Jeunes', kind: ASSOCIATION, departement: '82' },
  { name: 'Corfi des Deux Rives', kind: ASSOCIATION, departement: '82' },
  { name: 'Chambre de Métiers et de l’Artisanat de Tarn-et-Garonne', kind: PUBLIC_BODY, departement: '82' },
];

/**
 * Applications left in the review queues (what a representative finds on signing in), plus a
 * rejection and a withdrawal. `organisation` names a NAMED_ORGANISATIONS entry, or describes a
 * fictional one (given generated identifiers).
 */
export interface QueuedApplication {
  college: CollegeKey;
  organisation: string | (Omit<OrganisationSeed, 'foundedOn' | 'siren' | 'siret' | 'website'> & { ageYears: number });
  state: 'SUBMITTED' | 'UNDER_REVIEW' | 'REJECTED' | 'WITHDRAWN';
  /** The rejection's reason. */
  reason?: string;
}

export const QUEUED_APPLICATIONS: readonly QueuedApplication[] = [
  {
    college: STARTUPS,
    organisation: { name: 'Lez Ingénierie Numérique', kind: COMPANY, headcount: 320, ageYears: 5, departement: '34' },
    state: 'SUBMITTED',
  },
  {
    college: STARTUPS,
    organisation: { name: 'Pastel Mobility', kind: COMPANY, headcount: 18, ageYears: 11, departement: '31', affiliations: ['French Tech'] },
    state: 'UNDER_REVIEW',
  },
  {
    college: STARTUPS,
    organisation: { name: 'Les Ateliers du Code Catalan', kind: ASSOCIATION, headcount: 3, ageYears: 2, departement: '66' },
    state: 'REJECTED',
    reason:
      "Le collège Start-ups & Entrepreneurs n'admet que des entreprises ; une association peut rejoindre le collège Économie numérique.",
  },
  {
    college: STARTUPS,
    organisation: { name: 'Kalonis Health', kind: COMPANY, headcount: 6, ageYears: 1, departement: '34', affiliations: ['French Tech'] },
    state: 'WITHDRAWN',
  },
  { college: HIGHER_EDUCATION_RESEARCH, organisation: 'Instant Science', state: 'UNDER_REVIEW' },
  {
    college: HIGHER_EDUCATION_RESEARCH,
    organisation: { name: 'Cévennes Formation Web', kind: COMPANY, headcount: 12, ageYears: 9, departement: '30' },
    state: 'REJECTED',
    reason:
      "Le collège réunit les établissements d'enseignement supérieur et les laboratoires ; un organisme de formation privé relève du collège Économie numérique.",
  },
  {
    college: FSD_CLOUD,
    organisation: { name: 'Tramontane Datacenter', kind: COMPANY, headcount: 42, ageYears: 6, departement: '66' },
    state: 'SUBMITTED',
  },
  {
    college: FSD_DIGITAL_CREATION,
    organisation: { name: 'Studio Salagou', kind: COMPANY, headcount: 4, ageYears: 3, departement: '34' },
    state: 'SUBMITTED',
  },
  {
    college: MCC,
    organisation: { name: 'Aubrac Sauvegarde', kind: COMPANY, headcount: 11, ageYears: 4, departement: '48' },
    state: 'SUBMITTED',
  },
  {
    college: TELECOM_VALLEY,
    organisation: { name: 'Vésubie Wireless', kind: COMPANY, headcount: 27, ageYears: 7, departement: '06' },
    state: 'SUBMITTED',
  },
  {
    college: TELECOM_VALLEY,
    organisation: {
      name: "Club des utilisateurs de l'informatique azuréens",
      kind: IT_USERS_ASSOCIATION,
      headcount: 1,
      ageYears: 15,
      departement: '06',
    },
    state: 'REJECTED',
    reason: "Telecom Valley réunit l'offre numérique : les associations d'utilisateurs des TIC ne sont pas concernées.",
  },
  {
    college: DIGITALPLACE,
    organisation: { name: 'Chartrons Analytics', kind: COMPANY, headcount: 35, ageYears: 8, departement: '33' },
    state: 'SUBMITTED',
  },
  {
    college: CONSORTIUM,
    organisation: { name: 'Club des DSI d’Occitanie', kind: CIO_CLUB, headcount: 2, ageYears: 12, departement: '31' },
    state: 'REJECTED',
    reason:
      "Convention du consortium : les clubs de DSI ne sont pas concernés, l'objectif des clusters signataires étant de favoriser le développement de l'offre des entreprises du numérique.",
  },
  {
    college: CONSORTIUM,
    organisation: {
      name: 'Club Entreprises & Numérique Côte d’Azur',
      kind: BUSINESS_CLUB,
      headcount: 2,
      ageYears: 10,
      departement: '06',
      affiliations: FRANCE_CLUSTERS,
    },
    state: 'UNDER_REVIEW',
  },
];

/** Lifecycle changes after admission, so directories show more than ACTIVE members. */
export const MEMBERSHIP_CHANGES: readonly { college: CollegeKey; member: number; operation: 'suspend' | 'resign'; reason: string }[] = [
  { college: MCC, member: 7, operation: 'resign', reason: "Cessation d'activité (liquidation amiable)." },
  { college: NOVAE, member: 11, operation: 'suspend', reason: 'Cotisation annuelle impayée après deux relances.' },
  { college: PIXLR, member: 4, operation: 'resign', reason: "Démission : l'entreprise recentre son activité hors du numérique." },
];

/** Seed of the generator: changing it changes every generated organisation. */
export const GENERATOR_SEED = 20141119; // the Digiworld Summit announcement, seed 002
