import {
  BODY_KIND_FR,
  CHOICE_FR,
  MAJORITY_FR,
  MEETING_KIND_FR,
  MEETING_STATE_FR,
  MINUTES_ROLE_FR,
  PARTY_VOTE_STATE_FR,
  PROPOSAL_KIND_FR,
  QUORUM_BASIS_FR,
  SECRECY_FR,
  TALLY_REASON_FR,
  WEIGHTING_FR,
  frBasisPoints,
  frDate,
  frDateTime,
  frNumber,
  frPercent,
  plural,
} from './meeting-minutes.labels.js';
import type { MeetingHead, MinutesRecord, Resolution } from './meeting-minutes.record.js';
import { AttendanceMode, MeetingState } from './meeting.entity.js';
import type { MinutesNotes, MinutesRole } from './minutes.entity.js';
import { Secrecy, Weighting } from './voting-rules.js';

/**
 * The canonical text of a procès-verbal, in Markdown, from a meeting's record: what the
 * signatures certify (its SHA-256). Deterministic: the same record, notes and version give the
 * same bytes. Sections: a header (association, body, date, place, quorum), convocation, agenda,
 * attendance and quorum, officers, deliberations (one `### Point n — …` per agenda item),
 * closing. Certified extracts cut the header and chosen items out of this text.
 */

/** One line of a title (no line breaks, no Markdown table pipes). */
const line = (text: string) => text.replace(/\s*\r?\n\s*/g, ' ').trim();
const cell = (text: string) => line(text).replace(/\|/g, '\\|');
/** Free text kept as it was written, each line quoted, so that it can never open a section of its own. */
const quoted = (text: string) =>
  text
    .trim()
    .split(/\r?\n/)
    .map((l) => (l.trim() ? `> ${l}` : '>'));

const ITEM_HEADING = /^### Point (\d+) — /;

export function quorumLine(head: MeetingHead): string {
  const q = head.quorum;
  if (!q) return 'Quorum : non constaté';
  const basis = head.statutes ? ` (${QUORUM_BASIS_FR[head.statutes.quorumBasis]})` : '';
  return `Quorum : ${plural(q.counted, 'compté')}${basis} pour ${frNumber(q.required)} requis, sur ${plural(q.electorate, 'membre convoqué', 'membres convoqués')} — **${q.met ? 'atteint' : 'non atteint'}**`;
}

function header(head: MeetingHead, version: number): string[] {
  const remote = head.remoteAllowed ? ' — participation à distance ouverte' : '';
  return [
    `# Procès-verbal — ${line(head.title)}`,
    '',
    `- Association : ${line(head.association)}`,
    `- Instance : ${line(head.bodyName)} (${BODY_KIND_FR[head.bodyKind]})`,
    `- Séance : ${MEETING_KIND_FR[head.kind]}, ${head.convocation === 2 ? 'seconde' : 'première'} convocation — ${MEETING_STATE_FR[head.state]}`,
    `- Date : ${frDateTime(head.scheduledAt)} (heure de Paris)`,
    `- Lieu : ${line(head.place) || 'non précisé'}${remote}`,
    `- ${quorumLine(head)}`,
    `- Version du procès-verbal : ${version}`,
    '',
  ];
}

function convocation(head: MeetingHead): string[] {
  const out = ['## Convocation', ''];
  out.push(`- Convocation n° ${head.convocation} (${head.convocation === 2 ? 'seconde' : 'première'} convocation)`);
  if (head.convocation === 2 && head.firstScheduledAt) {
    out.push(`- Première convocation : séance du ${frDate(head.firstScheduledAt)}, ajournée faute de quorum`);
  }
  out.push(`- Envoyée le : ${head.convenedAt ? `${frDateTime(head.convenedAt)} (heure de Paris)` : 'non envoyée'}`);
  out.push('- Canal : courrier électronique (EMAIL)');
  out.push(`- Destinataires : ${plural(head.recipients, 'membre convoqué', 'membres convoqués')} (liste arrêtée à l’envoi)`);
  if (head.noticeForcedReason) out.push(`- Délai de convocation réduit par un administrateur, motif : ${line(head.noticeForcedReason)}`);
  out.push('');
  return out;
}

