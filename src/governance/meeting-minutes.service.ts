import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account } from '../auth/account.entity.js';
import { DomainService } from '../auth/domain-service.js';
import { Action, clusterScope, withinCluster } from '../auth/permissions.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { loadAgenda, loadMeetingHead, loadMinutesRecord, type MeetingHead } from './meeting-minutes.record.js';
import { minutesDocument, renderExtract, renderMeetingMinutes, type SignatureLine } from './meeting-minutes.render.js';
import { MeetingReason, refuseMeeting } from './meeting.reasons.js';
import { Meeting, MeetingState } from './meeting.entity.js';
import { DEFAULT_SIGNATORIES, MeetingMinutes, MinutesRole, MinutesSignature, type MinutesNotes } from './minutes.entity.js';

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The free text of one agenda item, as `draftMinutes` takes it. */
export interface ItemNote {
  agendaItemId: string;
  text: string;
}

/** A certified extract: its Markdown and the SHA-256 of it. */
export interface MinutesExtract {
  minutes: MeetingMinutes;
  text: string;
  sha256: string;
}

/** A version's file: its text with the signatures after it, and what names it. */
export interface MinutesFile {
  head: MeetingHead;
  minutes: MeetingMinutes;
  signatures: SignatureLine[];
  /** The Markdown download: the canonical text, a rule, the signatures. */
  markdown: string;
}

const NOTE_MAX = 20_000;
const OVER = [MeetingState.CLOSED, MeetingState.ADJOURNED_NO_QUORUM];

/**
 * The procès-verbal of a meeting: drawing up a version from the meeting's record (a new version
 * at each draft, unsigned), signing it by the meeting's chair and secretary over its SHA-256,
 * reading versions, certified extracts and the downloads. Each method loads the meeting's row
 * (locked for a change), then authorizes on its cluster.
 */
export class MeetingMinutesService extends DomainService {
  private async head(em: EntityManager, meetingId: string, lock = false): Promise<MeetingHead> {
    const head = await loadMeetingHead(em, meetingId, lock);
    if (!head) throw new NotFoundError('Meeting', meetingId);
    return head;
  }

  private async minutesRow(em: EntityManager, minutesId: string): Promise<MeetingMinutes> {
    const minutes = await em.findOne(MeetingMinutes, { id: minutesId });
    if (!minutes) throw new NotFoundError('MeetingMinutes', minutesId);
    return minutes;
  }

  private authorizeRead(head: MeetingHead): void {
    this.authorize(Action.ReadMeetings, withinCluster(head.clusterId, head.association));
  }

  /**
   * Draws up a new version of a meeting's procès-verbal from its record, once the meeting is
   * CLOSED or ADJOURNED_NO_QUORUM: by the cluster's meeting managers or the meeting's secretary.
   * `itemNotes` replace the free text of the items they name (an empty text removes it); the
   * others keep the latest version's. The new version has no signature; the older ones keep theirs.
   */
  async draft(meetingId: string, itemNotes: readonly ItemNote[] = []): Promise<MeetingMinutes> {
    return this.em.transactional(async (tx) => {
      const head = await this.head(tx, meetingId, true);
      const isSecretary = !!this.actor.accountId && this.actor.accountId === head.secretaryId;
      if (!isSecretary) this.authorize(Action.ManageMeetings, clusterScope(head.clusterId, head.association));
      else this.requireSignedIn();
      if (!OVER.includes(head.state)) {
        throw refuseMeeting(
          MeetingReason.MEETING_NOT_CLOSED,
          `This meeting is ${head.state}: its minutes are drawn up once it is closed.`,
          {
            currentState: head.state,
          },
        );
      }
      const agenda = await loadAgenda(tx, meetingId);
      const itemIds = new Set(agenda.map((a) => a.id));
      const seen = new Set<string>();
      for (const [i, note] of itemNotes.entries()) {
        if (!itemIds.has(note.agendaItemId)) {
          throw BadUserInputError.field(`itemNotes.${i}.agendaItemId`, 'is not an item of this meeting’s agenda');
        }
        if (seen.has(note.agendaItemId)) throw BadUserInputError.field(`itemNotes.${i}.agendaItemId`, 'is named twice');
        if (note.text.length > NOTE_MAX) throw BadUserInputError.field(`itemNotes.${i}.text`, `is longer than ${NOTE_MAX} characters`);
        seen.add(note.agendaItemId);
      }
      const previous = await tx.findOne(MeetingMinutes, { meeting: meetingId }, { orderBy: { version: 'desc' } });
      const notes: MinutesNotes = { ...(previous?.notes ?? {}) };
      for (const note of itemNotes) {
        if (note.text.trim()) notes[note.agendaItemId] = note.text.trim();
        else delete notes[note.agendaItemId];
      }
      const version = (previous?.version ?? 0) + 1;
      const record = await loadMinutesRecord(tx, head, agenda);
      const text = renderMeetingMinutes(record, notes, version);
      const minutes = tx.create(MeetingMinutes, {
        meeting: tx.getReference(Meeting, meetingId),
        version,
        text,
        sha256: sha256Hex(text),
        notes,
        createdBy: this.actorAccount(tx),
        createdAt: this.clock(),
        updatedAt: this.clock(),
      });
      await tx.flush();
      await this.recordChange(tx, 'meeting.minutes.draft', minutes, null, { meetingId, version, sha256: minutes.sha256 });
      return minutes;
    });
  }

