import {
  DEPARTEMENT_REGION,
  luhnValid,
  regionOfDepartement,
  siretProblem,
  sirenProblem,
  SizeClass,
  sizeClassOf,
} from './french-identifiers.js';

describe('SIREN', () => {
  it.each(['732829320', '552100554', '356000000'])('accepts %s', (siren) => {
    expect(sirenProblem(siren)).toBeNull();
  });
  it.each([
    ['73282932', /9 digits/],
    ['7328293200', /9 digits/],
    ['73282932A', /9 digits/],
    ['732829321', /checksum/],
  ])('refuses %s', (siren, message) => {
    expect(sirenProblem(siren)).toMatch(message);
  });
});

describe('SIRET', () => {
  it('accepts a SIRET whose Luhn checksum holds and that starts with the SIREN', () => {
    expect(siretProblem('73282932000074', '732829320')).toBeNull();
    expect(luhnValid('73282932000074')).toBe(true);
  });
  it.each([
    ['7328293200007', undefined, /14 digits/],
    ['73282932000075', undefined, /checksum/],
    ['55210055400013', '732829320', /does not start with the SIREN 732829320/],
    ['12345678900017', undefined, /not a valid SIREN/],
  ])('refuses %s', (siret, siren, message) => {
    expect(siretProblem(siret, siren)).toMatch(message);
  });
  it("applies La Poste's digit-sum rule to La Poste's establishments", () => {
    // Digit sum 20, a multiple of 5, although the Luhn checksum fails.
    expect(siretProblem('35600000000015')).toBeNull();
    expect(luhnValid('35600000000015')).toBe(false);
    // Digit sum 19: refused, although the Luhn checksum holds.
    expect(luhnValid('35600000000014')).toBe(true);
    expect(siretProblem('35600000000014')).toMatch(/La Poste/);
    // The head office passes the ordinary Luhn rule too.
    expect(siretProblem('35600000000048')).toBeNull();
  });
});

describe('size classes', () => {
  it.each([
    [0, SizeClass.TPE],
    [9, SizeClass.TPE],
    [10, SizeClass.PME],
    [249, SizeClass.PME],
    [250, SizeClass.ETI],
    [4999, SizeClass.ETI],
    [5000, SizeClass.GE],
    [null, null],
  ])('headcount %p is %p', (headcount, expected) => {
    expect(sizeClassOf(headcount)).toBe(expected);
  });
});

describe('départements', () => {
  it('covers 01–95 except 20, plus 2A, 2B and 971–976', () => {
    const expected = [
      ...Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, '0')).filter((code) => code !== '20'),
      '2A',
      '2B',
      '971',
      '972',
      '973',
      '974',
      '975',
      '976',
    ];
    expect([...DEPARTEMENT_REGION.keys()].sort()).toEqual(expected.sort());
  });
  it('maps départements to their region', () => {
    expect(regionOfDepartement('34')).toBe('Occitanie');
    expect(regionOfDepartement('31')).toBe('Occitanie');
    expect(regionOfDepartement('06')).toBe("Provence-Alpes-Côte d'Azur");
    expect(regionOfDepartement('2a')).toBe('Corse');
    expect(regionOfDepartement('20')).toBeNull();
  });
});