function agenda(record: MinutesRecord): string[] {
  return [
    '## Ordre du jour',
    '',
    ...record.agenda.map((a) => `${a.position}. ${line(a.title)}${a.binding ? '' : ' (point non délibératif)'}`),
    '',
  ];
}

function attendance(record: MinutesRecord): string[] {
  const { head, present, represented } = record;
  const inPerson = present.filter((p) => p.mode === AttendanceMode.IN_PERSON);
  const remote = present.filter((p) => p.mode === AttendanceMode.REMOTE);
  const out = ['## Présences et quorum', ''];
  out.push(`- Présents en personne : ${frNumber(inPerson.length)}`);
  const remoteCounts = head.statutes
    ? head.statutes.remoteCountsAsPresent
      ? ', comptés comme présents'
      : ', non comptés comme présents'
    : '';
  out.push(`- Présents à distance : ${frNumber(remote.length)}${remoteCounts}`);
  out.push(`- Représentés par pouvoir : ${frNumber(represented.length)}`);
  if (head.statutes?.quorumBasisPoints != null) {
    out.push(
      `- Quorum statutaire : ${frBasisPoints(head.statutes.quorumBasisPoints)} des membres convoqués, compté sur les ${QUORUM_BASIS_FR[head.statutes.quorumBasis]} (statuts, version ${head.statutes.version})`,
    );
  } else if (head.statutes) {
    out.push(`- Quorum statutaire : aucun à cette convocation (statuts, version ${head.statutes.version})`);
  }
  if (head.quorum) {
    const q = head.quorum;
    out.push(
      `- Constaté à l’ouverture : ${plural(q.present, 'présent')}, ${plural(q.represented, 'représenté')} ; ${plural(q.counted, 'compté')}, ${frNumber(q.required)} requis, ${plural(q.electorate, 'convoqué')} — quorum **${q.met ? 'atteint' : 'non atteint'}**`,
    );
  }
  out.push('');
  if (inPerson.length) out.push('### Présents en personne', '', ...inPerson.map((p) => `- ${cell(p.name)}`), '');
  if (remote.length) out.push('### Présents à distance', '', ...remote.map((p) => `- ${cell(p.name)}`), '');
  if (represented.length) {
    out.push('### Représentés', '', ...represented.map((r) => `- ${cell(r.principal)}, représenté par ${cell(r.holder)}`), '');
  }
  return out;
}

function officers(head: MeetingHead): string[] {
  return [
    '## Bureau de séance',
    '',
    `- ${MINUTES_ROLE_FR.CHAIR} : ${head.chair ? line(head.chair) : 'non désigné'}`,
    `- ${MINUTES_ROLE_FR.SECRETARY} : ${head.secretary ? line(head.secretary) : 'non désigné'}`,
    '',
  ];
}

