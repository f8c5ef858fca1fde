import { DefaultLogger, type LogContext, type LoggerOptions } from '@mikro-orm/core';

/** One statement the ORM ran, as its logger saw it. */
export interface Statement {
  /** The SQL, whitespace collapsed. */
  sql: string;
  /** Milliseconds, as the ORM measured them (Date.now() around the driver call); null for begin. */
  took: number | null;
  /** The statement as sent, the ORM having inlined its parameters (its length is what went over the wire). */
  formatted: string;
}

/** Every statement the ORM runs while `recording` is set, with the time the ORM measured. */
export class StatementRecorder {
  recording = false;
  statements: Statement[] = [];

  start(): void {
    this.statements = [];
    this.recording = true;
  }

  stop(): Statement[] {
    this.recording = false;
    return this.statements;
  }
}

/** MikroORM's logger, recording each query instead of printing it (the ORM calls `logQuery` for every statement). */
class RecordingLogger extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly recorder: StatementRecorder,
  ) {
    super(options);
  }

  override logQuery(context: { query: string; formatted?: string } & LogContext): void {
    if (this.recorder.recording && (context.namespace ?? 'query') === 'query') {
      this.recorder.statements.push({
        sql: context.query.replace(/\s+/g, ' ').trim(),
        took: context.took ?? null,
        formatted: context.formatted ?? context.query,
      });
    }
  }
}

/** The ORM options (createApp's `ormExtra`) that make `recorder` see every statement the app runs. */
export function recordingOrmOptions(recorder: StatementRecorder) {
  return { debug: ['query'] as 'query'[], loggerFactory: (options: LoggerOptions) => new RecordingLogger(options, recorder) };
}
