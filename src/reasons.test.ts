import { ErrorCode, refusalsOf, type ReasonTable } from './shared/errors.js';
import { allReasons, REASON_TABLES, refusalReasonEnum } from './reasons.js';

describe('refusal reasons', () => {
  it('are declared once across the layers, each value its own name, each described with a code', () => {
    const all = allReasons();
    expect(all.size).toBe(Object.values(REASON_TABLES).reduce((n, table) => n + Object.keys(table).length, 0));
    for (const [reason, info] of all) {
      expect(reason).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(Object.values(ErrorCode)).toContain(info.code);
      expect(info.description.trim().length).toBeGreaterThan(20);
    }
  });

  it('refuses a reason declared by two layers (a client could not tell them apart)', () => {
    const twice = { SAME: { code: ErrorCode.CONFLICT, description: 'x' } };
    expect(() => allReasons({ a: twice, b: twice })).toThrow('SAME is declared by both a and b');
  });

  it('every reason is a value of the RefusalReason enum of the schema, described with its code', () => {
    const values = new Map(
      refusalReasonEnum()
        .getValues()
        .map((v) => [v.name, v.description]),
    );
    for (const [reason, info] of allReasons()) expect(values.get(reason)).toContain(info.code);
    expect(values.size).toBe(allReasons().size);
  });

  it('a refusal takes its code from its layer’s table', () => {
    enum Reason {
      LATE = 'LATE',
    }
    const table: ReasonTable<Reason> = { [Reason.LATE]: { code: ErrorCode.CONFLICT, description: 'too late' } };
    const error = refusalsOf(table)(Reason.LATE, 'Too late.', { closedAt: '2026-01-01' });
    expect(error).toMatchObject({ code: ErrorCode.CONFLICT, reason: 'LATE', message: 'Too late.', details: { closedAt: '2026-01-01' } });
  });
});
