import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_PASSWORD } from '../../seeds/membership-data.js';
import { Role } from '../../src/auth/role.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { frenchEuros } from '../../src/notification/messages/format.js';
import { parisDayAndHour, Scheduler } from '../../src/notification/scheduler.js';
import { SCHEDULED_JOBS } from '../../src/scheduled-jobs.js';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The treasurers' daily mail on the demo data, delivered to a real SMTP server: an instalment
 * past due and not fully received, a justification due within 30 days — to the current
 * treasurers of the subsidy's cluster, and no one else; once, however many times and instances
 * run the jobs; not to a treasurer who turned the kind off; in one statement for 10 or 200.
 */
let app: TestApp;
let smtp: TestSmtpServer;
let fsdId: string;
let funderId: string;
let treasurer: string;
let secondTreasurer: { token: string; accountId: string; email: string };

const FSD_TREASURER = 'treasurer@frenchsouth.example';
const MCC_TREASURER = 'treasurer@mediacloudcluster.example';
const RECORD = `mutation($input: RecordSubsidyInput!) { recordSubsidy(input: $input) { subsidy { id state instalments { id position } } } }`;
const RECEIPT = `mutation($input: RecordReceiptInput!) { recordReceipt(input: $input) { subsidy { id state } } }`;
const TRANSITION = `mutation($input: TransitionSubsidyInput!) { transitionSubsidy(input: $input) { subsidy { id state } } }`;
const FREEZE = `mutation($input: FreezeSubsidyInput!) { freezeSubsidy(input: $input) { subsidy { id state } } }`;
const PREFERENCE = `mutation($kind: NotificationKind!, $enabled: Boolean!) { setNotificationPreference(kind: $kind, enabled: $enabled) { kind enabled } }`;

const DAY = 86_400_000;
/** A day relative to today in Paris, the day the jobs reason in. */
const parisDay = (days: number) => {
  const today = parisDayAndHour(app.clock.now()).day;
  return new Date(Date.parse(`${today}T12:00:00Z`) + days * DAY).toISOString().slice(0, 10);
};

async function signIn(email: string): Promise<string> {
  const res = await app.gql('mutation($input: LoginInput!) { login(input: $input) { token } }', {
    input: { email, password: DEMO_PASSWORD },
  });
  return res.body.data!.login.token as string;
}

async function ok<T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const res = await app.gql(query, variables, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data as T;
}

interface Recorded {
  id: string;
  state: string;
  instalments: { id: string; position: number }[];
}

/** Records a subsidy of `clusterId` (FrenchSouth.digital by default), decided a year ago. */
async function recordSubsidy(
  purpose: string,
  options: {
    amount: string;
    instalments: { amount: string; dueOn: string }[];
    justificationDeadline?: string;
    clusterId?: string;
    token?: string;
  },
): Promise<Recorded> {
  const kinds = options.instalments.map((_, i) => (i === 0 ? 'ADVANCE' : i === options.instalments.length - 1 ? 'BALANCE' : 'INTERIM'));
  const data = await ok(
    RECORD,
    {
      input: {
        clusterId: options.clusterId ?? fsdId,
        funderId,
        purpose,
        decisionReference: `CP/${purpose.slice(0, 12)}`,
        decisionDate: parisDay(-365),
        amountAwarded: options.amount,
        instalments: options.instalments.map((instalment, i) => ({ kind: kinds[i], ...instalment })),
        justificationDeadline: options.justificationDeadline,
      },
    },
    options.token ?? treasurer,
  );
  return data.recordSubsidy.subsidy;
}

const scheduler = () =>
  new Scheduler(app.collegia.orm, SCHEDULED_JOBS, app.clock.now, app.collegia.deps.logger, { tickMs: 60_000, dailyHour: 0 });

/** Delivers what is queued so far; returns where the next mail will be in smtp.received. */
async function settled(): Promise<number> {
  await app.collegia.notifications.worker.drain();
  return smtp.received.length;
}

async function deliveredSince(from: number): Promise<ReceivedMail[]> {
  await app.collegia.notifications.worker.drain();
  return smtp.received.slice(from);
}

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  app = await startTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://collegia.example.org' } });
  await app.seedDemo();
  [{ id: fsdId }] = await app.sql(`select id from cluster where slug = 'frenchsouth-digital'`);
  [{ id: funderId }] = await app.sql(`select id from funder order by name limit 1`);
  treasurer = await signIn(FSD_TREASURER);
  secondTreasurer = await app.signUp({ role: Role.TREASURER, clusterId: fsdId });
});

afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

