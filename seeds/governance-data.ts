/**
 * The demo's governance data, as plain data: the boards (conseils d'administration) of
 * FrenchSouth.digital, of the three associations that are to merge into it and of DigitalPlace —
 * seats per collège, who holds them, the statutes' voting rules —, FrenchSouth.digital's general
 * assembly (its rules, whose delegates the seed designates), and the two proposals the press
 * documents describe, both left in DRAFT: the fusion-absorption of Media Cloud Cluster, Novae LR
 * and PixLR into FrenchSouth.digital (seed 001) and the partnership convention between
 * DigitalPlace and FrenchSouth.digital with its four axes (seed 000). governance.seeder-step.ts
 * plays it through the services.
 */
import { Role } from '../src/auth/role.js';
import { Majority, Secrecy, Weighting, type VotingRules } from '../src/governance/voting-rules.js';
import {
  CLUSTER_ADMINS,
  DIGITALPLACE,
  FRENCH_SOUTH,
  FSD_CLOUD,
  FSD_DIGITAL_CREATION,
  FSD_DIGITAL_ECONOMY,
  HIGHER_EDUCATION_RESEARCH,
  MCC,
  NOVAE,
  PIXLR,
  STARTUPS,
  type CollegeKey,
  type DemoAccount,
} from './membership-data.js';

const CLUSTER_ADMIN = CLUSTER_ADMINS[FRENCH_SOUTH];

/** Length of a board mandate. */
export const BOARD_MANDATE_YEARS = 3;

/**
 * The board members the seed adds (fictional people, but Daniel Benchimol, president of
 * DigitalPlace in seed 000), with the demo password. Their BOARD_MEMBER right comes with their
 * seat's mandate, like every board member's (board@frenchsouth.example's included).
 */
export const BOARD_ACCOUNTS: readonly (DemoAccount & { cluster: string })[] = [
  {
    email: 'sophie.garrigues@mediacloudcluster.example',
    displayName: 'Sophie Garrigues (Media Cloud Cluster)',
    role: Role.BOARD_MEMBER,
    cluster: 'media-cloud-cluster',
  },
  {
    email: 'laurent.vidal@mediacloudcluster.example',
    displayName: 'Laurent Vidal (Media Cloud Cluster)',
    role: Role.BOARD_MEMBER,
    cluster: 'media-cloud-cluster',
  },
  { email: 'emilie.fabre@novae-lr.example', displayName: 'Émilie Fabre (Novae LR)', role: Role.BOARD_MEMBER, cluster: 'novae-lr' },
  { email: 'julien.marty@novae-lr.example', displayName: 'Julien Marty (Novae LR)', role: Role.BOARD_MEMBER, cluster: 'novae-lr' },
  { email: 'camille.roux@pixlr.example', displayName: 'Camille Roux (PixLR)', role: Role.BOARD_MEMBER, cluster: 'pixlr' },
  { email: 'nicolas.bessiere@pixlr.example', displayName: 'Nicolas Bessière (PixLR)', role: Role.BOARD_MEMBER, cluster: 'pixlr' },
  {
    email: 'daniel.benchimol@digitalplace.example',
    displayName: 'Daniel Benchimol (DigitalPlace)',
    role: Role.BOARD_MEMBER,
    cluster: 'digitalplace',
  },
  {
    email: 'helene.castan@digitalplace.example',
    displayName: 'Hélène Castan (DigitalPlace)',
    role: Role.BOARD_MEMBER,
    cluster: 'digitalplace',
  },
];

/** A board: its rules (collège weights by collège key), its seats per collège and their holders (emails). */
export interface BoardSeed {
  cluster: string;
  name: string;
  /** Who configures the board and appoints its members: the cluster's administrator. */
  configuredBy: string;
  rules: Omit<VotingRules, 'collegeWeights'> & { collegeWeights?: Readonly<Partial<Record<CollegeKey, number>>> };
  seats: readonly { college: CollegeKey; holders: readonly string[] }[];
}

const NO_DOUBLE_MAJORITY = { doubleMajorityColleges: null } as const;

