/**
 * French company identifiers and geography: SIREN/SIRET checks, size classes, départements.
 * Pure functions; the services and the input validators both use them.
 */

/** Luhn checksum over a string of digits (used by INSEE for SIREN and SIRET). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** La Poste's SIREN: its thousands of establishments are numbered outside the Luhn rule. */
export const LA_POSTE_SIREN = '356000000';
const LA_POSTE_HEAD_OFFICE_SIRET = '35600000000048';

/** Why a SIREN is invalid, or null when it is valid. */
/**
 * A SIREN or SIRET as people type it ("826 709 339", "826 709 339 00013", with non-breaking
 * spaces or dots): its digits, so it is checked and stored in one form.
 */
export function normaliseIdentifier(value: string): string {
  return value.replace(/[\s\u00a0\u202f.]/g, '');
}

export function sirenProblem(siren: string): string | null {
  if (!/^\d{9}$/.test(siren)) return 'a SIREN is exactly 9 digits';
  if (!luhnValid(siren)) return 'this SIREN fails its checksum (Luhn)';
  return null;
}

/** Why a SIRET is invalid (optionally against the organisation's SIREN), or null. */
export function siretProblem(siret: string, siren?: string | null): string | null {
  if (!/^\d{14}$/.test(siret)) return 'a SIRET is exactly 14 digits';
  const head = siret.slice(0, 9);
  if (siren && head !== siren) return `this SIRET does not start with the SIREN ${siren}`;
  if (sirenProblem(head)) return 'the first 9 digits of this SIRET are not a valid SIREN';
  if (head === LA_POSTE_SIREN) {
    // La Poste: valid when the digit sum is a multiple of 5; its head office is the exception.
    const digitSum = [...siret].reduce((sum, c) => sum + Number(c), 0);
    if (digitSum % 5 === 0 || siret === LA_POSTE_HEAD_OFFICE_SIRET) return null;
    return "this SIRET fails La Poste's checksum (digit sum multiple of 5)";
  }
  if (!luhnValid(siret)) return 'this SIRET fails its checksum (Luhn)';
  return null;
}

export enum SizeClass {
  TPE = 'TPE',
  PME = 'PME',
  ETI = 'ETI',
  GE = 'GE',
}

/** INSEE size classes by headcount: TPE < 10, PME < 250, ETI < 5 000, GE from 5 000. */
export function sizeClassOf(headcount: number | null | undefined): SizeClass | null {
  if (headcount === null || headcount === undefined) return null;
  if (headcount < 10) return SizeClass.TPE;
  if (headcount < 250) return SizeClass.PME;
  if (headcount < 5000) return SizeClass.ETI;
  return SizeClass.GE;
}

/** The SQL expression of `sizeClassOf`, for the generated column and filters. */
export const SIZE_CLASS_SQL = `case when headcount is null then null when headcount < 10 then 'TPE' when headcount < 250 then 'PME' when headcount < 5000 then 'ETI' else 'GE' end`;

const REGIONS: Record<string, string[]> = {
  'Auvergne-Rhône-Alpes': ['01', '03', '07', '15', '26', '38', '42', '43', '63', '69', '73', '74'],
  'Bourgogne-Franche-Comté': ['21', '25', '39', '58', '70', '71', '89', '90'],
  Bretagne: ['22', '29', '35', '56'],
  'Centre-Val de Loire': ['18', '28', '36', '37', '41', '45'],
  Corse: ['2A', '2B'],
  'Grand Est': ['08', '10', '51', '52', '54', '55', '57', '67', '68', '88'],
  'Hauts-de-France': ['02', '59', '60', '62', '80'],
  'Île-de-France': ['75', '77', '78', '91', '92', '93', '94', '95'],
  Normandie: ['14', '27', '50', '61', '76'],
  'Nouvelle-Aquitaine': ['16', '17', '19', '23', '24', '33', '40', '47', '64', '79', '86', '87'],
  Occitanie: ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'],
  'Pays de la Loire': ['44', '49', '53', '72', '85'],
  "Provence-Alpes-Côte d'Azur": ['04', '05', '06', '13', '83', '84'],
  Guadeloupe: ['971'],
  Martinique: ['972'],
  Guyane: ['973'],
  'La Réunion': ['974'],
  'Saint-Pierre-et-Miquelon': ['975'],
  Mayotte: ['976'],
};

/** Département code → region name (the 2016 regions). 01–95 without 20, 2A, 2B, 971–976. */
export const DEPARTEMENT_REGION: ReadonlyMap<string, string> = new Map(
  Object.entries(REGIONS).flatMap(([region, codes]) => codes.map((code) => [code, region] as const)),
);

export const REGION_NAMES: readonly string[] = Object.keys(REGIONS);

export function regionOfDepartement(code: string): string | null {
  return DEPARTEMENT_REGION.get(code.toUpperCase()) ?? null;
}
