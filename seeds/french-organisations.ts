/**
 * Generated, plausible French organisations for the demo: names in the flavour of their
 * territory and trade, SIREN/SIRET with correct Luhn checksums, headcounts spanning the INSEE
 * size classes, départements and founding dates. Deterministic: everything comes from a seeded
 * Prng, and founding dates are counted back from the day of the seed (so a "start-up under
 * 8 years" stays one whenever the seed runs).
 */
import { LA_POSTE_SIREN, luhnValid, sirenProblem, siretProblem, SizeClass } from '../src/membership/french-identifiers.js';
import { OrganisationKind } from '../src/membership/organisation-kind.js';
import type { Prng, Weighted } from './prng.js';

/** What the seed passes to `organisations.createOrganisation` (the GraphQL input, without a contact). */
export interface OrganisationSeed {
  name: string;
  kind: OrganisationKind;
  siren?: string;
  siret?: string;
  headcount?: number;
  foundedOn?: string;
  departement?: string;
  website?: string;
  affiliations?: string[];
}

/** The trade a generated organisation's name evokes. */
export type Trade = 'cloud' | 'digital' | 'creation' | 'startup' | 'telecom' | 'academic';

/** How to generate the members of one collège. */
export interface OrganisationProfile {
  /** How many organisations, and of which size class (the counts add up to the total). */
  sizes: Partial<Record<SizeClass, number>>;
  trade: Trade;
  /** Kinds of the TPE and PME (ETI and GE are companies whenever companies are allowed). */
  kinds: Weighted<OrganisationKind>;
  departements: Weighted<string>;
  /** Age range, in years, of TPE and PME (ETI and GE are older: 15–50 years). */
  ageYears: readonly [number, number];
  /** Upper bound of the PME headcounts (a collège capping its members' staff). */
  maxHeadcount?: number;
  /** Each affiliation with the probability that an organisation declares it. */
  affiliations?: readonly (readonly [string, number])[];
  /** Scale the headcounts (within each size class) so that they add up to this. */
  totalHeadcount?: number;
}

/** Identifiers and names already handed out, shared by every profile of one seed run. */
export class GenerationRegistry {
  readonly sirens = new Set<string>();
  readonly names = new Set<string>();
}

const HEADCOUNT_BOUNDS: Record<SizeClass, readonly [number, number]> = {
  [SizeClass.TPE]: [1, 9],
  [SizeClass.PME]: [10, 249],
  [SizeClass.ETI]: [250, 4999],
  [SizeClass.GE]: [5000, 12000],
};

/** Local names, by département, that regional companies like to take. */
const ROOTS: Record<string, readonly string[]> = {
  '33': ['Chartrons', 'Médoc', 'Entre-deux-Mers'],
  '34': [
    'Garrigue',
    'Lez',
    'Pic Saint-Loup',
    'Maguelone',
    'Thau',
    'Salagou',
    'Peyrou',
    'Antigone',
    'Aigoual',
    'Orb',
    'Cigale',
    'Olivette',
    'Septimanie',
    'Mosson',
    'Clapas',
    'Écusson',
  ],
  '30': ['Cévennes', 'Gardon', 'Camargue', 'Vidourle', 'Cèze', 'Nemausus', 'Costières', 'Uzège'],
  '66': ['Canigou', 'Tramontane', 'Roussillon', 'Têt', 'Massane', 'Vermeille', 'Albères'],
  '11': ['Corbières', 'Minervois', 'Cathare', 'Cers', 'Fenouillèdes', 'Razès'],
  '48': ['Aubrac', 'Margeride', 'Lozère', 'Gévaudan'],
  '31': ['Garonne', 'Capitole', 'Violette', 'Pastel', 'Brique Rose', 'Canal du Midi', 'Comminges', 'Montaudran', 'Saint-Sernin'],
  '81': ['Albigeois', 'Cocagne', 'Sidobre', 'Montagne Noire'],
  '82': ['Quercy Blanc', 'Tescou', 'Lomagne'],
  '12': ['Rouergue', 'Larzac', 'Lévézou'],
  '65': ['Bigorre', 'Pyrène', 'Tourmalet'],
  '46': ['Quercy', 'Célé', 'Bouriane'],
  '32': ['Gascogne', 'Armagnac', 'Astarac'],
  '09': ['Couserans', 'Plantaurel', 'Montségur'],
  '06': [
    'Azur',
    'Riviera',
    'Mercantour',
    'Lérins',
    'Vésubie',
    'Baou',
    'Mimosa',
    'Sophia',
    'Paillon',
    'Brague',
    'Fontonne',
    'Cap d’Antibes',
    'Estéron',
  ],
  '83': ['Estérel', 'Maures', 'Porquerolles', 'Argens', 'Sainte-Baume'],
  '13': ['Calanque', 'Canebière', 'Sainte-Victoire', 'Phocée', 'Lacydon'],
  '75': ['Lutèce', 'Montmartre', 'Marais', 'Batignolles'],
};

