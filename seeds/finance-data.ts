/**
 * The demo's finance data, as plain data: the funders the press documents name (Région Occitanie,
 * the State, the EU's FEDER), the "Fab Région" call for projects and its eight laureates (seed 002),
 * the FEDER operational programme, the treasurers of the three merging associations, and the
 * subsidies of FrenchSouth.digital and of Media Cloud Cluster, Novae LR and PixLR with what
 * happened to them (receipts, a correction, a freeze until the merger). finance.seeder-step.ts
 * plays it through the services.
 *
 * Dates are day offsets from the day of the seed (negative: in the past), so the demo always
 * shows the same picture: one instalment overdue, one justification due within 90 days, the
 * regional subsidy to FrenchSouth.digital frozen "dans l'attente de ce regroupement". Amounts are
 * integer cents (`eur(…)` for whole euros).
 */
import { Role } from '../src/auth/role.js';
import { FunderKind, LaureateKind, ProgrammeKind } from '../src/finance/funder.entity.js';
import { SubsidyState } from '../src/finance/subsidy-state.js';
import { InstalmentKind, ShareKind } from '../src/finance/subsidy.entity.js';
import { OrganisationKind } from '../src/membership/organisation-kind.js';
import { FRENCH_SOUTH, type DemoAccount } from './membership-data.js';

const { ADVANCE, INTERIM, BALANCE } = InstalmentKind;

/** Whole euros, in cents. */
export const eur = (euros: number): bigint => {
  if (!Number.isSafeInteger(euros)) throw new Error(`seed: ${euros} is not a whole number of euros`);
  return BigInt(euros) * 100n;
};

export const MEDIA_CLOUD_CLUSTER = 'media-cloud-cluster';
export const NOVAE_LR = 'novae-lr';
export const PIXLR = 'pixlr';

/**
 * The treasurers of the three associations (FrenchSouth.digital's is a DEMO_ACCOUNTS entry), with
 * the demo password: each records and reads the subsidies of their own association only.
 */
export const FINANCE_ACCOUNTS: readonly (DemoAccount & { cluster: string })[] = [
  {
    email: 'treasurer@mediacloudcluster.example',
    displayName: 'Media Cloud Cluster treasurer',
    role: Role.TREASURER,
    cluster: MEDIA_CLOUD_CLUSTER,
  },
  { email: 'treasurer@novae-lr.example', displayName: 'Novae LR treasurer', role: Role.TREASURER, cluster: NOVAE_LR },
  { email: 'treasurer@pixlr.example', displayName: 'PixLR treasurer', role: Role.TREASURER, cluster: PIXLR },
];

/** Who registers the funders and programmes: FrenchSouth.digital's treasurer (a TREASURER of any cluster may). */
export const FUNDER_REGISTRAR_CLUSTER = FRENCH_SOUTH;

export type FunderKey = 'region' | 'state' | 'feder';

export const FUNDERS: Readonly<Record<FunderKey, { name: string; kind: FunderKind; region?: string; website?: string }>> = {
  region: { name: 'Région Occitanie', kind: FunderKind.REGION, region: 'Occitanie', website: 'https://www.laregion.fr' },
  state: {
    name: 'État — Préfecture de région Occitanie',
    kind: FunderKind.STATE,
    region: 'Occitanie',
    website: 'https://www.prefectures-regions.gouv.fr/occitanie',
  },
  feder: {
    name: 'Union européenne — FEDER',
    kind: FunderKind.EU_ERDF,
    region: 'Occitanie',
    website: 'https://www.europe-en-occitanie.eu',
  },
};

export interface LaureateSeed {
  /** A NAMED_ORGANISATIONS name; created (with `organisationKind` and `departement`) if the membership seed has not. */
  organisation: string;
  organisationKind: OrganisationKind;
  departement: string;
  project: string;
  kind: LaureateKind;
  amount: bigint;
}

export type ProgrammeKey = 'fabRegion' | 'feder';

export interface ProgrammeSeed {
  funder: FunderKey;
  name: string;
  kind: ProgrammeKind;
  reference?: string;
  budget?: bigint;
  opensOn?: string;
  closesOn?: string;
  description: string;
  laureates?: readonly LaureateSeed[];
}