/** FrenchSouth.digital's statutes: the three founding branches weigh a quarter each, the two collèges that join them the rest. */
const FRENCH_SOUTH_WEIGHTS = {
  [STARTUPS]: 1_500,
  [HIGHER_EDUCATION_RESEARCH]: 1_000,
  [FSD_CLOUD]: 2_500,
  [FSD_DIGITAL_ECONOMY]: 2_500,
  [FSD_DIGITAL_CREATION]: 2_500,
} as const;

export const BOARDS: readonly BoardSeed[] = [
  {
    cluster: FRENCH_SOUTH,
    name: 'Conseil d’administration de FrenchSouth.digital',
    configuredBy: CLUSTER_ADMIN,
    rules: {
      quorumBasisPoints: 5_000,
      majority: Majority.TWO_THIRDS,
      abstentionsCount: false,
      weighting: Weighting.COLLEGE_WEIGHTED,
      collegeWeights: FRENCH_SOUTH_WEIGHTS,
      ...NO_DOUBLE_MAJORITY,
      proxyLimit: 1,
      proxySameCollege: false,
      secrecy: Secrecy.SECRET,
    },
    seats: [
      { college: STARTUPS, holders: ['maryam.bini@soledge.example', 'member@nelis.example'] },
      { college: HIGHER_EDUCATION_RESEARCH, holders: ['thomas.fraisse@epitech.example', 'board@frenchsouth.example'] },
      { college: FSD_CLOUD, holders: ['alain.molinie@mediacloudcluster.example', 'sophie.garrigues@mediacloudcluster.example'] },
      { college: FSD_DIGITAL_ECONOMY, holders: ['gregory.cladera@novae-lr.example', 'emilie.fabre@novae-lr.example'] },
      { college: FSD_DIGITAL_CREATION, holders: ['david.mekersa@pixlr.example', 'camille.roux@pixlr.example'] },
    ],
  },
  {
    cluster: 'media-cloud-cluster',
    name: 'Conseil d’administration de Media Cloud Cluster',
    configuredBy: CLUSTER_ADMINS['media-cloud-cluster'],
    rules: {
      quorumBasisPoints: 5_000,
      majority: Majority.ABSOLUTE,
      abstentionsCount: true,
      weighting: Weighting.PER_VOTER,
      ...NO_DOUBLE_MAJORITY,
      proxyLimit: 1,
      proxySameCollege: false,
      secrecy: Secrecy.NAMED,
    },
    seats: [
      {
        college: MCC,
        holders: [
          'alain.molinie@mediacloudcluster.example',
          'sophie.garrigues@mediacloudcluster.example',
          'laurent.vidal@mediacloudcluster.example',
        ],
      },
    ],
  },
  {
    cluster: 'novae-lr',
    name: 'Conseil d’administration de Novae LR',
    configuredBy: CLUSTER_ADMINS['novae-lr'],
    rules: {
      quorumBasisPoints: 3_333,
      majority: Majority.SIMPLE,
      abstentionsCount: false,
      weighting: Weighting.PER_VOTER,
      ...NO_DOUBLE_MAJORITY,
      proxyLimit: 1,
      proxySameCollege: false,
      secrecy: Secrecy.NAMED,
    },
    seats: [
      { college: NOVAE, holders: ['gregory.cladera@novae-lr.example', 'emilie.fabre@novae-lr.example', 'julien.marty@novae-lr.example'] },
    ],
  },
  {
    cluster: 'pixlr',
    name: 'Conseil d’administration de PixLR',
    configuredBy: CLUSTER_ADMINS['pixlr'],
    rules: {
      quorumBasisPoints: 5_000,
      majority: Majority.ABSOLUTE,
      abstentionsCount: true,
      weighting: Weighting.PER_VOTER,
      ...NO_DOUBLE_MAJORITY,
      proxyLimit: 1,
      proxySameCollege: false,
      secrecy: Secrecy.SECRET,
    },
    seats: [{ college: PIXLR, holders: ['david.mekersa@pixlr.example', 'camille.roux@pixlr.example', 'nicolas.bessiere@pixlr.example'] }],
  },
  {
    cluster: 'digitalplace',
    name: 'Conseil d’administration de DigitalPlace',
    configuredBy: CLUSTER_ADMINS['digitalplace'],
    rules: {
      quorumBasisPoints: 5_000,
      majority: Majority.SIMPLE,
      abstentionsCount: false,
      weighting: Weighting.PER_VOTER,
      ...NO_DOUBLE_MAJORITY,
      proxyLimit: 2,
      proxySameCollege: false,
      secrecy: Secrecy.NAMED,
    },
    seats: [{ college: DIGITALPLACE, holders: ['daniel.benchimol@digitalplace.example', 'helene.castan@digitalplace.example'] }],
  },
];