describe('the daily jobs', () => {
  let overdue: Recorded;
  let dueSoon: Recorded;
  let mails: ReceivedMail[];

  it('queue once, however many times and on however many instances they run', async () => {
    // Paid 50 000 € of 150 000 €: the advance (45 000 €) is paid, 55 000 € of the interim (60 000 €, due 5 days ago) are not.
    overdue = await recordSubsidy('Animation de la filière numérique', {
      amount: '15000000',
      instalments: [
        { amount: '4500000', dueOn: parisDay(-20) },
        { amount: '6000000', dueOn: parisDay(-5) },
        { amount: '4500000', dueOn: parisDay(200) },
      ],
      justificationDeadline: parisDay(400),
    });
    await ok(
      RECEIPT,
      { input: { subsidyId: overdue.id, amount: '5000000', valueDate: parisDay(-3), bankReference: 'VIR-2026-0001' } },
      treasurer,
    );
    // Past due, but cancelled; past due, but frozen: no reminder.
    const cancelled = await recordSubsidy('Salon annulé', {
      amount: '1000000',
      instalments: [{ amount: '1000000', dueOn: parisDay(-10) }],
    });
    await ok(TRANSITION, { input: { subsidyId: cancelled.id, to: 'CANCELLED', reason: 'Salon annulé par le financeur' } }, treasurer);
    const frozen = await recordSubsidy('Projet gelé', { amount: '1000000', instalments: [{ amount: '1000000', dueOn: parisDay(-10) }] });
    await ok(FREEZE, { input: { subsidyId: frozen.id, reason: 'Contrôle du financeur en cours' } }, treasurer);

    // Justification: within 30 days (the 29th day included, the 30th not), not yet justified.
    dueSoon = await recordSubsidy('Étude sur les usages du cloud', {
      amount: '2000000',
      instalments: [{ amount: '2000000', dueOn: parisDay(100) }],
      justificationDeadline: parisDay(29),
    });
    await recordSubsidy('Étude trop lointaine', {
      amount: '2000000',
      instalments: [{ amount: '2000000', dueOn: parisDay(100) }],
      justificationDeadline: parisDay(30),
    });
    const justified = await recordSubsidy('Étude justifiée', {
      amount: '2000000',
      instalments: [{ amount: '2000000', dueOn: parisDay(-40) }],
      justificationDeadline: parisDay(10),
    });
    await ok(
      RECEIPT,
      { input: { subsidyId: justified.id, amount: '2000000', valueDate: parisDay(-30), bankReference: 'VIR-J' } },
      treasurer,
    );
    await ok(TRANSITION, { input: { subsidyId: justified.id, to: 'JUSTIFIED' } }, treasurer);

    // The second treasurer does not want justification reminders.
    await ok(PREFERENCE, { kind: 'JUSTIFICATION_DUE', enabled: false }, secondTreasurer.token);

    const from = await settled();
    const [one, two] = await Promise.all([scheduler().tick(), scheduler().tick()]);
    // One instance ran each job; the other found the day taken. The demo's own overdue instalment
    // (Media Cloud Cluster's) is one more message.
    expect([one['instalment-overdue'], two['instalment-overdue']].sort()).toEqual([3, null]);
    expect([one['justification-due'], two['justification-due']].sort()).toEqual([1, null]);
    // Another tick the same day runs nothing; a forced rerun finds everything queued.
    const again = await scheduler().tick();
    expect([again['instalment-overdue'], again['justification-due']]).toEqual([null, null]);
    expect(await scheduler().runNow('instalment-overdue')).toBe(0);
    expect(await scheduler().runNow('justification-due')).toBe(0);
    // (Other domains' jobs ran in the same ticks: their mail is not this file's.)
    mails = (await deliveredSince(from)).filter((mail) => /^(Versement en retard|Justificatifs à remettre) /.test(mail.subject));
    expect(mails).toHaveLength(4);
  });

  it("mail an overdue instalment to each treasurer of the subsidy's cluster, with what is still to receive", async () => {
    const overdueMails = mails.filter((mail) => mail.subject.startsWith('Versement en retard : Animation de la filière numérique'));
    expect(overdueMails.map((mail) => mail.to).sort()).toEqual([secondTreasurer.email, FSD_TREASURER].sort());
    const [funder] = await app.sql(`select name from funder where id = $1`, [funderId]);
    for (const mail of overdueMails) {
      expect(mail.subject).toBe(`Versement en retard : Animation de la filière numérique (${funder.name})`);
      expect(mail.text).toContain(
        `Le versement n° 2 de la subvention « Animation de la filière numérique » (${funder.name}, FrenchSouth.digital) était attendu le `,
      );
      expect(mail.text).toContain(`Il reste ${frenchEuros('5500000')} à recevoir.`);
      expect(mail.text).toContain(`https://collegia.example.org/subsidies/${overdue.id}`);
    }
    const rows = await app.sql(`select email, dedupe_key, payload from notification where kind = 'INSTALMENT_OVERDUE' order by email`);
    const interim = overdue.instalments.find((i) => i.position === 2)!;
    expect(rows.filter((row) => row.payload.subsidyId === overdue.id).map((row) => row.dedupe_key)).toEqual(
      [secondTreasurer.email, FSD_TREASURER].sort().map((email) => `INSTALMENT_OVERDUE:${interim.id}:${email}`),
    );
    expect(rows.find((row) => row.payload.subsidyId === overdue.id)?.payload).toEqual({
      subsidyId: overdue.id,
      subsidyTitle: 'Animation de la filière numérique',
      funderName: funder.name,
      clusterName: 'FrenchSouth.digital',
      rank: 2,
      dueOn: parisDay(-5),
      outstandingCents: '5500000',
    });
  });

  it("mail the demo's own overdue instalment to Media Cloud Cluster's treasurer only", async () => {
    const toMcc = mails.filter((mail) => mail.to === MCC_TREASURER);
    expect(toMcc).toHaveLength(1);
    expect(toMcc[0].subject).toBe(
      'Versement en retard : Démonstrateur de cloud souverain mutualisé pour les PME adhérentes (Union européenne — FEDER)',
    );
    expect(toMcc[0].text).toContain(`Il reste ${frenchEuros('4200000')} à recevoir.`);
    // FrenchSouth.digital's treasurers hear nothing of it.
    for (const email of [FSD_TREASURER, secondTreasurer.email]) {
      expect(mails.filter((mail) => mail.to === email && mail.subject.includes('Démonstrateur'))).toEqual([]);
    }
  });

  it('mail a justification due within 30 days to the treasurers who did not turn it off', async () => {
    const justification = mails.filter((mail) => mail.subject.startsWith('Justificatifs à remettre'));
    expect(justification.map((mail) => mail.to)).toEqual([FSD_TREASURER]);
    const deadline = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }).format(
      new Date(`${parisDay(29)}T12:00:00Z`),
    );
    expect(justification[0].subject).toBe(`Justificatifs à remettre avant le ${deadline} : Étude sur les usages du cloud`);
    expect(justification[0].text).toContain(`Les dépenses de la subvention « Étude sur les usages du cloud » (`);
    expect(justification[0].text).toContain(`doivent être justifiées auprès du financeur au plus tard le ${deadline}`);
    const [row] = await app.sql(`select payload from notification where kind = 'JUSTIFICATION_DUE'`);
    expect(row.payload.subsidyId).toBe(dueSoon.id);
  });

  it('carry what the message says and nothing else: no bank reference, no account detail', async () => {
    const rows = await app.sql(`select kind, payload from notification where kind in ('INSTALMENT_OVERDUE', 'JUSTIFICATION_DUE')`);
    const keys: Record<string, string[]> = {
      INSTALMENT_OVERDUE: ['clusterName', 'dueOn', 'funderName', 'outstandingCents', 'rank', 'subsidyId', 'subsidyTitle'],
      JUSTIFICATION_DUE: ['clusterName', 'deadline', 'funderName', 'subsidyId', 'subsidyTitle'],
    };
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(Object.keys(row.payload).sort()).toEqual(keys[row.kind]);
    expect(JSON.stringify(rows)).not.toContain('VIR-2026-0001');
  });
});

