import { Refusal } from '../shared/errors.js';
import { PendingApplications, type FusionPlan } from '../governance/proposal.entity.js';
import type { College } from '../membership/college.entity.js';
import { earlyEffectiveDate, fusionInstants, planMoves, takesEffectOn } from './plan-execution.js';

const college = (id: string, clusterId: string, name = id) => ({ id, name, cluster: { id: clusterId } }) as unknown as College;

const PLAN: FusionPlan = {
  absorbingClusterId: 'fsd',
  effectiveDate: '2027-01-01',
  absorbed: [
    {
      clusterId: 'media',
      targetCollegeId: 'cloud',
      collegeMoves: [{ fromCollegeId: 'media-2', toCollegeId: 'eco' }],
      pendingApplications: PendingApplications.MOVE,
    },
    {
      clusterId: 'pixlr',
      targetCollegeId: null,
      collegeMoves: [{ fromCollegeId: 'pixlr-1', toCollegeId: 'crea' }],
      pendingApplications: PendingApplications.CLOSE,
    },
  ],
};

describe('planMoves', () => {
  it('sends each absorbed collège where the plan says, and its pending applications to be moved or closed', () => {
    const moves = planMoves(PLAN, [college('media-1', 'media'), college('media-2', 'media'), college('pixlr-1', 'pixlr')]);
    expect(moves).toEqual({
      map: { from: ['media-1', 'media-2', 'pixlr-1'], to: ['cloud', 'eco', 'crea'] },
      move: { from: ['media-1', 'media-2'], to: ['cloud', 'eco'] },
      close: ['pixlr-1'],
    });
  });

  it('refuses a collège created after the plan, which it gives nowhere to go (PLAN_COLLEGE_UNMAPPED)', () => {
    const late = () => planMoves(PLAN, [college('pixlr-1', 'pixlr'), college('pixlr-2', 'pixlr', 'Tardif')]);
    expect(late).toThrow(Refusal);
    expect(late).toThrow(expect.objectContaining({ code: 'CONFLICT', reason: 'PLAN_COLLEGE_UNMAPPED', details: { collegeId: 'pixlr-2' } }));
  });
});

describe('effective date', () => {
  it('is the plan’s date; executed (forced) before it, the fusion takes effect today, said apart', () => {
    expect(earlyEffectiveDate(PLAN, '2027-03-01')).toBeNull();
    expect(earlyEffectiveDate(PLAN, '2027-01-01')).toBeNull();
    expect(earlyEffectiveDate(PLAN, '2026-12-03')).toBe('2026-12-03');
    expect(takesEffectOn(PLAN, '2027-03-01')).toBe('2027-01-01');
    expect(takesEffectOn(PLAN, '2026-12-03')).toBe('2026-12-03');
  });

  it('ends mandates at the start of the plan’s day when executed on or after it, at the execution instant when forced before it', () => {
    const late = new Date('2027-01-05T10:00:00Z');
    expect(fusionInstants(PLAN, late)).toEqual({ now: late, takesEffectAt: new Date('2027-01-01T00:00:00Z') });
    const onTheDay = new Date('2027-01-01T10:00:00Z');
    expect(fusionInstants(PLAN, onTheDay)).toEqual({ now: onTheDay, takesEffectAt: new Date('2027-01-01T00:00:00Z') });
    // Forced early: not at the start of today, when the boards may already have voted.
    const forced = new Date('2026-12-03T10:00:00Z');
    expect(fusionInstants(PLAN, forced)).toEqual({ now: forced, takesEffectAt: forced });
  });
});