function resolution(r: Resolution, collegeNames: Map<string, string>): string[] {
  const out = [`#### Résolution : ${line(r.title)} (${PROPOSAL_KIND_FR[r.kind]})`, '', ...quoted(r.text), ''];
  const t = r.tally;
  if (!t || !r.rules) {
    out.push(`- État : ${PARTY_VOTE_STATE_FR[r.state]}`, '');
    return out;
  }
  const rules = r.rules;
  const weighted = rules.weighting === Weighting.COLLEGE_WEIGHTED;
  out.push(
    `- Règles : ${MAJORITY_FR[rules.majority]}${rules.abstentionsCount ? ' (abstentions comptées)' : ''}, ${WEIGHTING_FR[rules.weighting]}, ${SECRECY_FR[rules.secrecy]}, quorum de vote ${frBasisPoints(rules.quorumBasisPoints)}`,
    `- Votants : ${frNumber(t.ballots)} sur ${frNumber(t.electorate)} (quorum de vote ${t.quorumReached ? 'atteint' : 'non atteint'})`,
    `- Pour : ${frNumber(t.for)} — Contre : ${frNumber(t.against)} — Abstention : ${frNumber(t.abstain)}`,
  );
  if (weighted) {
    out.push(
      `- Résultat pondéré : pour ${frPercent(t.weightedFor.percent / 100)}, contre ${frPercent(t.weightedAgainst.percent / 100)}, abstention ${frPercent(t.weightedAbstain.percent / 100)}`,
    );
  }
  out.push(`- Décision : **${t.adopted ? 'ADOPTÉE' : 'REJETÉE'}** (${TALLY_REASON_FR[t.reason]})`);
  if (r.closedAt) out.push(`- Vote clos le ${frDateTime(r.closedAt)}`);
  out.push('');
  if (weighted) {
    out.push(
      '| Collège | Poids | Électorat | Votants | Pour | Contre | Abstention | Part retenue | Majorité |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---|',
      ...t.colleges.map(
        (c) =>
          `| ${cell(c.collegeId ? (collegeNames.get(c.collegeId) ?? c.collegeId) : 'Sans collège')} | ${c.weightBasisPoints === null ? '—' : frBasisPoints(c.weightBasisPoints)} | ${frNumber(c.electorate)} | ${frNumber(c.ballots)} | ${frNumber(c.for)} | ${frNumber(c.against)} | ${frNumber(c.abstain)} | ${frPercent(c.effectiveShare.percent / 100)} | ${c.majorityReached ? 'atteinte' : 'non atteinte'} |`,
      ),
      '',
    );
  }
  const secret = rules.secrecy === Secrecy.SECRET;
  const by = (v: Resolution['voters'][number]) => (v.castBy ? ` (par procuration, voté par ${cell(v.castBy)})` : '');
  out.push(
    secret ? '##### Ont pris part au vote (scrutin secret)' : '##### Votes nominatifs',
    '',
    ...(r.voters.length
      ? r.voters.map((v) => `- ${cell(v.name)}${by(v)}${secret || !v.choice ? '' : ` : ${CHOICE_FR[v.choice]}`}`)
      : ['- Aucun votant']),
    '',
  );
  return out;
}

function deliberations(record: MinutesRecord, notes: MinutesNotes): string[] {
  const { head } = record;
  const held = head.state !== MeetingState.ADJOURNED_NO_QUORUM;
  const out = ['## Délibérations', ''];
  if (head.openedAt) {
    out.push(
      held
        ? `La séance est ouverte le ${frDateTime(head.openedAt)}, le quorum étant atteint.`
        : `Constat de carence le ${frDateTime(head.openedAt)} : le quorum n’étant pas atteint, l’instance ne peut délibérer valablement ; la séance est ajournée.`,
      '',
    );
  }
  for (const item of record.agenda) {
    out.push(`### Point ${item.position} — ${line(item.title)}`, '');
    if (item.description.trim()) out.push(...quoted(item.description), '');
    if (!item.binding) out.push('Point non délibératif : aucune résolution n’y est votée.', '');
    const votes = record.resolutions.filter((r) => r.agendaItemId === item.id);
    if (held) {
      for (const r of votes) out.push(...resolution(r, record.collegeNames));
      if (!votes.length && item.binding) out.push('Aucune résolution mise aux voix sur ce point.', '');
    } else {
      out.push('Non délibéré (quorum non atteint).', '');
    }
    const note = notes[item.id]?.trim();
    if (note) out.push('Observations du secrétaire de séance :', '', ...quoted(note), '');
  }
  return out;
}

