import { pino, type Logger } from 'pino';

/** Paths never written to the log, wherever they appear. */
const REDACTED = [
  'password',
  '*.password',
  '*.newPassword',
  'token',
  '*.token',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'variables.input.password',
  'variables.password',
  'databaseUrl',
  '*.databaseUrl',
];

/** Structured JSON logs (pino) with secrets redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'collegia' },
    redact: { paths: REDACTED, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
