import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as mupdf from 'mupdf';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { FAST_HASHER, ok, sha256 } from '../support.js';
import { closedMeeting, DRAFT, SIGN, type MinutesFixture } from './minutes-fixture.js';

/**
 * The procès-verbal's downloads (issue 15, item 5): GET /meetings/:id/minutes.md and .pdf, the
 * latest version or `?version=n`, for the readers of the cluster's meetings. The PDF is rendered
 * to an image with MuPDF (WASM): a page that is not blank, and the text of its key lines.
 */
let app: TestApp;
let m: MinutesFixture;
let v1: { id: string; sha256: string; text: string };
let v2: { id: string; sha256: string; text: string };
beforeAll(async () => {
  app = await startTestApp({ app: { hasher: FAST_HASHER } });
  m = await closedMeeting(app);
  const draft = async (note: string) =>
    ok(
      await app.gql(
        DRAFT,
        { input: { meetingId: m.meetingId, itemNotes: [{ agendaItemId: m.items[1].id, text: note }] } },
        { token: m.admin.token },
      ),
    ).draftMinutes.minutes;
  v1 = await draft('Première rédaction.');
  v2 = await draft('Le conseil a débattu des axes « innovation » et « international » ; 1 234,56 € de budget.');
  ok(await app.gql(SIGN, { id: v2.id }, { token: m.chair.token }));
  ok(await app.gql(SIGN, { id: v2.id }, { token: m.secretary.token }));
});
afterAll(() => app.close());

const get = (route: string, token?: string) => fetch(`${app.url}${route}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('Markdown', () => {
  it('is the latest version’s canonical text, then its signatures; ?version=n an older one', async () => {
    const res = await get(`/meetings/${m.meetingId}/minutes.md`, m.member.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain(`proces-verbal-${m.meetingId}-v2.md`);
    const body = await res.text();
    const [text, signatures] = body.split('\n---\n');
    expect(sha256(`${text.trimEnd()}\n`)).toBe(v2.sha256);
    expect(signatures).toContain('## Signatures (version 2)');
    expect(signatures).toContain(`Empreinte SHA-256 du texte ci-dessus (jusqu’au trait) : \`${v2.sha256}\``);
    expect(signatures).toMatch(/- Président de séance : Claire Martin, signé le /);
    expect(signatures).toMatch(/- Secrétaire de séance : Julien Petit, signé le /);

    const old = await (await get(`/meetings/${m.meetingId}/minutes.md?version=1`, m.member.token)).text();
    expect(old.startsWith(v1.text.trimEnd())).toBe(true);
    expect(old).toContain('- Aucune signature à ce jour.');
  });

  it('is refused without a token, to an outsider, for a bad or missing version', async () => {
    const outsider = await app.signUp();
    expect((await get(`/meetings/${m.meetingId}/minutes.md`)).status).toBe(401);
    const forbidden = await get(`/meetings/${m.meetingId}/minutes.md`, outsider.token);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await get(`/meetings/${m.meetingId}/minutes.pdf`, outsider.token)).status).toBe(403);
    const bad = await get(`/meetings/${m.meetingId}/minutes.md?version=abc`, m.member.token);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await get(`/meetings/${m.meetingId}/minutes.md?version=9`, m.member.token)).status).toBe(404);
    expect((await get(`/meetings/not-a-uuid/minutes.md`, m.member.token)).status).toBe(400);
  });
});

describe('PDF', () => {
  it('renders a readable first page carrying the key lines, in French', async () => {
    const res = await get(`/meetings/${m.meetingId}/minutes.pdf`, m.member.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');

    const doc = mupdf.Document.openDocument(bytes, 'application/pdf');
    const pages = doc.countPages();
    expect(pages).toBeGreaterThanOrEqual(2);
    const first = doc.loadPage(0);
    const pixmap = first.toPixmap(mupdf.Matrix.scale(1.5, 1.5), mupdf.ColorSpace.DeviceRGB, false, true);
    const pixels = pixmap.getPixels();
    let inked = 0;
    for (let i = 0; i < pixels.length; i += 3) if (pixels[i] + pixels[i + 1] + pixels[i + 2] < 600) inked += 1;
    const share = inked / (pixels.length / 3);
    // Not blank, not a black page: text covers a few percent of an A4 page.
    expect(share).toBeGreaterThan(0.01);
    expect(share).toBeLessThan(0.5);
    await mkdir(path.resolve('.tmp'), { recursive: true });
    await writeFile(path.resolve('.tmp/meeting-minutes-page1.png'), pixmap.asPNG());
    const second = doc.loadPage(1).toPixmap(mupdf.Matrix.scale(1.5, 1.5), mupdf.ColorSpace.DeviceRGB, false, true);
    await writeFile(path.resolve('.tmp/meeting-minutes-page2.png'), second.asPNG());

    let text = '';
    for (let p = 0; p < pages; p += 1) text += doc.loadPage(p).toStructuredText('preserve-whitespace').asText();
    const flat = text.replace(/\s+/gu, ' ');
    expect(flat).toContain('Association : DigitalPlace');
    expect(flat).toContain('Date : mardi 3 juin 2025 à 18 h 30 (heure de Paris)');
    expect(flat).toContain('Quorum : 4 comptés (présents ou représentés) pour 2 requis, sur 4 membres convoqués — atteint');
    expect(flat).toContain('Pour : 2 — Contre : 1 — Abstention : 1');
    expect(flat).toContain('Décision : ADOPTÉE (quorum et majorité atteints)');
    expect(flat).toContain('Président de séance : Claire Martin');
    expect(flat).toContain('1 234,56 €');
    expect(flat).toContain(`SHA-256 ${v2.sha256}`);
  });
});