/** The canonical Markdown of version `version` of a meeting's procès-verbal. */
export function renderMeetingMinutes(record: MinutesRecord, notes: MinutesNotes, version: number): string {
  const { head } = record;
  const closing =
    head.state === MeetingState.ADJOURNED_NO_QUORUM
      ? `Séance ajournée faute de quorum${head.openedAt ? ` le ${frDateTime(head.openedAt)}` : ''} (heure de Paris).`
      : `L’ordre du jour étant épuisé, la séance est levée le ${head.closedAt ? frDateTime(head.closedAt) : '—'} (heure de Paris).`;
  const out = [
    ...header(head, version),
    ...convocation(head),
    ...agenda(record),
    ...attendance(record),
    ...officers(head),
    ...deliberations(record, notes),
    '## Clôture',
    '',
    closing,
    '',
    `Signé par le ${MINUTES_ROLE_FR.CHAIR.toLowerCase()} et le ${MINUTES_ROLE_FR.SECRETARY.toLowerCase()}, sur l’empreinte SHA-256 de ce texte.`,
  ];
  return `${out.join('\n').trimEnd()}\n`;
}

export interface SignatureLine {
  role: MinutesRole;
  signer: string;
  sha256: string;
  signedAt: Date;
}

/** The signatures of a version, in Markdown (beside the text they certify, never inside it). */
export function signatureLines(signatures: readonly SignatureLine[]): string[] {
  if (!signatures.length) return ['- Aucune signature à ce jour.'];
  return signatures.map(
    (s) =>
      `- ${MINUTES_ROLE_FR[s.role]} : ${cell(s.signer)}, signé le ${frDateTime(s.signedAt)} (heure de Paris), empreinte \`${s.sha256}\``,
  );
}

/** A version's download: its canonical text, then its signatures after a rule. */
export function minutesDocument(text: string, sha256: string, version: number, signatures: readonly SignatureLine[]): string {
  return [
    text.trimEnd(),
    '',
    '---',
    '',
    `## Signatures (version ${version})`,
    '',
    `Empreinte SHA-256 du texte ci-dessus (jusqu’au trait) : \`${sha256}\``,
    '',
    ...signatureLines(signatures),
    '',
  ].join('\n');
}

/** The header of a canonical text (its lines after the title, up to the first section) and its item sections by position. */
export function splitMinutes(text: string): { title: string; header: string[]; items: Map<number, string[]> } {
  const lines = text.split('\n');
  const title = lines[0].replace(/^# /, '');
  const firstSection = lines.findIndex((l) => l.startsWith('## '));
  const header = lines.slice(1, firstSection).filter((l, i, all) => l.trim() || (i > 0 && all[i - 1].trim()));
  const items = new Map<number, string[]>();
  let current: string[] | null = null;
  for (const l of lines) {
    const match = ITEM_HEADING.exec(l);
    if (match) items.set(Number(match[1]), (current = [l]));
    else if (l.startsWith('## ') || l.startsWith('### ')) current = null;
    else current?.push(l);
  }
  return { title, header, items };
}

/** A certified extract of a signed version: its header, the chosen items (by position) and its signatures. */
export function renderExtract(
  text: string,
  sha256: string,
  version: number,
  positions: readonly number[],
  signatures: readonly SignatureLine[],
): string {
  const { title, header, items } = splitMinutes(text);
  const out = [
    `# Extrait du procès-verbal — ${title.replace(/^Procès-verbal — /, '')}`,
    '',
    ...header.filter((l) => !/^- Version /.test(l)),
  ];
  out.push('', '## Délibérations (extrait)', '');
  for (const position of [...positions].sort((a, b) => a - b)) out.push(...(items.get(position) ?? []));
  out.push(
    '## Extrait certifié conforme',
    '',
    `Extrait certifié conforme au procès-verbal, version ${version}, dont l’empreinte SHA-256 est \`${sha256}\`, signé par :`,
    '',
    ...signatureLines(signatures),
  );
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
