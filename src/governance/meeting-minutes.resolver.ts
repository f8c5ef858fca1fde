import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { uuidArg } from '../shared/ids.js';
import { loadChildren, loadReference, type Loadable } from '../shared/loaders.js';
import type { Context } from './governance.services.js';
import { DraftMinutesInput } from './meeting-minutes.inputs.js';
import { DraftMinutesPayload, MinutesExtractType, MinutesItemNoteType, SignMinutesPayload } from './meeting-minutes.payloads.js';
import { Meeting } from './meeting.entity.js';
import { DEFAULT_SIGNATORIES, MeetingMinutes, MinutesSignature } from './minutes.entity.js';

const SIGNATURE_ORDER = { role: 'asc', id: 'asc' } as const;

/** The procès-verbal of a meeting: drawing up versions, signing them, reading them, certified extracts. */
@Resolver()
export class MeetingMinutesResolver {
  @Mutation(() => DraftMinutesPayload, {
    description:
      'Draws up a new version of a CLOSED (or ADJOURNED_NO_QUORUM) meeting’s procès-verbal from its record, with free text per agenda item. The new version is unsigned; older versions keep their signatures. The cluster’s meeting managers, or the meeting’s secretary.',
  })
  async draftMinutes(@Ctx() ctx: Context, @Arg('input', { description: 'The meeting and the free text.' }) input: DraftMinutesInput) {
    const minutes = await ctx.services.meetingMinutes.draft(
      uuidArg('input.meetingId', input.meetingId),
      (input.itemNotes ?? []).map((n, i) => ({ agendaItemId: uuidArg(`input.itemNotes.${i}.agendaItemId`, n.agendaItemId), text: n.text })),
    );
    return { minutes, meeting: await loadReference(minutes.meeting) };
  }

  @Mutation(() => SignMinutesPayload, {
    description:
      'Signs the latest version of a procès-verbal over its SHA-256, in the caller’s role: the meeting’s chair as CHAIR, its secretary as SECRETARY. Refused to anyone else, twice in a role, and on a superseded version.',
  })
  async signMinutes(@Ctx() ctx: Context, @Arg('minutesId', () => ID, { description: 'The version to sign.' }) minutesId: string) {
    const signature = await ctx.services.meetingMinutes.sign(uuidArg('minutesId', minutesId));
    return { signature, minutes: await loadReference(signature.minutes) };
  }

  @Query(() => MeetingMinutes, {
    nullable: true,
    description:
      'A version of a meeting’s procès-verbal (the latest when `version` is omitted); null when none is drawn up. The cluster’s people.',
  })
  meetingMinutes(
    @Ctx() ctx: Context,
    @Arg('meetingId', () => ID, { description: 'The meeting.' }) meetingId: string,
    @Arg('version', () => Int, { nullable: true, description: 'The version number (latest when omitted).' }) version?: number | null,
  ): Promise<MeetingMinutes | null> {
    return ctx.services.meetingMinutes.version(uuidArg('meetingId', meetingId), version);
  }

  @Query(() => MinutesExtractType, {
    description:
      'A certified extract ("extrait certifié conforme") of a signed version: its header (association, body, date, place, quorum), the chosen agenda items and the version’s signatures. The cluster’s people.',
  })
  minutesExtract(
    @Ctx() ctx: Context,
    @Arg('minutesId', () => ID, { description: 'The version (signed by its chair and secretary).' }) minutesId: string,
    @Arg('agendaItemIds', () => [ID], { description: 'The agenda items to certify.' }) agendaItemIds: string[],
  ): Promise<MinutesExtractType> {
    return ctx.services.meetingMinutes.extract(
      uuidArg('minutesId', minutesId),
      agendaItemIds.map((id, i) => uuidArg(`agendaItemIds.${i}`, id)),
    );
  }
}

@Resolver(() => Meeting)
export class MeetingMinutesFieldsResolver {
  @FieldResolver(() => MeetingMinutes, {
    nullable: true,
    description: 'The latest version of its procès-verbal (null until one is drawn up).',
  })
  async minutes(@Ctx() ctx: Context, @Root() meeting: Meeting): Promise<MeetingMinutes | null> {
    const versions = await loadChildren(ctx.em, MeetingMinutes, 'meeting', meeting.id, { version: 'desc' });
    return versions[0] ?? null;
  }

  @FieldResolver(() => [MeetingMinutes], {
    description: 'Every version of its procès-verbal, newest first (each with its own signatures).',
  })
  minutesHistory(@Ctx() ctx: Context, @Root() meeting: Meeting): Promise<MeetingMinutes[]> {
    return loadChildren(ctx.em, MeetingMinutes, 'meeting', meeting.id, { version: 'desc' });
  }
}

@Resolver(() => MeetingMinutes)
export class MeetingMinutesVersionFieldsResolver {
  @FieldResolver(() => [MinutesSignature], { description: 'Its signatures (this version only), chair first.' })
  signatures(@Ctx() ctx: Context, @Root() minutes: MeetingMinutes): Promise<MinutesSignature[]> {
    return loadChildren(ctx.em, MinutesSignature, 'minutes', minutes.id, SIGNATURE_ORDER);
  }

  @FieldResolver(() => Boolean, {
    description: 'Whether every default signatory (président and secrétaire de séance) signed this version.',
  })
  async signed(@Ctx() ctx: Context, @Root() minutes: MeetingMinutes): Promise<boolean> {
    const signatures = await loadChildren(ctx.em, MinutesSignature, 'minutes', minutes.id, SIGNATURE_ORDER);
    return DEFAULT_SIGNATORIES.every((role) => signatures.some((s) => s.role === role));
  }

  @FieldResolver(() => [MinutesItemNoteType], { description: 'The free text per agenda item this version was drawn up with.' })
  notes(@Root() minutes: MeetingMinutes): MinutesItemNoteType[] {
    return Object.entries(minutes.notes ?? {}).map(([agendaItemId, text]) => ({ agendaItemId, text }));
  }

  @FieldResolver(() => Meeting, { description: 'The meeting.' })
  meeting(@Root() minutes: MeetingMinutes): Loadable<Meeting> {
    return loadReference(minutes.meeting);
  }

  @FieldResolver(() => Account, { nullable: true, description: 'Who drew it up (null: the system).' })
  createdBy(@Root() minutes: MeetingMinutes): Loadable<Account> {
    return loadReference(minutes.createdBy);
  }
}

@Resolver(() => MinutesSignature)
export class MinutesSignatureFieldsResolver {
  @FieldResolver(() => Account, { description: 'Who signed.' })
  signer(@Root() signature: MinutesSignature): Loadable<Account> {
    return loadReference(signature.signer);
  }
}
