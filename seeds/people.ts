/**
 * The contact people of the demo's organisations: plausible French names (southern surnames
 * first, as in the clusters' territories), a role that fits the organisation, and an email on the
 * organisation's reserved `.example` domain, so no real mailbox is ever named. Deterministic: a
 * seeded Prng of its own, so adding people changes none of the generated organisations.
 */
import { SizeClass, sizeClassOf } from '../src/membership/french-identifiers.js';
import { OrganisationKind } from '../src/membership/organisation-kind.js';
import { domainFor } from './french-organisations.js';
import type { Prng } from './prng.js';

/** What `organisations.addPerson` (or `createOrganisation`'s `contact`) takes. */
export interface ContactSeed {
  fullName: string;
  email: string;
  roleInOrganisation: string;
}

/** Seed of the people's generator (the day Telecom Valley's 150 members were counted is not known; any constant does). */
export const PEOPLE_SEED = 20151031;

const WOMEN = [
  'Agnès',
  'Amandine',
  'Anne',
  'Audrey',
  'Aurélie',
  'Camille',
  'Cécile',
  'Céline',
  'Charlotte',
  'Chloé',
  'Claire',
  'Delphine',
  'Élodie',
  'Estelle',
  'Fanny',
  'Florence',
  'Inès',
  'Isabelle',
  'Julie',
  'Karine',
  'Laure',
  'Léa',
  'Lucie',
  'Manon',
  'Margaux',
  'Marion',
  'Mathilde',
  'Myriam',
  'Nadia',
  'Nathalie',
  'Pauline',
  'Samia',
  'Sandrine',
  'Sarah',
  'Valérie',
  'Virginie',
];
const MEN = [
  'Alexandre',
  'Antoine',
  'Arnaud',
  'Benoît',
  'Bruno',
  'Cédric',
  'Christophe',
  'Damien',
  'Éric',
  'Fabien',
  'Frédéric',
  'Guillaume',
  'Hugo',
  'Jean-Luc',
  'Jean-Marc',
  'Jérôme',
  'Karim',
  'Lucas',
  'Marc',
  'Mathieu',
  'Maxime',
  'Mehdi',
  'Olivier',
  'Philippe',
  'Pierre',
  'Raphaël',
  'Rémi',
  'Romain',
  'Samuel',
  'Sébastien',
  'Stéphane',
  'Vincent',
  'Xavier',
  'Yann',
];
/** Surnames of Occitanie and Provence, with a few from everywhere (none of the demo's named people's). */
const SURNAMES = [
  'Alibert',
  'Auriol',
  'Azaïs',
  'Baldy',
  'Barthe',
  'Bonnefoy',
  'Bonnet',
  'Bories',
  'Bousquet',
  'Cabanel',
  'Calmels',
  'Carrère',
  'Cazals',
  'Chabert',
  'Combes',
  'Couderc',
  'Dalmas',
  'Daudé',
  'Delmas',
  'Escande',
  'Espinasse',
  'Estève',
  'Ferrand',
  'Fourcade',
  'Fournier',
  'Garcia',
  'Gély',
  'Ginestet',
  'Giraud',
  'Granier',
  'Guiraud',
  'Héraud',
  'Imbert',
  'Issartel',
  'Jourdan',
  'Lacombe',
  'Lafon',
  'Lambert',
  'Laporte',
  'Lautier',
  'Martinez',
  'Maurel',
  'Mazel',
  'Méjean',
  'Mercier',
  'Nègre',
  'Noguier',
  'Ollier',
  'Pagès',
  'Pons',
  'Puech',
  'Pujol',
  'Raybaud',
  'Rey',
  'Ricard',
  'Rigal',
  'Sabatier',
  'Salles',
  'Serre',
  'Sicard',
  'Soulier',
  'Tardieu',
  'Teissier',
  'Tournier',
  'Trinquier',
  'Valette',
  'Vergnes',
  'Vialle',
];

/** A role in the organisation, as the French say it: [for a woman, for a man]. */
type Wording = readonly [string, string];

const ROLES: Record<OrganisationKind, readonly Wording[]> = {
  [OrganisationKind.COMPANY]: [],
  [OrganisationKind.HIGHER_EDUCATION]: [
    ['Directrice des relations entreprises', 'Directeur des relations entreprises'],
    ['Directrice', 'Directeur'],
  ],
  [OrganisationKind.RESEARCH_LAB]: [
    ['Directrice du laboratoire', 'Directeur du laboratoire'],
    ['Chargée de valorisation', 'Chargé de valorisation'],
  ],
  [OrganisationKind.PUBLIC_BODY]: [['Chargée de mission numérique', 'Chargé de mission numérique']],
  [OrganisationKind.ASSOCIATION]: [
    ['Présidente', 'Président'],
    ['Coordinatrice', 'Coordinateur'],
  ],
  [OrganisationKind.CLUSTER]: [
    ['Déléguée générale', 'Délégué général'],
    ['Présidente', 'Président'],
  ],
  [OrganisationKind.BUSINESS_CLUB]: [['Présidente', 'Président']],
  [OrganisationKind.IT_USERS_ASSOCIATION]: [['Présidente', 'Président']],
  [OrganisationKind.CIO_CLUB]: [['Présidente', 'Président']],
  [OrganisationKind.OTHER]: [['Responsable', 'Responsable']],
};

/** A company's contact: its founder or manager when small, someone in charge of partnerships when large. */
const COMPANY_ROLES: Record<SizeClass, readonly Wording[]> = {
  [SizeClass.TPE]: [
    ['Gérante', 'Gérant'],
    ['Fondatrice', 'Fondateur'],
    ['Cofondatrice', 'Cofondateur'],
  ],
  [SizeClass.PME]: [
    ['Directrice générale', 'Directeur général'],
    ['Présidente', 'Président'],
    ['Directrice commerciale', 'Directeur commercial'],
  ],
  [SizeClass.ETI]: [
    ['Directrice de l’innovation', 'Directeur de l’innovation'],
    ['Responsable des partenariats', 'Responsable des partenariats'],
  ],
  [SizeClass.GE]: [
    ['Directrice régionale', 'Directeur régional'],
    ['Responsable des relations écosystème', 'Responsable des relations écosystème'],
  ],
};

/** "Jean-Marc Azaïs" → "jean-marc.azais": the local part of an email. */
function mailbox(firstName: string, surname: string): string {
  const ascii = (text: string) =>
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z-]+/g, '-');
  return `${ascii(firstName)}.${ascii(surname)}`;
}

/** The contact person of an organisation: a name, a role that fits its kind and size, an email on its domain. */
export function contactFor(prng: Prng, organisation: { name: string; kind: OrganisationKind; headcount?: number }): ContactSeed {
  const woman = prng.chance(0.5);
  const firstName = prng.pick(woman ? WOMEN : MEN);
  const surname = prng.pick(SURNAMES);
  const roles =
    organisation.kind === OrganisationKind.COMPANY
      ? COMPANY_ROLES[sizeClassOf(organisation.headcount) ?? SizeClass.PME]
      : ROLES[organisation.kind];
  const [forWoman, forMan] = prng.pick(roles);
  return {
    fullName: `${firstName} ${surname}`,
    email: `${mailbox(firstName, surname)}@${domainFor(organisation.name)}`,
    roleInOrganisation: woman ? forWoman : forMan,
  };
}