describe('statements', () => {
  /** `count` TREASURERs of a cluster since yesterday, written directly (no password hashing). */
  async function treasurers(count: number, prefix: string, clusterId: string): Promise<void> {
    await app.sql(
      `with a as (
         insert into account (id, created_at, updated_at, email, display_name, password_hash)
         select gen_random_uuid(), now(), now(), $1 || i || '@example.test', $1 || i, 'not a hash' from generate_series(1, $2::int) i
         returning id)
       insert into role_assignment (id, created_at, updated_at, account_id, role, cluster_id, valid_from)
       select gen_random_uuid(), now(), now(), a.id, 'TREASURER', $3, now() - interval '1 day' from a`,
      [prefix, count, clusterId],
    );
  }

  async function clusterWithOverdueInstalment(slug: string, count: number): Promise<string> {
    const cluster = await app.services().clusters.createCluster({ name: `Cluster ${slug}`, slug, kind: ClusterKind.CLUSTER });
    const own = await app.signUp({ role: Role.TREASURER, clusterId: cluster.id });
    await treasurers(count - 1, `treasurer-${slug}-`, cluster.id);
    const subsidy = await recordSubsidy(`Programme ${slug}`, {
      clusterId: cluster.id,
      token: own.token,
      amount: '1000000',
      instalments: [{ amount: '1000000', dueOn: parisDay(-2) }],
    });
    return subsidy.id;
  }

  const queuedFor = async (subsidyId: string) =>
    (await app.sql<{ n: number }>(`select count(*)::int as n from notification where payload->>'subsidyId' = $1`, [subsidyId]))[0].n;

  it('reminding 10 or 200 treasurers of an overdue instalment takes the same statements', async () => {
    const measure = async () => {
      app.resetSqlCount();
      await scheduler().runNow('instalment-overdue');
      return app.sqlCount();
    };
    const ten = await clusterWithOverdueInstalment('dix', 10);
    const forTen = await measure();
    expect(await queuedFor(ten)).toBe(10);
    const many = await clusterWithOverdueInstalment('deux-cents', 200);
    const forMany = await measure();
    expect(await queuedFor(many)).toBe(200);
    expect(forMany).toBe(forTen);
    await app.collegia.notifications.worker.drain();
  });
});
