import { INSTALMENT_OVERDUE_JOB, JUSTIFICATION_DUE_JOB } from './finance/finance-deadlines.js';
import { BOARD_MANDATE_ENDING_JOB } from './governance/board-deadlines.js';
import { VOTE_CLOSING_SOON_JOB } from './governance/vote-mail.js';
import { REPRESENTATIVE_MANDATE_ENDING_JOB } from './membership/mandate-deadlines.js';
import type { ScheduledJob } from './notification/scheduler.js';

/**
 * The deadline jobs every instance's scheduler runs (src/notification/scheduler.ts). Each domain
 * writes its own — the SQL that finds what is due lives with the tables it reads — and lists it
 * here. Every job queues through `enqueueMany` with an event key, so running it twice, or on two
 * instances, queues each message once.
 */
export const SCHEDULED_JOBS: ScheduledJob[] = [
  INSTALMENT_OVERDUE_JOB,
  JUSTIFICATION_DUE_JOB,
  REPRESENTATIVE_MANDATE_ENDING_JOB,
  VOTE_CLOSING_SOON_JOB,
  BOARD_MANDATE_ENDING_JOB,
];
