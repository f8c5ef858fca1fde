import { frBasisPoints, frDate, frDateTime, frNumber, frPercent, frTime } from '../../../src/governance/meeting-minutes.labels.js';
import type { MinutesRecord } from '../../../src/governance/meeting-minutes.record.js';
import { renderExtract, renderMeetingMinutes, splitMinutes } from '../../../src/governance/meeting-minutes.render.js';
import { MeetingKind, MeetingState } from '../../../src/governance/meeting.entity.js';
import { QuorumBasis } from '../../../src/governance/statutes.entity.js';
import { BodyKind } from '../../../src/governance/voting-body.entity.js';
import { MinutesRole } from '../../../src/governance/minutes.entity.js';

/** The French formats of the procès-verbal (Paris time), and the canonical text's shape, without a database. */

describe('French formats', () => {
  it('says dates and times as in French, in Paris (summer and winter time), the first of the month as 1er', () => {
    expect(frDateTime(new Date('2025-06-03T16:30:00Z'))).toBe('mardi 3 juin 2025 à 18 h 30');
    expect(frDateTime(new Date('2026-12-03T17:05:00Z'))).toBe('jeudi 3 décembre 2026 à 18 h 05');
    expect(frDate(new Date('2025-06-01T10:00:00Z'))).toBe('dimanche 1er juin 2025');
    expect(frTime(new Date('2025-06-03T22:15:00Z'))).toBe('00 h 15');
  });

  it('writes numbers with a narrow no-break space between thousands and a decimal comma', () => {
    expect(frNumber(1234.56)).toBe('1\u202f234,56');
    expect(frNumber(5000)).toBe('5\u202f000');
    expect(frPercent(2 / 3)).toBe('66,67\u00a0%');
    expect(frBasisPoints(5000)).toBe('50\u00a0%');
    expect(frBasisPoints(6667)).toBe('66,67\u00a0%');
  });
});

const record = (over: Partial<MinutesRecord['head']> = {}): MinutesRecord => ({
  head: {
    id: 'm2',
    clusterId: 'c',
    association: 'FrenchSouth.digital',
    bodyName: 'Assemblée générale',
    bodyKind: BodyKind.GENERAL_ASSEMBLY,
    kind: MeetingKind.EXTRAORDINARY_GENERAL_ASSEMBLY,
    title: 'AGE du 12 mars 2027',
    state: MeetingState.CLOSED,
    convocation: 2,
    firstScheduledAt: new Date('2027-02-26T17:00:00Z'),
    scheduledAt: new Date('2027-03-12T17:00:00Z'),
    place: 'Montpellier',
    remoteAllowed: false,
    convenedAt: new Date('2027-02-27T09:00:00Z'),
    noticeForcedReason: null,
    openedAt: new Date('2027-03-12T17:10:00Z'),
    closedAt: new Date('2027-03-12T19:00:00Z'),
    quorum: { electorate: 1234, present: 300, represented: 12, counted: 312, required: 0, met: true },
    chairId: 'a',
    chair: 'Anne',
    secretaryId: 'b',
    secretary: 'Bruno',
    recipients: 1234,
    statutes: { version: 3, quorumBasis: QuorumBasis.PRESENT_OR_REPRESENTED, quorumBasisPoints: null, remoteCountsAsPresent: false },
    ...over,
  },
  agenda: [
    { id: 'i1', position: 1, title: 'Fusion', description: '', binding: true },
    { id: 'i2', position: 2, title: 'Questions diverses', description: '', binding: false },
  ],
  present: [],
  represented: [],
  resolutions: [],
  collegeNames: new Map(),
});

describe('the canonical text', () => {
  it('records a second convocation, its first one, and a quorum of none; the same record gives the same bytes', () => {
    const text = renderMeetingMinutes(record(), { i1: 'Note' }, 1);
    expect(text).toContain('- Séance : Assemblée générale extraordinaire, seconde convocation — close');
    expect(text).toContain('- Première convocation : séance du vendredi 26 février 2027, ajournée faute de quorum');
    expect(text).toContain('- Destinataires : 1\u202f234 membres convoqués');
    expect(text).toContain('- Quorum statutaire : aucun à cette convocation (statuts, version 3)');
    expect(text).toContain('- Présents à distance : 0, non comptés comme présents');
    expect(renderMeetingMinutes(record(), { i1: 'Note' }, 1)).toBe(text);
    expect(renderMeetingMinutes(record(), { i1: 'Note' }, 2)).not.toBe(text);
  });

  it('cuts an extract out of the text: the header and the chosen items only', () => {
    const text = renderMeetingMinutes(record(), {}, 1);
    const { header, items } = splitMinutes(text);
    expect(header[0]).toBe('- Association : FrenchSouth.digital');
    expect([...items.keys()]).toEqual([1, 2]);
    const extract = renderExtract(
      text,
      'f'.repeat(64),
      1,
      [2],
      [{ role: MinutesRole.CHAIR, signer: 'Anne', sha256: 'f'.repeat(64), signedAt: new Date('2027-03-13T09:00:00Z') }],
    );
    expect(extract).toContain('### Point 2 — Questions diverses');
    expect(extract).not.toContain('### Point 1');
    expect(extract).not.toContain('Version du procès-verbal');
    expect(extract).toContain('- Président de séance : Anne, signé le samedi 13 mars 2027 à 10 h 00 (heure de Paris)');
  });
});
