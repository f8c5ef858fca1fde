import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_PASSWORD } from '../../seeds/membership-data.js';
import { trustedScope } from '../../src/auth/domain-service.js';
import { Role } from '../../src/auth/role.js';
import { Decision } from '../../src/membership/admission.service.js';
import { DecisionMode } from '../../src/membership/admission-rule-set.entity.js';
import { Scheduler } from '../../src/notification/scheduler.js';
import { SCHEDULED_JOBS } from '../../src/scheduled-jobs.js';
import { createServices } from '../../src/services.js';
import { refusal } from '../support/refusals.js';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The admission's mail on the demo data, over HTTP, delivered to a real SMTP server: a new
 * application reaches its collège's representatives (and no one else), the charter to sign and
 * the decision reach the applicant's contacts; a refused or rolled-back step sends nothing; a
 * person who turned a kind off gets none; the daily job announces the representatives' mandates
 * ending to their cluster's administrators, once.
 */
let app: TestApp;
let smtp: TestSmtpServer;
let fsdId: string;
let startupsId: string;
let maryam: string;

const PUBLIC_URL = 'https://collegia.example.org';
const CREATE_ORG = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisation { id } } }`;
const ADD_PERSON = `mutation($input: AddPersonInput!) { addPerson(input: $input) { person { id } } }`;
const SUBMIT = `mutation($input: ApplicationTargetInput!) { submitApplication(input: $input) { application { id state } } }`;
const DECIDE = `mutation($input: DecideApplicationInput!) { decideApplication(input: $input) { application { id state } } }`;
const SIGN_CHARTER = `mutation($input: SignCharterInput!) { signCharter(input: $input) { signature { id } } }`;
const PREFERENCE = `mutation($kind: NotificationKind!, $enabled: Boolean!) { setNotificationPreference(kind: $kind, enabled: $enabled) { kind enabled } }`;

/** The other representatives of the demo: of FrenchSouth.digital's other collèges, and of other clusters. */
const OTHER_REPRESENTATIVES = [
  'thomas.fraisse@epitech.example',
  'alain.molinie@mediacloudcluster.example',
  'gregory.cladera@novae-lr.example',
  'david.mekersa@pixlr.example',
  'pascal.flamand@telecom-valley.example',
  'brigitte.marandon@loire-numerique.example',
];

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

/** Delivers what is queued so far; returns where the next mail will be in smtp.received. */
async function settled(): Promise<number> {
  await app.collegia.notifications.worker.drain();
  return smtp.received.length;
}

/** Delivers what is queued, and returns the mail received since `from` (see settled). */
async function deliveredSince(from: number): Promise<ReceivedMail[]> {
  await app.collegia.notifications.worker.drain();
  return smtp.received.slice(from);
}

const recipients = (mails: ReceivedMail[]) => mails.map((mail) => mail.to).sort();
const outboxSize = async () => (await app.sql<{ n: number }>('select count(*)::int as n from notification'))[0].n;
const yearsAgo = (years: number) => `${new Date().getUTCFullYear() - years}-03-01`;

/** A new applicant: an account, the organisation it registers, and a contact of it without an account. */
async function newApplicant(name: string, departement = '34') {
  const account = await app.signUp();
  const { createOrganisation } = await ok(
    CREATE_ORG,
    { input: { name, kind: 'COMPANY', headcount: 12, foundedOn: yearsAgo(2), departement } },
    account.token,
  );
  const organisationId = createOrganisation.organisation.id as string;
  const colleague = `contact@${name.toLowerCase().replace(/[^a-z]+/g, '-')}.example`;
  await ok(ADD_PERSON, { input: { organisationId, fullName: 'Jeanne Contact', email: colleague } }, account.token);
  return { ...account, organisationId, colleague };
}

async function submit(organisationId: string, collegeId: string, token: string): Promise<{ id: string; state: string }> {
  return (await ok(SUBMIT, { input: { organisationId, collegeId } }, token)).submitApplication.application;
}

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  app = await startTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL } });
  await app.seedDemo();
  [{ id: fsdId }] = await app.sql(`select id from cluster where slug = 'frenchsouth-digital'`);
  [{ id: startupsId }] = await app.sql(`select id from college where cluster_id = $1 and slug = 'startups-entrepreneurs'`, [fsdId]);
  maryam = await signIn('maryam.bini@soledge.example');
});

afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

describe('an application', () => {
  let applicant: Awaited<ReturnType<typeof newApplicant>>;
  let applicationId: string;

  it("is announced to its collège's representatives only, and the charter to sign to the applicant's contacts", async () => {
    const from = await settled();
    applicant = await newApplicant('Garrigue Robotique');
    const application = await submit(applicant.organisationId, startupsId, applicant.token);
    expect(application.state).toBe('SUBMITTED');
    applicationId = application.id;

    const mails = await deliveredSince(from);
    // Start-ups & Entrepreneurs has one representative, Maryam Bini; the applicant has two contacts.
    expect(recipients(mails)).toEqual([applicant.colleague, applicant.email, 'maryam.bini@soledge.example'].sort());
    for (const other of OTHER_REPRESENTATIVES) expect(mails.filter((mail) => mail.to === other)).toEqual([]);

    const [toRepresentative] = mails.filter((mail) => mail.to === 'maryam.bini@soledge.example');
    expect(toRepresentative.subject).toBe('Nouvelle candidature : Garrigue Robotique au collège Start-ups & Entrepreneurs');
    expect(toRepresentative.text).toContain(
      'Garrigue Robotique demande à adhérer au collège Start-ups & Entrepreneurs de FrenchSouth.digital.',
    );
    expect(toRepresentative.text).toContain(`Examiner la candidature : ${PUBLIC_URL}/applications/${applicationId}`);

    for (const contact of [applicant.email, applicant.colleague]) {
      const [charter] = mails.filter((mail) => mail.to === contact);
      expect(charter.subject).toBe('Charte à signer pour votre candidature au collège Start-ups & Entrepreneurs');
      expect(charter.text).toContain(
        'Pour que la candidature de Garrigue Robotique au collège Start-ups & Entrepreneurs puisse être acceptée, la charte « Charte des bonnes pratiques de FrenchSouth.digital » doit être signée',
      );
    }
    // The applicant's preferences apply to their own account's message; the colleague has none.
    const rows = await app.sql(
      `select email, account_id from notification where kind = 'CHARTER_TO_SIGN' and payload->>'applicationId' = $1 order by email`,
      [applicationId],
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { email: applicant.email, account_id: applicant.accountId },
        { email: applicant.colleague, account_id: null },
      ]),
    );
  });

  it('refused approval queues nothing; signing the charter queues nothing; the approval reaches every contact', async () => {
    const before = await outboxSize();
    const refused = await app.gql(DECIDE, { input: { applicationId, decision: 'APPROVE' } }, { token: maryam });
    expect(refusal(refused)).toEqual({ code: 'CONFLICT', reason: 'CRITERIA_UNMET' });
    expect(await outboxSize()).toBe(before);

    await ok(SIGN_CHARTER, { input: { organisationId: applicant.organisationId, clusterId: fsdId } }, applicant.token);
    expect(await outboxSize()).toBe(before);

    const from = await settled();
    const approved = await ok(DECIDE, { input: { applicationId, decision: 'APPROVE' } }, maryam);
    expect(approved.decideApplication.application.state).toBe('APPROVED');
    const mails = await deliveredSince(from);
    expect(recipients(mails)).toEqual([applicant.colleague, applicant.email].sort());
    for (const mail of mails) {
      expect(mail.subject).toBe('Votre candidature au collège Start-ups & Entrepreneurs est acceptée');
      expect(mail.text).toContain(
        'La candidature de Garrigue Robotique au collège Start-ups & Entrepreneurs de FrenchSouth.digital a été acceptée.',
      );
      expect(mail.text).toContain("Vos contacts ont désormais accès à l'annuaire des membres");
      expect(mail.text).not.toContain('Motif');
    }
  });

  it('deciding an already decided application is refused and queues nothing', async () => {
    const before = await outboxSize();
    const again = await app.gql(DECIDE, { input: { applicationId, decision: 'REJECT', reason: 'changed our mind' } }, { token: maryam });
    expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'APPLICATION_ALREADY_DECIDED' });
    expect(await outboxSize()).toBe(before);
  });

  it("a rejection of one of the demo's pending applications tells its contact why", async () => {
    const [pending] = await app.sql(
      `select ap.id, o.name, p.email from application ap join organisation o on o.id = ap.organisation_id
         join person p on p.organisation_id = o.id
        where ap.college_id = $1 and ap.state in ('SUBMITTED', 'UNDER_REVIEW') and p.email is not null order by o.name limit 1`,
      [startupsId],
    );
    expect(pending).toBeDefined();
    const from = await settled();
    await ok(DECIDE, { input: { applicationId: pending.id, decision: 'REJECT', reason: 'Activité hors du périmètre du collège' } }, maryam);
    const mails = await deliveredSince(from);
    const contacts = await app.sql(
      `select email from person where organisation_id = (select organisation_id from application where id = $1)`,
      [pending.id],
    );
    expect(recipients(mails)).toEqual(contacts.map((c) => c.email.toLowerCase()).sort());
    expect(mails[0].subject).toBe('Votre candidature au collège Start-ups & Entrepreneurs est refusée');
    expect(mails[0].text).toContain(
      `La candidature de ${pending.name} au collège Start-ups & Entrepreneurs de FrenchSouth.digital a été refusée.`,
    );
    expect(mails[0].text).toContain('Motif : Activité hors du périmètre du collège');
  });

  it('a contact who turned decisions off gets none; the others still do', async () => {
    const applicant = await newApplicant('Causse Logiciels');
    const off = await ok(PREFERENCE, { kind: 'APPLICATION_DECIDED', enabled: false }, applicant.token);
    expect(off.setNotificationPreference).toContainEqual({ kind: 'APPLICATION_DECIDED', enabled: false });
    const application = await submit(applicant.organisationId, startupsId, applicant.token);
    const from = await settled();
    await ok(DECIDE, { input: { applicationId: application.id, decision: 'REJECT', reason: 'Plus de 8 ans' } }, maryam);
    const mails = await deliveredSince(from);
    expect(recipients(mails)).toEqual([applicant.colleague]);
  });

  it('a decision whose transaction rolls back queues nothing, so sends nothing', async () => {
    const applicant = await newApplicant('Salagou Systèmes');
    const application = await submit(applicant.organisationId, startupsId, applicant.token);
    await app.collegia.notifications.worker.drain();
    const before = await outboxSize();
    const [{ id: maryamId }] = await app.sql(`select id from account where email = 'maryam.bini@soledge.example'`);
    const { deps, orm } = app.collegia;
    await expect(
      orm.em.fork().transactional(async (tx) => {
        const services = createServices(trustedScope(tx, deps.audit, deps.clock, maryamId), deps);
        await services.admission.decideApplication({ applicationId: application.id, decision: Decision.REJECT, reason: 'Doublon' });
        expect(await tx.execute(`select 1 from notification where payload->>'applicationId' = ?`, [application.id])).not.toEqual([]);
        throw new Error('the change fails after the decision');
      }),
    ).rejects.toThrow('the change fails');
    expect(await outboxSize()).toBe(before);
    const [row] = await app.sql(`select state from application where id = $1`, [application.id]);
    expect(row.state).toBe('SUBMITTED');
    const from = await settled();
    expect(await deliveredSince(from)).toEqual([]);
  });

  it('admitted at once by the rules (AUTOMATIC), it asks no representative and tells the applicant', async () => {
    const [{ id: digitalPlaceId }] = await app.sql(
      `select c.id from college c join cluster cl on cl.id = c.cluster_id where cl.slug = 'digitalplace' and c.slug = 'adherents'`,
    );
    const applicant = await newApplicant('Capitole Données', '31');
    const from = await settled();
    const application = await submit(applicant.organisationId, digitalPlaceId, applicant.token);
    expect(application.state).toBe('APPROVED');
    const mails = await deliveredSince(from);
    expect(recipients(mails)).toEqual([applicant.colleague, applicant.email].sort());
    expect(mails[0].subject).toBe('Votre candidature au collège Adhérents est acceptée');
    expect(
      await app.sql(`select 1 from notification where kind = 'APPLICATION_SUBMITTED' and payload->>'applicationId' = $1`, [application.id]),
    ).toEqual([]);
  });
});

describe('statements', () => {
  /** `count` accounts holding `role` on the scope since yesterday, written directly (no password hashing). */
  async function holders(count: number, prefix: string, role: Role, clusterId: string, collegeId: string | null): Promise<void> {
    await app.sql(
      `with a as (
         insert into account (id, created_at, updated_at, email, display_name, password_hash)
         select gen_random_uuid(), now(), now(), $1 || i || '@example.test', $1 || i, 'not a hash' from generate_series(1, $2::int) i
         returning id)
       insert into role_assignment (id, created_at, updated_at, account_id, role, cluster_id, college_id, valid_from)
       select gen_random_uuid(), now(), now(), a.id, $3::role, $4, $5, now() - interval '1 day' from a`,
      [prefix, count, role, clusterId, collegeId],
    );
  }

  /** `count` contacts of an organisation, without accounts. */
  async function contacts(count: number, prefix: string, organisationId: string): Promise<void> {
    await app.sql(
      `insert into person (id, created_at, updated_at, organisation_id, full_name, email)
       select gen_random_uuid(), now(), now(), $1, $2 || i, $2 || i || '@example.test' from generate_series(1, $3::int) i`,
      [organisationId, prefix, count],
    );
  }

  async function collegeWithRepresentatives(slug: string, count: number) {
    const services = app.services();
    const college = await services.clusters.createCollege({ clusterId: fsdId, name: `Collège ${slug}`, slug, theme: slug });
    await app.services().admission.setAdmissionRules({ collegeId: college.id, criteria: {}, decisionMode: DecisionMode.REPRESENTATIVE });
    const representative = await app.signUp({ role: Role.COLLEGE_REPRESENTATIVE, clusterId: fsdId, collegeId: college.id });
    await holders(count - 1, `rep-${slug}-`, Role.COLLEGE_REPRESENTATIVE, fsdId, college.id);
    return { id: college.id, representative };
  }

  const queuedFor = async (kind: string, applicationId: string) =>
    (
      await app.sql<{ n: number }>(`select count(*)::int as n from notification where kind = $1 and payload->>'applicationId' = $2`, [
        kind,
        applicationId,
      ])
    )[0].n;

  it('announcing an application to 10 or 200 representatives, or a decision to 10 or 200 contacts, takes the same statements', async () => {
    const ten = await collegeWithRepresentatives('dix', 10);
    const many = await collegeWithRepresentatives('deux-cents', 200);
    const applicant = await newApplicant('Pic Saint-Loup Numérique');
    await contacts(8, 'pic-', applicant.organisationId);

    const measure = async (run: () => Promise<unknown>) => {
      app.resetSqlCount();
      await run();
      return app.sqlCount();
    };
    let small = '';
    let large = '';
    const submitTen = await measure(async () => (small = (await submit(applicant.organisationId, ten.id, applicant.token)).id));
    const submitMany = await measure(async () => (large = (await submit(applicant.organisationId, many.id, applicant.token)).id));
    expect(await queuedFor('APPLICATION_SUBMITTED', small)).toBe(10);
    expect(await queuedFor('APPLICATION_SUBMITTED', large)).toBe(200);
    expect(submitMany).toBe(submitTen);

    // The same organisation, with 10 contacts then 200, decided on by a representative.
    const decideTen = await measure(() => ok(DECIDE, { input: { applicationId: small, decision: 'APPROVE' } }, ten.representative.token));
    expect(await queuedFor('APPLICATION_DECIDED', small)).toBe(10);
    await contacts(190, 'loup-', applicant.organisationId);
    const decideMany = await measure(() => ok(DECIDE, { input: { applicationId: large, decision: 'APPROVE' } }, many.representative.token));
    expect(await queuedFor('APPLICATION_DECIDED', large)).toBe(200);
    expect(decideMany).toBe(decideTen);
    await app.collegia.notifications.worker.drain();
  });
});

describe('mandates ending', () => {
  const DAY = 86_400_000;

  it("are announced to the cluster's administrators, once per mandate, however many times and instances run the job", async () => {
    const services = app.services();
    const [cloud] = await app.sql(`select id from college where cluster_id = $1 and slug = 'cloud'`, [fsdId]);
    const [mcc] = await app.sql(
      `select c.id from college c join cluster cl on cl.id = c.cluster_id where cl.slug = 'media-cloud-cluster' and c.slug = 'membres'`,
    );
    const now = app.clock.now();
    const soon = await app.signUp();
    await app.sql(`update account set display_name = 'Hélène Fabre' where id = $1`, [soon.accountId]);
    const ending = await services.representatives.appoint({
      collegeId: cloud.id,
      accountId: soon.accountId,
      startsAt: new Date(now.getTime() - 1000 * DAY),
      endsAt: new Date(now.getTime() + 45 * DAY),
    });
    const later = await app.signUp();
    await services.representatives.appoint({ collegeId: cloud.id, accountId: later.accountId, endsAt: new Date(now.getTime() + 90 * DAY) });
    const elsewhere = await app.signUp();
    const mccEnding = await services.representatives.appoint({
      collegeId: mcc.id,
      accountId: elsewhere.accountId,
      endsAt: new Date(now.getTime() + 30 * DAY),
    });
    // Ended early: no longer ending.
    const ended = await app.signUp();
    const endedEarly = await services.representatives.appoint({
      collegeId: cloud.id,
      accountId: ended.accountId,
      endsAt: new Date(now.getTime() + 20 * DAY),
    });
    await services.representatives.end(endedEarly.id, 'resigned');
    // A second administrator of FrenchSouth.digital, who turned this kind off.
    const quiet = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId: fsdId });
    await ok(PREFERENCE, { kind: 'MANDATE_ENDING', enabled: false }, quiet.token);

    const from = await settled();
    const job = 'representative-mandate-ending';
    const logger = app.collegia.deps.logger;
    const scheduler = () => new Scheduler(app.collegia.orm, SCHEDULED_JOBS, app.clock.now, logger, { tickMs: 60_000, dailyHour: 0 });
    const [one, two] = await Promise.all([scheduler().tick(), scheduler().tick()]);
    // One instance ran it, the other found the day taken.
    expect([one[job], two[job]].sort()).toEqual([2, null]);
    expect(await scheduler().runNow(job)).toBe(0);
    expect((await scheduler().tick())[job]).toBeNull();

    // (Other jobs ran in the same ticks — board seats are governance's: their mail is not this file's.)
    const mails = (await deliveredSince(from)).filter((mail) => /^Fin de mandat .*, représentant du collège /.test(mail.subject));
    expect(recipients(mails)).toEqual(['cluster-admin@frenchsouth.example', 'cluster-admin@mediacloudcluster.example']);
    const [fsdMail] = mails.filter((mail) => mail.to === 'cluster-admin@frenchsouth.example');
    const endsOn = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }).format(
      ending.endsAt!,
    );
    expect(fsdMail.subject).toBe(`Fin de mandat le ${endsOn} : Hélène Fabre, représentant du collège Cloud`);
    expect(fsdMail.text).toContain(
      `Le mandat de Hélène Fabre, représentant du collège Cloud (FrenchSouth.digital), prend fin le ${endsOn}.`,
    );
    const rows = await app.sql(
      `select email, payload from notification where kind = 'MANDATE_ENDING' and payload->>'mandate' = 'REPRESENTATIVE' order by email`,
    );
    expect(rows.map((row) => [row.email, row.payload.mandateId])).toEqual([
      ['cluster-admin@frenchsouth.example', ending.id],
      ['cluster-admin@mediacloudcluster.example', mccEnding.id],
    ]);
  });
});
