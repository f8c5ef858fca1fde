import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { ThrottleState } from './throttle-policy.js';

/**
 * The state of one throttle key (see login-throttle.ts), shared by every instance of Collegia
 * on the database and kept across restarts. The key names what is counted and a SHA-256 of
 * the email and/or client address, never the email or the address themselves.
 */
@Entity({ tableName: 'login_throttle' })
export class LoginThrottleEntry {
  /**
   * `pair:`, `account:`, `address:`, `register:` (login-throttle.ts), or `reset-email:`,
   * `reset-address:`, `verify-resend:` (link-throttle.ts), then 64 hex digits.
   */
  @PrimaryKey({ length: 80 })
  key!: string;

  @Property({ type: 'jsonb' })
  state!: ThrottleState;

  /** After this, nothing in the state matters: the row may be deleted. */
  @Property({ type: 'timestamptz' })
  @Index()
  expiresAt!: Date;
}
