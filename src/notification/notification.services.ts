import type { AuthContext, AuthServices } from '../auth/auth.services.js';
import type { ServiceScope } from '../auth/domain-service.js';
import { NotificationService } from './notification.service.js';

/** The notification layer's services of one request. */
export function notificationServices(scope: ServiceScope) {
  return { notifications: new NotificationService(scope) };
}

export type NotificationServices = ReturnType<typeof notificationServices>;

/** What a resolver of the notification layer receives. */
export type Context = AuthContext<AuthServices & NotificationServices>;