/**
 * Seed 002: "La Région dirige 1 M€ de fonds européen Feder vers sept créations et une extension,
 * celle du Fab Lab de l'association toulousaine Artilect." The article gives the total only: the
 * split between the eight laureates is illustrative, and adds up to the 1 M€ exactly.
 */
const FAB_REGION_LAUREATES: readonly LaureateSeed[] = [
  {
    organisation: 'Artilect',
    organisationKind: OrganisationKind.ASSOCIATION,
    departement: '31',
    project: 'Extension du Fab Lab Artilect, association toulousaine pionnière des Fab Labs (Toulouse)',
    kind: LaureateKind.EXTENSION,
    amount: eur(150_000),
  },
  {
    organisation: 'IoT Valley',
    organisationKind: OrganisationKind.ASSOCIATION,
    departement: '31',
    project: 'Création d’un Fab Lab à Labège, porté par l’association des entreprises des objets connectés',
    kind: LaureateKind.CREATION,
    amount: eur(160_000),
  },
  {
    organisation: 'Communauté de communes Quercy Bouriane',
    organisationKind: OrganisationKind.PUBLIC_BODY,
    departement: '46',
    project: 'Création d’un Fab Lab territorial en milieu rural (Lot)',
    kind: LaureateKind.CREATION,
    amount: eur(110_000),
  },
  {
    organisation: 'Communauté de communes de Saint-Laurent-de-Neste',
    organisationKind: OrganisationKind.PUBLIC_BODY,
    departement: '65',
    project: 'Création d’un Fab Lab territorial en milieu rural (Hautes-Pyrénées)',
    kind: LaureateKind.CREATION,
    amount: eur(105_000),
  },
  {
    organisation: "PETR Hautes Terres d'Oc",
    organisationKind: OrganisationKind.PUBLIC_BODY,
    departement: '81',
    project: 'Création d’un Fab Lab sur trois sites : Brassac, Vabre et Lacaune (Tarn)',
    kind: LaureateKind.CREATION,
    amount: eur(175_000),
  },
  {
    organisation: 'Commune de Caylus',
    organisationKind: OrganisationKind.PUBLIC_BODY,
    departement: '82',
    project: 'Création du site de Caylus du Fab Lab en réseau de Tarn-et-Garonne (démarche « Artisan numérique » de la Chambre de Métiers)',
    kind: LaureateKind.CREATION,
    amount: eur(95_000),
  },
  {
    organisation: 'Moissac Animation Jeunes',
    organisationKind: OrganisationKind.ASSOCIATION,
    departement: '82',
    project:
      'Création du site de Moissac du Fab Lab en réseau de Tarn-et-Garonne (démarche « Artisan numérique » de la Chambre de Métiers)',
    kind: LaureateKind.CREATION,
    amount: eur(100_000),
  },
  {
    organisation: 'Corfi des Deux Rives',
    organisationKind: OrganisationKind.ASSOCIATION,
    departement: '82',
    project:
      'Création du site de Valence d’Agen du Fab Lab en réseau de Tarn-et-Garonne (démarche « Artisan numérique » de la Chambre de Métiers)',
    kind: LaureateKind.CREATION,
    amount: eur(105_000),
  },
];

export const PROGRAMMES: Readonly<Record<ProgrammeKey, ProgrammeSeed>> = {
  fabRegion: {
    funder: 'region',
    name: 'Fab Région',
    kind: ProgrammeKind.CALL_FOR_PROJECTS,
    budget: eur(1_000_000),
    description:
      'Premier appel à projets « Fab Région » : la Région, qui veut devenir la première « Fab Région » de France, dirige 1 M€ de fonds européen FEDER vers huit Fab Labs territoriaux, lieux publics dotés d’outils de conception assistée par ordinateur et d’impression numérique — sept créations et une extension, celle du Fab Lab de l’association toulousaine Artilect.',
    laureates: FAB_REGION_LAUREATES,
  },
  feder: {
    funder: 'feder',
    name: 'Programme FEDER-FSE+ Occitanie 2021-2027',
    kind: ProgrammeKind.OPERATIONAL_PROGRAMME,
    opensOn: '2021-01-01',
    closesOn: '2027-12-31',
    description:
      'Programme opérationnel régional des fonds européens, dont la Région Occitanie est l’autorité de gestion : innovation, transformation numérique des entreprises, services numériques mutualisés.',
  },
};