/** A general assembly: its rules, and the member organisations whose delegate the seed designates. */
export interface AssemblySeed {
  cluster: string;
  name: string;
  configuredBy: string;
  rules: BoardSeed['rules'];
  /**
   * Who votes for whom: the named members vote through their contact's account; the first
   * generated member of each collège listed votes through its contact, who is given an account.
   */
  delegates: { named: readonly string[]; firstGeneratedOf: readonly CollegeKey[] };
}

/**
 * FrenchSouth.digital's general assembly: every member organisation votes through its delegate.
 * Its statutes decide a fusion or a dissolution in general assembly (loi 1901 art. 9 bis: the
 * deliberation is taken under the statutory conditions of a dissolution): a quarter of the members
 * present or represented, two thirds of the votes cast, the collèges weighed as on the board, a
 * secret ballot, two proxies a delegate at most.
 */
export const GENERAL_ASSEMBLY: AssemblySeed = {
  cluster: FRENCH_SOUTH,
  name: 'Assemblée générale de FrenchSouth.digital',
  configuredBy: CLUSTER_ADMIN,
  rules: {
    quorumBasisPoints: 2_500,
    majority: Majority.TWO_THIRDS,
    abstentionsCount: false,
    weighting: Weighting.COLLEGE_WEIGHTED,
    collegeWeights: FRENCH_SOUTH_WEIGHTS,
    ...NO_DOUBLE_MAJORITY,
    proxyLimit: 2,
    proxySameCollege: false,
    secrecy: Secrecy.SECRET,
  },
  delegates: {
    named: ['Soledge', 'Nelis', 'Epitech'],
    firstGeneratedOf: [HIGHER_EDUCATION_RESEARCH, FSD_CLOUD, FSD_DIGITAL_ECONOMY, FSD_DIGITAL_CREATION],
  },
};

/** The fusion (seed 001): each absorbed association's members go to the matching collège of FrenchSouth.digital. */
export const FUSION = {
  author: CLUSTER_ADMIN,
  absorbing: FRENCH_SOUTH,
  absorbed: [
    { cluster: 'media-cloud-cluster', name: 'Media Cloud Cluster', targetCollege: FSD_CLOUD },
    { cluster: 'novae-lr', name: 'Novae LR', targetCollege: FSD_DIGITAL_ECONOMY },
    { cluster: 'pixlr', name: 'PixLR', targetCollege: FSD_DIGITAL_CREATION },
  ],
  /** Takes effect on the 1st of the month this many months after the seed. */
  effectiveInMonths: 4,
  title: 'Fusion-absorption de Media Cloud Cluster, Novae LR et PixLR par FrenchSouth.digital',
} as const;

