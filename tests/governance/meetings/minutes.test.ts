import { startTestApp, type TestApp } from '../../support/test-app.js';
import { FAST_HASHER, ok, refused, sha256 } from '../support.js';
import { closedMeeting, DRAFT, EXTRACT, READ_MINUTES, SIGN, type MinutesFixture } from './minutes-fixture.js';

/**
 * The procès-verbal of a meeting (issue 15, item 5), over HTTP: what it records, its versions,
 * who signs it and how, certified extracts, and nothing half-written when refused.
 */
let app: TestApp;
let m: MinutesFixture;
let outsider: { accountId: string; token: string };
beforeAll(async () => {
  app = await startTestApp({ app: { hasher: FAST_HASHER } });
  m = await closedMeeting(app);
  outsider = await app.signUp();
});
afterAll(() => app.close());

const draftMinutes = (token: string, meetingId: string, itemNotes?: { agendaItemId: string; text: string }[]) =>
  app.gql(DRAFT, { input: { meetingId, itemNotes } }, { token });
const sign = (token: string, id: string) => app.gql(SIGN, { id }, { token });
const rows = async (table: 'meeting_minutes' | 'minutes_signature') =>
  (await app.sql<{ n: number }>(`select count(*)::int as n from ${table}`))[0].n;

/** The lines of one `### Point n` section of a text. */
function section(text: string, position: number): string {
  const start = text.indexOf(`### Point ${position} — `);
  const rest = text.slice(start + 1);
  const end = rest.search(/\n(### Point |## )/);
  return rest.slice(0, end);
}

describe('drawing up the procès-verbal', () => {
  let text: string;
  beforeAll(async () => {
    const data = ok(
      await draftMinutes(m.admin.token, m.meetingId, [
        { agendaItemId: m.items[1].id, text: 'Débat nourri sur les axes.\n## pas un titre' },
      ]),
    );
    text = data.draftMinutes.minutes.text;
    expect(data.draftMinutes.minutes.sha256).toBe(sha256(text));
    expect(data.draftMinutes.minutes.version).toBe(1);
  });

  it('names the association, the body, the kind of meeting, the date and local time in Paris, the place', () => {
    expect(text).toMatch(/^# Procès-verbal — Conseil d’administration du 3 juin 2025$/m);
    expect(text).toContain('- Association : DigitalPlace');
    expect(text).toContain('- Instance : Conseil d’administration (conseil d’administration)');
    expect(text).toContain('- Séance : Réunion du conseil d’administration, première convocation — close');
    expect(text).toContain('- Date : mardi 3 juin 2025 à 18 h 30 (heure de Paris)');
    expect(text).toContain('- Lieu : 12 rue de la Paix, 75002 Paris — participation à distance ouverte');
  });

  it('records the convocation: date, channel, recipients, number', () => {
    expect(text).toContain('- Convocation n° 1 (première convocation)');
    expect(text).toContain('- Envoyée le : jeudi 15 mai 2025 à 10 h 00 (heure de Paris)');
    expect(text).toContain('- Canal : courrier électronique (EMAIL)');
    expect(text).toContain('- Destinataires : 4 membres convoqués (liste arrêtée à l’envoi)');
    expect(text).not.toContain('Délai de convocation réduit');
  });

  it('records the agenda, a non-binding item marked', () => {
    expect(text).toContain(
      '1. Approbation du procès-verbal précédent\n2. Convention de partenariat\n3. Questions diverses (point non délibératif)',
    );
  });

  it('records attendance (in person, remote, represented and by whom) and the quorum', () => {
    expect(text).toContain('- Présents en personne : 2');
    expect(text).toContain('- Présents à distance : 1, comptés comme présents');
    expect(text).toContain('- Représentés par pouvoir : 1');
    expect(text).toContain('### Présents en personne\n\n- Claire Martin\n- Sophie Bernard');
    expect(text).toContain('### Présents à distance\n\n- Julien Petit');
    expect(text).toContain('- Marc Dubois, représenté par Sophie Bernard');
    // The revoked pouvoir (to the chair) is not a representation.
    expect(text).not.toContain('représenté par Claire Martin');
    expect(text).toContain('- Quorum : 4 comptés (présents ou représentés) pour 2 requis, sur 4 membres convoqués — **atteint**');
    expect(text).toMatch(
      /- Quorum statutaire : 50\s% des membres convoqués, compté sur les présents ou représentés \(statuts, version 1\)/u,
    );
  });

  it('names the chair and the secretary', () => {
    expect(text).toContain('- Président de séance : Claire Martin\n- Secrétaire de séance : Julien Petit');
  });

  it('gives each resolution its text and result, the per-collège table of a weighted vote, the roll call', () => {
    const item = section(text, 2);
    expect(item).toContain('#### Résolution : Convention de partenariat avec FrenchSouth.digital (résolution)');
    expect(item).toContain('> Le conseil approuve la convention de partenariat.\n> Il mandate la présidente pour la signer.');
    expect(item).toContain('- Pour : 2 — Contre : 1 — Abstention : 1');
    expect(item).toMatch(/- Résultat pondéré : pour 66,67\s%, contre 16,67\s%, abstention 16,67\s%/u);
    expect(item).toContain('- Décision : **ADOPTÉE** (quorum et majorité atteints)');
    expect(item).toContain('| Collège | Poids | Électorat | Votants | Pour | Contre | Abstention | Part retenue | Majorité |');
    expect(item).toMatch(/\| Collège [\d.]+ \| 66,67\s% \| 2 \| 2 \| 2 \| 0 \| 0 \| 66,67\s% \| atteinte \|/u);
    expect(item).toContain('##### Votes nominatifs');
    expect(item).toContain('- Claire Martin : pour');
    expect(item).toContain('- Sophie Bernard : contre');
    expect(item).toContain('- Marc Dubois : abstention');
    // The item's description, quoted (a pipe in it does not make a table).
    expect(item).toContain('> Présentation de la convention | axes : innovation.');
  });

  it('lists the participants of a secret vote, never their choices', () => {
    const item = section(text, 1);
    expect(item).toContain('- Pour : 2 — Contre : 1 — Abstention : 0');
    expect(item).toContain('##### Ont pris part au vote (scrutin secret)\n\n- Claire Martin\n- Julien Petit\n- Sophie Bernard');
    expect(item).not.toMatch(/^- .* : (pour|contre|abstention)$/m);
    expect(item).not.toContain('| Collège');
  });

  it('keeps the free text of an item quoted, and the closing time', () => {
    const item = section(text, 2);
    expect(item).toContain('Observations du secrétaire de séance :\n\n> Débat nourri sur les axes.\n> ## pas un titre');
    expect(section(text, 3)).toContain('Point non délibératif : aucune résolution n’y est votée.');
    expect(text).toContain('La séance est ouverte le mardi 3 juin 2025 à 18 h 35, le quorum étant atteint.');
    expect(text).toContain('L’ordre du jour étant épuisé, la séance est levée le mardi 3 juin 2025 à 20 h 45 (heure de Paris).');
  });
});

describe('versions and signatures', () => {
  it('signs by the designated roles over the digest; an edit makes an unsigned version, the old one keeps its signatures', async () => {
    const v = ok(await draftMinutes(m.admin.token, m.meetingId)).draftMinutes.minutes;
    const signed = ok(await sign(m.chair.token, v.id)).signMinutes;
    expect(signed.signature).toMatchObject({ role: 'CHAIR', sha256: v.sha256, signer: { id: m.chair.accountId } });
    expect(signed.minutes.signed).toBe(false);

    // The secretary edits (a new version with their note): no signature on it.
    const edited = ok(
      await draftMinutes(m.secretary.token, m.meetingId, [{ agendaItemId: m.items[0].id, text: 'Adopté sans débat.' }]),
    ).draftMinutes;
    expect(edited.minutes.version).toBe(v.version + 1);
    expect(edited.minutes.signatures).toEqual([]);
    expect(edited.minutes.signed).toBe(false);
    expect(edited.minutes.sha256).not.toBe(v.sha256);
    // Notes of earlier versions carry over unless named.
    expect(edited.minutes.notes).toEqual(
      expect.arrayContaining([
        { agendaItemId: m.items[0].id, text: 'Adopté sans débat.' },
        { agendaItemId: m.items[1].id, text: 'Débat nourri sur les axes.\n## pas un titre' },
      ]),
    );
    expect(edited.meeting.minutes).toEqual({ id: edited.minutes.id, version: edited.minutes.version });
    const history = edited.meeting.minutesHistory as { version: number; signatures: { role: string }[] }[];
    expect(history.map((h) => h.version)).toEqual([...Array(edited.minutes.version).keys()].map((i) => edited.minutes.version - i));
    expect(history.find((h) => h.version === v.version)!.signatures).toEqual([{ role: 'CHAIR' }]);

    // The old version, read back: its text and its signature unchanged.
    const old = ok(await app.gql(READ_MINUTES, { meetingId: m.meetingId, version: v.version }, { token: m.member.token })).meetingMinutes;
    expect(old).toMatchObject({ id: v.id, text: v.text, sha256: v.sha256, signatures: [{ role: 'CHAIR', sha256: v.sha256 }] });

    // Signing the superseded version is refused; the new one is signed by both.
    const before = await rows('minutes_signature');
    expect(refused(await sign(m.secretary.token, v.id))).toEqual({ code: 'CONFLICT', reason: 'MINUTES_VERSION_SUPERSEDED' });
    ok(await sign(m.chair.token, edited.minutes.id));
    expect(refused(await sign(m.chair.token, edited.minutes.id))).toEqual({ code: 'CONFLICT', reason: 'MINUTES_ALREADY_SIGNED' });
    expect(refused(await sign(m.member.token, edited.minutes.id))).toEqual({ code: 'FORBIDDEN', reason: 'MINUTES_SIGNER_NOT_DESIGNATED' });
    expect(refused(await sign(m.admin.token, edited.minutes.id))).toEqual({ code: 'FORBIDDEN', reason: 'MINUTES_SIGNER_NOT_DESIGNATED' });
    expect(await rows('minutes_signature')).toBe(before + 1);
    const done = ok(await sign(m.secretary.token, edited.minutes.id)).signMinutes.minutes;
    expect(done.signed).toBe(true);
    expect(done.signatures.map((s: { role: string; sha256: string }) => [s.role, s.sha256])).toEqual([
      ['CHAIR', sha256(done.text)],
      ['SECRETARY', sha256(done.text)],
    ]);
    const latest = ok(await app.gql(READ_MINUTES, { meetingId: m.meetingId }, { token: m.member.token })).meetingMinutes;
    expect(latest.id).toBe(edited.minutes.id);
  });

  it('refuses a draft to those neither managing meetings nor its secretary, of a meeting not over, with a foreign item; writes nothing', async () => {
    const before = await rows('meeting_minutes');
    expect(refused(await draftMinutes(outsider.token, m.meetingId))).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    expect(refused(await draftMinutes(m.chair.token, m.meetingId))).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    const foreign = await draftMinutes(m.admin.token, m.meetingId, [{ agendaItemId: m.admin.accountId, text: 'x' }]);
    expect(refused(foreign).code).toBe('BAD_USER_INPUT');
    await app.sql(`update meeting set state = 'OPEN' where id = $1`, [m.meetingId]);
    try {
      const open = await draftMinutes(m.admin.token, m.meetingId);
      expect(refused(open)).toEqual({ code: 'CONFLICT', reason: 'MEETING_NOT_CLOSED' });
      expect(open.body.errors![0].extensions!.currentState).toBe('OPEN');
    } finally {
      await app.sql(`update meeting set state = 'CLOSED' where id = $1`, [m.meetingId]);
    }
    expect(await rows('meeting_minutes')).toBe(before);
    expect(refused(await app.gql(READ_MINUTES, { meetingId: m.meetingId }, { token: outsider.token })).code).toBe('FORBIDDEN');
  });
});

describe('certified extracts', () => {
  it('certifies chosen items of a signed version, with the header and the signatures', async () => {
    const v = ok(await draftMinutes(m.admin.token, m.meetingId)).draftMinutes.minutes;
    expect(refused(await app.gql(EXTRACT, { id: v.id, items: [m.items[1].id] }, { token: m.member.token }))).toEqual({
      code: 'CONFLICT',
      reason: 'MINUTES_NOT_SIGNED',
    });
    ok(await sign(m.chair.token, v.id));
    ok(await sign(m.secretary.token, v.id));
    const extract = ok(await app.gql(EXTRACT, { id: v.id, items: [m.items[1].id] }, { token: m.member.token })).minutesExtract;
    expect(extract.sha256).toBe(sha256(extract.text));
    expect(extract.minutes).toEqual({ id: v.id, version: v.version });
    const text: string = extract.text;
    expect(text).toMatch(/^# Extrait du procès-verbal — Conseil d’administration du 3 juin 2025$/m);
    expect(text).toContain('- Association : DigitalPlace');
    expect(text).toContain('- Date : mardi 3 juin 2025 à 18 h 30 (heure de Paris)');
    expect(text).toContain('- Lieu : 12 rue de la Paix');
    expect(text).toContain('- Quorum : 4 comptés (présents ou représentés) pour 2 requis, sur 4 membres convoqués — **atteint**');
    expect(text).toContain('### Point 2 — Convention de partenariat');
    expect(text).toContain('- Décision : **ADOPTÉE**');
    expect(text).not.toContain('### Point 1');
    expect(text).not.toContain('### Point 3');
    expect(text).toContain('## Extrait certifié conforme');
    expect(text).toContain(
      `Extrait certifié conforme au procès-verbal, version ${v.version}, dont l’empreinte SHA-256 est \`${v.sha256}\``,
    );
    expect(text).toMatch(/- Président de séance : Claire Martin, signé le .* à \d\d h \d\d \(heure de Paris\), empreinte/);
    expect(text).toMatch(/- Secrétaire de séance : Julien Petit, signé le /);

    expect(refused(await app.gql(EXTRACT, { id: v.id, items: [m.meetingId] }, { token: m.member.token })).code).toBe('BAD_USER_INPUT');
    expect(refused(await app.gql(EXTRACT, { id: v.id, items: [m.items[1].id] }, { token: outsider.token })).code).toBe('FORBIDDEN');
  });
});

describe('a meeting adjourned for lack of quorum', () => {
  it('has minutes recording the failed quorum, and nothing deliberated', async () => {
    const adjourned = await closedMeeting(app, { state: 'ADJOURNED_NO_QUORUM', forcedReason: 'Urgence : date limite de la subvention' });
    const text: string = ok(await draftMinutes(adjourned.admin.token, adjourned.meetingId)).draftMinutes.minutes.text;
    expect(text).toContain('- Séance : Réunion du conseil d’administration, première convocation — ajournée faute de quorum');
    expect(text).toContain('- Quorum : 1 compté (présents ou représentés) pour 2 requis, sur 4 membres convoqués — **non atteint**');
    expect(text).toContain('- Délai de convocation réduit par un administrateur, motif : Urgence : date limite de la subvention');
    expect(text).toContain('Constat de carence le mardi 3 juin 2025 à 18 h 35');
    expect(section(text, 2)).toContain('Non délibéré (quorum non atteint).');
    expect(text).toContain('Séance ajournée faute de quorum le mardi 3 juin 2025 à 18 h 35 (heure de Paris).');
  });
});