/** Towns of each département, for schools and labs. */
const TOWNS: Record<string, readonly string[]> = {
  '33': ['Bordeaux'],
  '34': ['Montpellier', 'Béziers', 'Sète'],
  '30': ['Nîmes', 'Alès'],
  '66': ['Perpignan'],
  '11': ['Narbonne', 'Carcassonne'],
  '48': ['Mende'],
  '31': ['Toulouse', 'Labège'],
  '81': ['Albi', 'Castres'],
  '82': ['Montauban'],
  '12': ['Rodez'],
  '65': ['Tarbes'],
  '46': ['Cahors'],
  '32': ['Auch'],
  '09': ['Foix'],
  '06': ['Nice', 'Sophia Antipolis', 'Antibes', 'Cannes', 'Menton', 'Grasse'],
  '83': ['Saint-Raphaël', 'Toulon', 'Fréjus'],
  '13': ['Marseille', 'Aix-en-Provence'],
  '75': ['Paris'],
};

const TRADE_WORDS: Record<Trade, readonly string[]> = {
  cloud: [
    'Cloud',
    'Datacenter',
    'Hébergement',
    'Infogérance',
    'Data',
    'Systèmes',
    'Réseaux',
    'Cybersécurité',
    'Stockage',
    'Hosting',
    'Infra',
    'Sauvegarde',
    'Serveurs',
  ],
  digital: [
    'Numérique',
    'Digital',
    'Logiciels',
    'Solutions',
    'Conseil',
    'Informatique',
    'Web',
    'Software',
    'Technologies',
    'E-commerce',
    'Analytics',
    'Connect',
    'Mobile',
    'Développement',
  ],
  creation: [
    'Studio',
    'Productions',
    'Animation',
    'Images',
    'Games',
    'Design',
    'Interactive',
    'Médias',
    'Motion',
    'Son',
    '3D',
    'Création',
    'Pixels',
    'Films',
    'Réalité Virtuelle',
  ],
  startup: ['Labs', 'Tech', 'AI', 'IoT', 'App', 'Health', 'Green', 'Mobility', 'Robotics', 'Data', 'Pay', 'Edu'],
  telecom: [
    'Telecom',
    'Networks',
    'Semiconductors',
    'Microelectronics',
    'Software',
    'Systems',
    'Mobile',
    'IoT',
    'Wireless',
    'Embedded',
    'Radio',
    'Photonics',
    'Security',
    'Smart City',
  ],
  academic: ['Numérique', 'Informatique', 'Données', 'Réseaux', 'Création numérique'],
};

/** Words a name may start with ("Studio Garrigue", "Hébergement Cévennes"). */
const PREFIX_WORDS: Record<Trade, readonly string[]> = {
  cloud: ['Hébergement', 'Infogérance', 'Datacenter'],
  digital: ['Conseil', 'Solutions', 'Informatique'],
  creation: ['Studio', 'Atelier', 'Productions'],
  startup: [],
  telecom: [],
  academic: [],
};