const MONTHS = ['JANV', 'FEVR', 'MARS', 'AVR', 'MAI', 'JUIN', 'JUIL', 'AOUT', 'SEPT', 'OCT', 'NOV', 'DEC'];

/** The decision reference as each funder writes it, from the decision date and a number. */
export function decisionReference(funder: FunderKey, decisionDate: string, number: string): string {
  const year = decisionDate.slice(0, 4);
  switch (funder) {
    case 'region':
      return `Délibération de la Commission permanente n° CP/${year}-${MONTHS[Number(decisionDate.slice(5, 7)) - 1]}/${number}`;
    case 'state':
      return `Arrêté préfectoral n° R76-${year}-${number}`;
    case 'feder':
      return `Convention attributive FEDER n° OC${year}${number}`;
  }
}

/** A bank transfer's reference as the statement shows it: `VIR-2026-0318-47120`. */
export function bankReference(valueDate: string, number: string): string {
  return `VIR-${valueDate.slice(0, 4)}-${valueDate.slice(5, 7)}${valueDate.slice(8, 10)}-${number}`;
}

/** What happens to a subsidy after it is recorded, in order. Days are offsets from the day of the seed. */
export type SubsidyStep =
  | { receipt: { amount: bigint; day: number; transfer: string } }
  | { reverse: { transfer: string; day: number; reason: string } }
  | { transition: SubsidyState; reason?: string }
  /** Frozen, with this reason, until the fusion proposal the governance step drafts is executed. */
  | { freezeUntilFusion: string };

export interface SubsidySeed {
  /** The beneficiary cluster's slug. */
  cluster: string;
  funder: FunderKey;
  programme?: ProgrammeKey;
  purpose: string;
  /** Recorded REQUESTED (no decision yet) instead of AWARDED. */
  requested?: boolean;
  /** The funder's decision: day offset (not in the future) and number (see decisionReference). */
  decision?: { day: number; number: string };
  amount: bigint;
  eligibleCost?: bigint;
  financingPlan?: readonly { kind: ShareKind; label: string; funder?: FunderKey; amount: bigint }[];
  instalments?: readonly { kind: InstalmentKind; amount: bigint; dueDay: number }[];
  justificationDay?: number;
  /** Collège slug → share in basis points (adding up to 10 000). */
  allocations?: Readonly<Record<string, number>>;
  steps?: readonly SubsidyStep[];
}

/**
 * Seed 001: the regional council pushed the associations together "au point de geler certaines
 * subventions dans l'attente de ce regroupement".
 */
export const FUSION_FREEZE_REASON =
  "Gel décidé par le Conseil régional, qui a fortement incité au rassemblement des associations de la filière « au point de geler certaines subventions dans l'attente de ce regroupement » : aucun versement avant l’exécution de la fusion de Media Cloud Cluster, Novae LR et PixLR dans FrenchSouth.digital.";

const OWN_FUNDS = 'Autofinancement (cotisations des adhérents)';