  /**
   * Signs the latest version of a procès-verbal in the caller's role: the meeting's chair signs
   * as CHAIR, its secretary as SECRETARY; anyone else is refused. The signature records the
   * version's SHA-256.
   */
  async sign(minutesId: string): Promise<MinutesSignature> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const found = await this.minutesRow(tx, minutesId);
      const head = await this.head(tx, found.meeting.id, true);
      this.authorizeRead(head);
      const accountId = this.actor.accountId;
      const role = !accountId
        ? null
        : accountId === head.chairId
          ? MinutesRole.CHAIR
          : accountId === head.secretaryId
            ? MinutesRole.SECRETARY
            : null;
      if (!role || !accountId) {
        throw refuseMeeting(MeetingReason.MINUTES_SIGNER_NOT_DESIGNATED, 'Only the meeting’s chair and its secretary sign its minutes.');
      }
      const latest = await tx.findOne(MeetingMinutes, { meeting: head.id }, { orderBy: { version: 'desc' } });
      if (latest && latest.version !== found.version) {
        throw refuseMeeting(
          MeetingReason.MINUTES_VERSION_SUPERSEDED,
          `Version ${found.version} was superseded by version ${latest.version}: sign the latest one.`,
          { latestVersion: latest.version },
        );
      }
      if (await tx.count(MinutesSignature, { minutes: found, role })) {
        throw refuseMeeting(MeetingReason.MINUTES_ALREADY_SIGNED, `Version ${found.version} is already signed as ${role}.`, { role });
      }
      const signature = tx.create(MinutesSignature, {
        minutes: found,
        signer: tx.getReference(Account, accountId),
        role,
        sha256: found.sha256,
        signedAt: this.clock(),
        createdAt: this.clock(),
        updatedAt: this.clock(),
      });
      await tx.flush();
      await this.recordChange(tx, 'meeting.minutes.sign', signature, null, {
        meetingId: head.id,
        minutesId: found.id,
        version: found.version,
        role,
        sha256: found.sha256,
      });
      return signature;
    });
  }

  /** One version of a meeting's minutes (the latest when `version` is omitted), or null when none is drawn up. */
  async version(meetingId: string, version?: number | null): Promise<MeetingMinutes | null> {
    this.authorizeRead(await this.head(this.em, meetingId));
    return this.em.findOne(MeetingMinutes, { meeting: meetingId, ...(version ? { version } : {}) }, { orderBy: { version: 'desc' } });
  }

  /** The signatures of a version with their signers' names. */
  private async signatureLines(em: EntityManager, minutes: MeetingMinutes): Promise<SignatureLine[]> {
    const rows = await em.find(MinutesSignature, { minutes }, { populate: ['signer'], orderBy: { role: 'asc' } });
    return rows.map((s) => ({ role: s.role, signer: s.signer.displayName, sha256: s.sha256, signedAt: s.signedAt }));
  }

  /**
   * A certified extract of a fully signed version: its header (association, body, date, place,
   * quorum), the chosen agenda items as the signed text has them, and the version's signatures.
   */
  async extract(minutesId: string, agendaItemIds: readonly string[]): Promise<MinutesExtract> {
    const minutes = await this.minutesRow(this.em, minutesId);
    this.authorizeRead(await this.head(this.em, minutes.meeting.id));
    if (!agendaItemIds.length) throw BadUserInputError.field('agendaItemIds', 'names no agenda item');
    const agenda = await loadAgenda(this.em, minutes.meeting.id);
    const positions = agendaItemIds.map((id, i) => {
      const item = agenda.find((a) => a.id === id);
      if (!item) throw BadUserInputError.field(`agendaItemIds.${i}`, 'is not an item of this meeting’s agenda');
      return item.position;
    });
    const signatures = await this.signatureLines(this.em, minutes);
    const missing = DEFAULT_SIGNATORIES.filter((role) => !signatures.some((s) => s.role === role));
    if (missing.length) {
      throw refuseMeeting(
        MeetingReason.MINUTES_NOT_SIGNED,
        `Version ${minutes.version} is not signed by every signatory yet: an extract is certified from a signed version.`,
        { missingRoles: missing },
      );
    }
    const text = renderExtract(minutes.text, minutes.sha256, minutes.version, [...new Set(positions)], signatures);
    return { minutes, text, sha256: sha256Hex(text) };
  }

  /** A version's downloadable file (the latest when `version` is omitted): refused when none is drawn up. */
  async file(meetingId: string, version?: number | null): Promise<MinutesFile> {
    const head = await this.head(this.em, meetingId);
    this.authorizeRead(head);
    const minutes = await this.em.findOne(
      MeetingMinutes,
      { meeting: meetingId, ...(version ? { version } : {}) },
      { orderBy: { version: 'desc' } },
    );
    if (!minutes) throw new NotFoundError('MeetingMinutes', version ? `${meetingId} v${version}` : meetingId);
    const signatures = await this.signatureLines(this.em, minutes);
    return { head, minutes, signatures, markdown: minutesDocument(minutes.text, minutes.sha256, minutes.version, signatures) };
  }
}
