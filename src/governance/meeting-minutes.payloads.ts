import { Field, ID, ObjectType } from 'type-graphql';
import { Meeting } from './meeting.entity.js';
import { MeetingMinutes, MinutesSignature } from './minutes.entity.js';

@ObjectType({ description: 'The free text of one agenda item in a version of the procès-verbal.' })
export class MinutesItemNoteType {
  @Field(() => ID, { description: 'The agenda item.' })
  agendaItemId!: string;

  @Field({ description: 'The text.' })
  text!: string;
}

@ObjectType({ description: 'What `draftMinutes` answers: the new version, and its meeting.' })
export class DraftMinutesPayload {
  @Field(() => MeetingMinutes, { description: 'The version just drawn up (unsigned).' })
  minutes!: MeetingMinutes;

  @Field(() => Meeting, { description: 'The meeting.' })
  meeting!: Meeting;
}

@ObjectType({ description: 'What `signMinutes` answers: the signature, and the version signed.' })
export class SignMinutesPayload {
  @Field(() => MinutesSignature, { description: 'The signature just recorded.' })
  signature!: MinutesSignature;

  @Field(() => MeetingMinutes, { description: 'The version signed.' })
  minutes!: MeetingMinutes;
}

@ObjectType({ description: 'A certified extract ("extrait certifié conforme") of a signed procès-verbal.' })
export class MinutesExtractType {
  @Field(() => MeetingMinutes, { description: 'The version it is drawn from.' })
  minutes!: MeetingMinutes;

  @Field({ description: 'The extract, in Markdown: the header, the chosen items, the certification and the signatures.' })
  text!: string;

  @Field({ description: 'SHA-256 (hex) of the UTF-8 bytes of `text`.' })
  sha256!: string;
}
