import { Field, InputType, ObjectType } from 'type-graphql';
import { NotificationKind, NotificationStatus } from './notification-kind.js';
import { Notification } from './notification.entity.js';

@ObjectType({ description: 'One kind of message, and whether the signed-in person receives it.' })
export class NotificationPreferenceType {
  @Field(() => NotificationKind, { description: 'The kind of message.' })
  kind!: NotificationKind;

  @Field({ description: 'Whether this person receives it.' })
  enabled!: boolean;

  @Field({ description: 'False for security mail, which is always sent.' })
  canBeTurnedOff!: boolean;

  @Field({ description: 'What it is about and who receives it.' })
  description!: string;
}

@InputType({ description: 'Which messages of the outbox to list; all of them by default.' })
export class OutboxFilterInput {
  @Field(() => NotificationStatus, { nullable: true, description: 'Only messages in this state.' })
  status?: NotificationStatus | null;

  @Field(() => NotificationKind, { nullable: true, description: 'Only messages of this kind.' })
  kind?: NotificationKind | null;

  @Field(() => String, { nullable: true, description: "Only messages whose recipient's email contains this text (any case)." })
  email?: string | null;
}

@ObjectType({ description: 'Result of retryNotification.' })
export class RetryNotificationPayload {
  @Field(() => Notification, { description: 'The message, PENDING again, due now.' })
  notification!: Notification;
}