const SYLLABLES = [
  'ka',
  'lo',
  'ne',
  'ri',
  'vo',
  'za',
  'mi',
  'so',
  'lu',
  'da',
  'fi',
  'no',
  'ra',
  'te',
  'vi',
  'mo',
  'sa',
  'li',
  'ba',
  'ze',
  'co',
  'ta',
  'pa',
  'si',
  'ty',
];
const ENDINGS = ['lis', 'nix', 'via', 'tek', 'eo', 'io', 'ra', 'ly', 'os', 'um', 'ix', 'lia', 'nova', 'ka', 'ne'];
const LAB_TOPICS = [
  "d'informatique",
  'des réseaux et télécommunications',
  "d'imagerie numérique",
  'de sciences des données',
  "d'intelligence artificielle",
  'de microélectronique',
  'de robotique',
];
const RESEARCH_FIELDS = [
  'informatique',
  'télécommunications',
  'microélectronique',
  'sciences du numérique',
  'systèmes embarqués',
  'image et son',
];
const SCHOOL_PATTERNS = [
  'École supérieure du numérique',
  'Institut des métiers du numérique',
  'École de design numérique',
  "École d'ingénieurs en informatique",
  'Campus du numérique',
];

/** "de Nîmes", "d'Alès". */
function of(town: string): string {
  return /^[AEIOUYÉÈÊÂÎÔH]/i.test(town) ? `d'${town}` : `de ${town}`;
}

/** An organisation's domain name, under the reserved `.example` domain, so no real site or mailbox is ever named. */
export function domainFor(name: string): string {
  return `${slugify(name)}.example`;
}

/** Its website, on that domain. */
export function websiteFor(name: string): string {
  return `https://www.${domainFor(name)}`;
}

function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** An invented brand of three syllables or so: "Kalonix", "Mirotek", "Savia". */
function brand(prng: Prng): string {
  const word = prng.pick(SYLLABLES) + (prng.chance(0.7) ? prng.pick(SYLLABLES) : '') + prng.pick(ENDINGS);
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function candidateName(prng: Prng, trade: Trade, kind: OrganisationKind, departement: string): string {
  const root = prng.pick(ROOTS[departement] ?? ROOTS['34']);
  const town = prng.pick(TOWNS[departement] ?? TOWNS['34']);
  const word = prng.pick(TRADE_WORDS[trade]);
  switch (kind) {
    case OrganisationKind.HIGHER_EDUCATION:
      return `${prng.pick(SCHOOL_PATTERNS)} ${of(town)}`;
    case OrganisationKind.RESEARCH_LAB:
      return prng.chance(0.6)
        ? `Laboratoire ${prng.pick(LAB_TOPICS)} ${of(town)}`
        : `Centre de recherche en ${prng.pick(RESEARCH_FIELDS)} ${of(town)}`;
    case OrganisationKind.PUBLIC_BODY:
      return prng.pick([`Agence de développement numérique ${of(town)}`, `Technopole ${root}`, `Syndicat mixte ${root} Numérique`]);
    case OrganisationKind.ASSOCIATION:
      return prng.pick([`Collectif ${root} ${word}`, `Association ${root} Numérique`, `Fab Lab ${root}`, `Les Ateliers ${root}`]);
    default:
      break;
  }
  if (trade === 'startup') return prng.chance(0.6) ? brand(prng) : `${brand(prng)} ${word}`;
  const style = prng.next();
  if (style < 0.2 && PREFIX_WORDS[trade].length) return `${prng.pick(PREFIX_WORDS[trade])} ${root}`;
  if (style < 0.65) return `${root} ${word}`;
  return `${brand(prng)} ${word}`;
}

function uniqueName(prng: Prng, registry: GenerationRegistry, trade: Trade, kind: OrganisationKind, departement: string): string {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const name = candidateName(prng, trade, kind, departement);
    if (!registry.names.has(name)) {
      registry.names.add(name);
      return name;
    }
  }
  throw new Error(`could not find a new ${trade} name in ${departement}`);
}

/** `base` followed by the one digit that makes the whole pass the Luhn check. */
export function withLuhnDigit(base: string): string {
  for (let digit = 0; digit <= 9; digit += 1) {
    if (luhnValid(`${base}${digit}`)) return `${base}${digit}`;
  }
  throw new Error('unreachable: one Luhn digit always fits');
}

/** A new, valid SIREN and the SIRET of its head office (NIC 000x + check digit). */
export function newIdentifiers(prng: Prng, registry: GenerationRegistry): { siren: string; siret: string } {
  for (;;) {
    const base = prng.pick(['3', '4', '5', '7', '8', '9']) + String(prng.int(0, 9_999_999)).padStart(7, '0');
    const siren = withLuhnDigit(base);
    if (siren === LA_POSTE_SIREN || registry.sirens.has(siren)) continue;
    registry.sirens.add(siren);
    const siret = withLuhnDigit(`${siren}000${prng.int(1, 9)}`);
    // The service checks them again; failing here names the generator, not the seed run.
    if (sirenProblem(siren) || siretProblem(siret, siren)) throw new Error(`generated an invalid identifier ${siret}`);
    return { siren, siret };
  }
}

