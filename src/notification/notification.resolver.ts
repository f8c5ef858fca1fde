import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver } from 'type-graphql';
import { ViewerType } from '../auth/account.payloads.js';
import { uuidArg } from '../shared/ids.js';
import { ConnectionType, PageArgs, selectsField } from '../shared/pagination.js';
import { NotificationKind } from './notification-kind.js';
import { Notification } from './notification.entity.js';
import { NotificationPreferenceType, OutboxFilterInput, RetryNotificationPayload } from './notification.payloads.js';
import type { Context } from './notification.services.js';

const NotificationConnection = ConnectionType(Notification);
type NotificationConnection = InstanceType<typeof NotificationConnection>;

@Resolver()
export class NotificationResolver {
  @Query(() => NotificationConnection, {
    description:
      'The outbox: every message queued, newest first, with its delivery state (platform administrators). Without SMTP_URL the messages are also written to the local mailbox (MAIL_DIR, `.data/mail/*.eml` by default).',
  })
  outbox(
    @Ctx() ctx: Context,
    @Arg('filter', () => OutboxFilterInput, { nullable: true, description: 'Which messages; all by default.' })
    filter: OutboxFilterInput | null,
    @Args(() => PageArgs) page: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<NotificationConnection> {
    return ctx.services.notifications.outbox(filter ?? {}, page, selectsField(info, 'totalCount'));
  }

  @Mutation(() => [NotificationPreferenceType], {
    description:
      'Turns a kind of message on or off for the signed-in person; answers all their preferences. Security mail cannot be turned off (SECURITY_MAIL_REQUIRED).',
  })
  setNotificationPreference(
    @Ctx() ctx: Context,
    @Arg('kind', () => NotificationKind, { description: 'The kind of message.' }) kind: NotificationKind,
    @Arg('enabled', { description: 'True to receive it, false to stop.' }) enabled: boolean,
  ): Promise<NotificationPreferenceType[]> {
    return ctx.services.notifications.setPreference(kind, enabled);
  }

  @Mutation(() => RetryNotificationPayload, {
    description: 'Sends a given-up (FAILED) message again, due now, its attempts counted from zero (platform administrators).',
  })
  async retryNotification(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The message.' }) id: string,
  ): Promise<RetryNotificationPayload> {
    return { notification: await ctx.services.notifications.retry(uuidArg('id', id)) };
  }
}

@Resolver(() => ViewerType)
export class ViewerNotificationResolver {
  @FieldResolver(() => [NotificationPreferenceType], {
    description: 'Each kind of message and whether I receive it (security mail always).',
  })
  notificationPreferences(@Ctx() ctx: Context): Promise<NotificationPreferenceType[]> {
    return ctx.services.notifications.preferences();
  }
}