export const SUBSIDIES: readonly SubsidySeed[] = [
  // FrenchSouth.digital: the Region's support, frozen until the merger, and a FEDER project under way.
  {
    cluster: FRENCH_SOUTH,
    funder: 'region',
    purpose:
      'Structuration de la filière numérique régionale : lancement de FrenchSouth.digital (animation des collèges thématiques, services mutualisés aux adhérents)',
    decision: { day: -120, number: '04.07' },
    amount: eur(180_000),
    eligibleCost: eur(360_000),
    financingPlan: [
      { kind: ShareKind.REGION, label: 'Région Occitanie', funder: 'region', amount: eur(180_000) },
      { kind: ShareKind.OWN_FUNDS, label: OWN_FUNDS, amount: eur(180_000) },
    ],
    instalments: [
      { kind: ADVANCE, amount: eur(54_000), dueDay: -100 },
      { kind: INTERIM, amount: eur(54_000), dueDay: 80 },
      { kind: BALANCE, amount: eur(72_000), dueDay: 400 },
    ],
    justificationDay: 460,
    allocations: {
      'startups-entrepreneurs': 2_500,
      'enseignement-superieur-recherche': 1_500,
      cloud: 2_000,
      'economie-numerique': 2_000,
      'creation-numerique': 2_000,
    },
    steps: [{ freezeUntilFusion: FUSION_FREEZE_REASON }],
  },
  {
    cluster: FRENCH_SOUTH,
    funder: 'feder',
    programme: 'feder',
    purpose:
      'Plateforme de services mutualisés aux entreprises numériques d’Occitanie (axe « services mutualisés » de la convention de partenariat avec DigitalPlace)',
    decision: { day: -200, number: '0412' },
    amount: eur(240_000),
    eligibleCost: eur(400_000),
    financingPlan: [
      { kind: ShareKind.EU_ERDF, label: 'FEDER', funder: 'feder', amount: eur(240_000) },
      { kind: ShareKind.REGION, label: 'Région Occitanie', funder: 'region', amount: eur(80_000) },
      { kind: ShareKind.OWN_FUNDS, label: OWN_FUNDS, amount: eur(80_000) },
    ],
    instalments: [
      { kind: ADVANCE, amount: eur(48_000), dueDay: -190 },
      { kind: INTERIM, amount: eur(96_000), dueDay: 45 },
      { kind: BALANCE, amount: eur(96_000), dueDay: 420 },
    ],
    justificationDay: 390,
    steps: [
      { transition: SubsidyState.ACTIVE, reason: 'Convention attributive signée par les deux parties.' },
      { receipt: { amount: eur(48_000), day: -182, transfer: '30417' } },
    ],
  },

  // Media Cloud Cluster: last year's programme, justified and closed; a FEDER project with an instalment overdue.
  {
    cluster: MEDIA_CLOUD_CLUSTER,
    funder: 'region',
    purpose: 'Programme d’actions annuel de Media Cloud Cluster : animation de la filière cloud et accompagnement des adhérents',
    decision: { day: -430, number: '09.21' },
    amount: eur(60_000),
    eligibleCost: eur(150_000),
    financingPlan: [
      { kind: ShareKind.REGION, label: 'Région Occitanie', funder: 'region', amount: eur(60_000) },
      { kind: ShareKind.OWN_FUNDS, label: OWN_FUNDS, amount: eur(90_000) },
    ],
    instalments: [
      { kind: ADVANCE, amount: eur(30_000), dueDay: -420 },
      { kind: BALANCE, amount: eur(30_000), dueDay: -95 },
    ],
    justificationDay: -110,
    steps: [
      { receipt: { amount: eur(30_000), day: -412, transfer: '11872' } },
      { transition: SubsidyState.JUSTIFIED, reason: 'Bilan d’exécution et compte rendu financier transmis à la Région.' },
      { receipt: { amount: eur(30_000), day: -88, transfer: '12094' } },
      { transition: SubsidyState.CLOSED, reason: 'Solde versé : dossier soldé.' },
    ],
  },
  {
    cluster: MEDIA_CLOUD_CLUSTER,
    funder: 'feder',
    programme: 'feder',
    purpose: 'Démonstrateur de cloud souverain mutualisé pour les PME adhérentes',
    decision: { day: -260, number: '0287' },
    amount: eur(120_000),
    eligibleCost: eur(200_000),
    financingPlan: [
      { kind: ShareKind.EU_ERDF, label: 'FEDER', funder: 'feder', amount: eur(120_000) },
      { kind: ShareKind.REGION, label: 'Région Occitanie', funder: 'region', amount: eur(40_000) },
      { kind: ShareKind.OWN_FUNDS, label: OWN_FUNDS, amount: eur(40_000) },
    ],
    instalments: [
      { kind: ADVANCE, amount: eur(36_000), dueDay: -250 },
      // Due twenty days ago and not received: the overdue instalment of the demo.
      { kind: INTERIM, amount: eur(42_000), dueDay: -20 },
      { kind: BALANCE, amount: eur(42_000), dueDay: 300 },
    ],
    justificationDay: 280,
    steps: [
      { transition: SubsidyState.ACTIVE, reason: 'Convention attributive signée par les deux parties.' },
      { receipt: { amount: eur(36_000), day: -241, transfer: '28853' } },
    ],
  },

  // Novae LR: the State's support with a justification due soon, and a transfer first put on the wrong subsidy.
  {
    cluster: NOVAE_LR,
    funder: 'state',
    purpose: 'Accompagnement de la transformation numérique des TPE et PME (diagnostics, ateliers collectifs)',
    decision: { day: -300, number: '00318' },
    amount: eur(45_000),
    // An eligible cost to the cent: the plan must balance exactly.
    eligibleCost: 9_345_280n,
    financingPlan: [
      { kind: ShareKind.STATE, label: 'État (crédits de la Préfecture de région)', funder: 'state', amount: eur(45_000) },
      { kind: ShareKind.OWN_FUNDS, label: OWN_FUNDS, amount: 4_845_280n },
    ],
    instalments: [
      { kind: ADVANCE, amount: eur(22_500), dueDay: -290 },
      { kind: BALANCE, amount: eur(22_500), dueDay: 75 },
    ],
    // Within the next 90 days.
    justificationDay: 45,
    steps: [
      { receipt: { amount: eur(22_500), day: -284, transfer: '50233' } },
      { receipt: { amount: eur(20_000), day: -131, transfer: '51207' } },
      {
        reverse: {
          transfer: '51207',
          day: -127,
          reason:
            'Virement imputé par erreur sur la subvention de l’État : c’est l’avance du programme d’actions régional, réimputée sur la bonne subvention.',
        },
      },
    ],
  },
  {
    cluster: NOVAE_LR,
    funder: 'region',
    purpose: 'Programme d’actions annuel de Novae LR : animation de l’économie numérique en Languedoc-Roussillon',
    decision: { day: -150, number: '06.11' },
    amount: eur(50_000),
    eligibleCost: eur(125_000),
    financingPlan: [
      { kind: ShareKind.REGION, label: 'Région Occitanie', funder: 'region', amount: eur(50_000) },
      { kind: ShareKind.OWN_FUNDS, label: OWN_FUNDS, amount: eur(75_000) },
    ],
    instalments: [
      { kind: ADVANCE, amount: eur(20_000), dueDay: -140 },
      { kind: BALANCE, amount: eur(30_000), dueDay: 200 },
    ],
    justificationDay: 180,
    steps: [{ receipt: { amount: eur(20_000), day: -131, transfer: '51207' } }],
  },

  // PixLR: the Region's programme, a FEDER production platform, and a request the Region has not decided yet.
  {
    cluster: PIXLR,
    funder: 'region',
    purpose: 'Programme d’actions annuel de PixLR : soutien aux studios de création numérique (jeu vidéo, animation, réalité virtuelle)',
    decision: { day: -210, number: '03.15' },
    amount: eur(50_000),
    eligibleCost: eur(110_000),
    financingPlan: [
      { kind: ShareKind.REGION, label: 'Région Occitanie', funder: 'region', amount: eur(50_000) },
      { kind: ShareKind.OWN_FUNDS, label: OWN_FUNDS, amount: eur(60_000) },
    ],
    instalments: [
      { kind: ADVANCE, amount: eur(25_000), dueDay: -200 },
      { kind: BALANCE, amount: eur(25_000), dueDay: 120 },
    ],
    justificationDay: 150,
    steps: [{ receipt: { amount: eur(25_000), day: -193, transfer: '40561' } }],
  },
  {
    cluster: PIXLR,
    funder: 'feder',
    programme: 'feder',
    purpose: 'Plateau mutualisé de production numérique (capture de mouvement, réalité virtuelle) pour les studios adhérents',
    decision: { day: -520, number: '0093' },
    amount: eur(90_000),
    eligibleCost: eur(150_000),
    financingPlan: [
      { kind: ShareKind.EU_ERDF, label: 'FEDER', funder: 'feder', amount: eur(90_000) },
      { kind: ShareKind.REGION, label: 'Région Occitanie', funder: 'region', amount: eur(30_000) },
      { kind: ShareKind.OWN_FUNDS, label: OWN_FUNDS, amount: eur(30_000) },
    ],
    instalments: [
      { kind: ADVANCE, amount: eur(27_000), dueDay: -510 },
      { kind: INTERIM, amount: eur(36_000), dueDay: -200 },
      { kind: BALANCE, amount: eur(27_000), dueDay: 130 },
    ],
    justificationDay: 100,
    steps: [
      { transition: SubsidyState.ACTIVE, reason: 'Convention attributive signée par les deux parties.' },
      { receipt: { amount: eur(27_000), day: -503, transfer: '19930' } },
      { receipt: { amount: eur(36_000), day: -196, transfer: '40118' } },
    ],
  },
  {
    cluster: PIXLR,
    funder: 'region',
    requested: true,
    purpose:
      'Participation des studios adhérents aux salons internationaux du jeu vidéo et de l’animation (demande en cours d’instruction)',
    amount: eur(35_000),
  },
];