const COLLEGE_NAMES: Readonly<Partial<Record<CollegeKey, string>>> = {
  [FSD_CLOUD]: 'Cloud',
  [FSD_DIGITAL_ECONOMY]: 'Économie numérique',
  [FSD_DIGITAL_CREATION]: 'Création numérique',
};

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** `2027-03-01` → `1er mars 2027`. */
export function frenchDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${day === 1 ? '1er' : day} ${MONTHS[month - 1]} ${year}`;
}

/** The 1st of the month `months` after `today`'s (UTC), as YYYY-MM-DD. */
export function firstOfMonthAhead(today: Date, months: number): string {
  return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + months, 1)).toISOString().slice(0, 10);
}

/** The text put to the boards, quoting seed 001. */
export function fusionText(effectiveDate: string): string {
  const moves = FUSION.absorbed.map((a) => `- ${a.name} : ses adhérents rejoignent le collège ${COLLEGE_NAMES[a.targetCollege]} ;`);
  return [
    '## Exposé des motifs',
    '',
    'Après de nombreux mois de réflexion, les acteurs du numérique en Languedoc-Roussillon se rassemblent « sous la bannière d’un cluster unique » : Media Cloud Cluster, association consacrée au cloud, Novae LR, filière de l’économie numérique, et PixLR, filière de la création numérique, se fédèrent au sein de FrenchSouth.digital (nom de code du projet : « South French Digital »).',
    '',
    'Pour construire la gouvernance du nouveau cluster, les associations ont retenu « une possible fusion plutôt qu’une dissolution des associations, qui impliquerait la perte de l’historique des filières » : la fusion-absorption conserve les adhérents, les financements et les décisions de chacune. Le Conseil régional a fortement incité à ce rassemblement « afin de rendre plus cohérents les financements accordés aux filières, au point de geler certaines subventions dans l’attente de ce regroupement ».',
    '',
    'Le cluster « sera structuré sous la forme de grands “collèges” thématiques représentant les corps de métiers principaux du secteur du numérique » ; il « restera de toute façon aux mains des entreprises privées et aura des collèges autonomes » (Grégory Cladera, président de Novae LR) : les règles d’adhésion restent à l’appréciation de chaque collège.',
    '',
    '## Décision proposée',
    '',
    'Le conseil d’administration de chacune des associations parties approuve la fusion-absorption par FrenchSouth.digital de :',
    '',
    ...moves,
    '',
    `avec effet au ${frenchDate(effectiveDate)}. Les adhésions en cours sont transférées au collège désigné, chacune gardant la trace de son origine ; les candidatures en attente y sont transférées. Les subventions et leur historique suivent ; celles gelées dans l’attente de la fusion sont débloquées à son exécution. Les associations absorbées restent consultables avec tout leur historique.`,
    '',
    '## Garanties demandées',
    '',
    '« Nous sommes favorables à cette cohésion et nous sommes conscients de la légitimité de cette unification. Mais nous souhaitons avoir des garanties sur les moyens financiers que les partenaires publics donneront à ce cluster » (David Mekersa, président de PixLR). Novae LR attire l’attention des partenaires publics « sur l’amélioration du système de financement des clusters et sur les garanties nécessaires (fonds de roulement) afin d’assurer la viabilité du cluster » (Grégory Cladera).',
  ].join('\n');
}

/** The four axes of the convention (seed 000), word for word. */
export const PARTNERSHIP_AXES = [
  "l'innovation sous toutes ses formes",
  "l'international",
  "l'investissement et le financement de la croissance",
  'la mutualisation de services',
] as const;

/** The partnership convention (seed 000). */
export const PARTNERSHIP = {
  author: CLUSTER_ADMIN,
  parties: [FRENCH_SOUTH, 'digitalplace'],
  title: 'Convention de partenariat entre DigitalPlace et FrenchSouth.digital',
  text: [
    '## Exposé des motifs',
    '',
    'La grande région réunissant Midi-Pyrénées et Languedoc-Roussillon se construit y compris dans le domaine de l’innovation. DigitalPlace et FrenchSouth.digital « ont décidé de renforcer leur collaboration stratégique afin de développer des synergies en faveur de la croissance de leurs entreprises adhérentes. A partir de valeurs communes partagées, les deux clusters font exister la 2ème région numérique de France. »',
    '',
    '« Nos clusters ont saisi l’importance de pouvoir développer des actions communes et de mutualiser certains de nos moyens, notamment lors d’évènements d’envergure » (Daniel Benchimol, président de DigitalPlace).',
    '',
    '## Décision proposée',
    '',
    'Le conseil d’administration de chacun des deux clusters approuve la convention de partenariat et autorise son président à la signer, à Toulouse lors de l’Assemblée générale de DigitalPlace et à Montpellier à l’occasion du salon Connec’Sud.',
    '',
    'Les objectifs de ce partenariat s’articulent autour de 4 axes communs :',
    '',
    ...PARTNERSHIP_AXES.map((axis) => `- ${axis} ;`),
    '',
    'La participation commune à des salons, une offre de services aux entreprises (financement, gestion RH, relations presse ou encore accompagnement à l’obtention du label Cloud) et des ateliers d’experts seront proposés aux membres des deux clusters.',
  ].join('\n'),
} as const;
