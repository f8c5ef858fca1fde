import 'reflect-metadata';
import { OpenedParties, type OpenedParty } from './opened-parties.js';
import { Secrecy } from './voting-rules.js';

const party = (id: string): OpenedParty => ({ id, clusterId: `cluster-${id}`, secrecy: Secrecy.SECRET });

describe('OpenedParties', () => {
  it('gives back what it was told, and nothing for a proposal it was not', () => {
    const parties = new OpenedParties();
    parties.remember('p1', [party('a'), party('b')]);
    expect(parties.get('p1')).toEqual([party('a'), party('b')]);
    expect(parties.get('p2')).toBeUndefined();
  });

  it('forgets the least recently used proposal beyond its capacity', () => {
    const parties = new OpenedParties(2);
    parties.remember('p1', [party('a')]);
    parties.remember('p2', [party('b')]);
    expect(parties.get('p1')).toEqual([party('a')]); // p1 used: p2 is now the oldest
    parties.remember('p3', [party('c')]);
    expect(parties.size).toBe(2);
    expect(parties.get('p2')).toBeUndefined();
    expect(parties.get('p1')).toEqual([party('a')]);
    expect(parties.get('p3')).toEqual([party('c')]);
  });

  it('remembering a proposal again replaces it without growing', () => {
    const parties = new OpenedParties(2);
    parties.remember('p1', [party('a')]);
    parties.remember('p1', [party('b')]);
    expect(parties.size).toBe(1);
    expect(parties.get('p1')).toEqual([party('b')]);
  });
});
