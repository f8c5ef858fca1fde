import { startTestApp, type TestApp } from '../../support/test-app.js';
import { FAST_HASHER, ok } from '../support.js';
import { closedMeeting } from './minutes-fixture.js';

/**
 * Drawing up a procès-verbal reads the meeting's record in a fixed number of statements: a
 * meeting of 10 attendees and one of 200 cost the same (issue 15, item 5; no per-attendee query).
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ app: { hasher: FAST_HASHER } });
});
afterAll(() => app.close());

it('drafts the minutes of 10 and of 200 attendees in the same number of statements', async () => {
  const measure = async (attendees: number) => {
    // 3 board members attend (and one is represented); the others are convened accounts in person.
    const meeting = await closedMeeting(app, { extraAttendees: attendees - 3 });
    app.resetSqlCount();
    const started = performance.now();
    const minutes = ok(
      await app.gql(
        `mutation($input: DraftMinutesInput!) { draftMinutes(input: $input) { minutes { id version text } } }`,
        {
          input: { meetingId: meeting.meetingId },
        },
        { token: meeting.admin.token },
      ),
    ).draftMinutes.minutes;
    const statements = app.sqlCount();
    expect(minutes.text).toContain(`- Présents en personne : ${attendees - 1}`);
    return { statements, ms: Math.round(performance.now() - started) };
  };
  const ten = await measure(10);
  const twoHundred = await measure(200);
  console.log(
    `draftMinutes: 10 attendees ${ten.statements} statements (${ten.ms} ms), 200 attendees ${twoHundred.statements} statements (${twoHundred.ms} ms)`,
  );
  expect(twoHundred.statements).toBe(ten.statements);
});