/** The ISO date `days` days before `today`. */
export function isoDaysAgo(today: Date, days: number): string {
  const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - days * 86_400_000);
  return date.toISOString().slice(0, 10);
}

function headcountBounds(sizeClass: SizeClass, maxHeadcount: number | undefined): readonly [number, number] {
  const [low, high] = HEADCOUNT_BOUNDS[sizeClass];
  return [low, maxHeadcount === undefined ? high : Math.min(high, maxHeadcount)];
}

/**
 * Moves the headcounts to add up to `target` without changing anyone's size class: the largest
 * classes absorb the difference first (scaled proportionally, within their bounds), then the
 * smaller ones if needed; the rounding remainder goes to the largest organisations.
 */
function fitHeadcounts(orgs: { headcount: number; sizeClass: SizeClass; bounds: readonly [number, number] }[], target: number): void {
  const total = () => orgs.reduce((sum, o) => sum + o.headcount, 0);
  const groups = [[SizeClass.GE, SizeClass.ETI], [SizeClass.PME], [SizeClass.TPE]];
  for (const classes of groups) {
    const group = orgs.filter((o) => classes.includes(o.sizeClass));
    for (let round = 0; round < 3; round += 1) {
      const diff = target - total();
      const groupSum = group.reduce((sum, o) => sum + o.headcount, 0);
      if (diff === 0 || !groupSum) break;
      const factor = (groupSum + diff) / groupSum;
      for (const o of group) o.headcount = Math.min(o.bounds[1], Math.max(o.bounds[0], Math.round(o.headcount * factor)));
    }
  }
  const bySize = [...orgs].sort((a, b) => b.headcount - a.headcount);
  for (let pass = 0, diff = target - total(); diff !== 0 && pass < 100; pass += 1) {
    for (const o of bySize) {
      const step = Math.sign(diff);
      if (step === 0) break;
      const next = o.headcount + step;
      if (next >= o.bounds[0] && next <= o.bounds[1]) {
        o.headcount = next;
        diff -= step;
      }
    }
  }
}

/** The organisations of one profile, in a shuffled (but fixed) order. */
export function generateOrganisations(
  profile: OrganisationProfile,
  prng: Prng,
  registry: GenerationRegistry,
  today: Date,
): OrganisationSeed[] {
  const sizeClasses = prng.shuffle(
    (Object.entries(profile.sizes) as [SizeClass, number][]).flatMap(([sizeClass, count]) => Array<SizeClass>(count).fill(sizeClass)),
  );
  const companiesAllowed = profile.kinds.some(([kind]) => kind === OrganisationKind.COMPANY);
  const drafts = sizeClasses.map((sizeClass) => {
    const big = sizeClass === SizeClass.ETI || sizeClass === SizeClass.GE;
    const kind = big && companiesAllowed ? OrganisationKind.COMPANY : prng.weighted(profile.kinds);
    const departement = prng.weighted(profile.departements);
    const name = uniqueName(prng, registry, profile.trade, kind, departement);
    const bounds = headcountBounds(sizeClass, profile.maxHeadcount);
    const headcount = prng.logInt(bounds[0], bounds[1]);
    const [minAge, maxAge] = big ? [15, 50] : profile.ageYears;
    const ageDays = Math.floor((minAge + prng.next() * (maxAge - minAge)) * 365.25);
    const affiliations = (profile.affiliations ?? []).filter(([, probability]) => prng.chance(probability)).map(([a]) => a);
    return {
      seed: {
        name,
        kind,
        ...newIdentifiers(prng, registry),
        foundedOn: isoDaysAgo(today, ageDays),
        departement,
        website: websiteFor(name),
        affiliations,
      },
      headcount,
      sizeClass,
      bounds,
    };
  });
  if (profile.totalHeadcount !== undefined) fitHeadcounts(drafts, profile.totalHeadcount);
  return drafts.map(({ seed, headcount }) => ({ ...seed, headcount }));
}
