import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../shared/pagination.js';
import { AgendaItem, ConvocationRecipient, Meeting } from './meeting.entity.js';

/** How a convocation was sent. */
export enum ConvocationChannel {
  EMAIL = 'EMAIL',
}

registerEnumType(ConvocationChannel, {
  name: 'ConvocationChannel',
  description: 'How a meeting’s convocation was sent to its recipients.',
  valuesConfig: { EMAIL: { description: 'By email, through the mail outbox, one message per recipient.' } },
});

@ObjectType({ description: 'The meeting as it now stands.' })
export class MeetingPayload {
  @Field(() => Meeting, { description: 'The meeting.' })
  meeting!: Meeting;
}

@ObjectType({ description: 'The agenda item as it now stands, and its meeting.' })
export class AgendaItemPayload {
  @Field(() => AgendaItem, { description: 'The item.' })
  item!: AgendaItem;

  @Field(() => Meeting, { description: 'Its meeting (read `agenda` for the whole, renumbered).' })
  meeting!: Meeting;
}

export const MeetingConnection = ConnectionType(Meeting);
export type MeetingConnection = InstanceType<typeof MeetingConnection>;

export const ConvocationRecipientConnection = ConnectionType(ConvocationRecipient);
export type ConvocationRecipientConnection = InstanceType<typeof ConvocationRecipientConnection>;
