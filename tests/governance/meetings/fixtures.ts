import { Role } from '../../../src/auth/role.js';
import { QuorumBasis } from '../../../src/governance/statutes.entity.js';
import type { SetBodyStatutesInput } from '../../../src/governance/statutes.inputs.js';
import { BodyKind } from '../../../src/governance/voting-body.entity.js';
import { Majority } from '../../../src/governance/voting-rules.js';
import { DecisionMode } from '../../../src/membership/admission-rule-set.entity.js';
import { ClusterKind } from '../../../src/membership/cluster.entity.js';
import { OrganisationKind } from '../../../src/membership/organisation-kind.js';
import type { TestApp } from '../../support/test-app.js';
import { RULES_DEFAULT, type Person } from '../support.js';

/**
 * A cluster ready for meetings, built through the trusted services (the set-up, not what the
 * tests prove): collèges, a BOARD or a GENERAL_ASSEMBLY, its statutes, and its electorate — board
 * seat holders with a mandate in force, or member organisations (admitted automatically) each
 * voting through its contact as delegate. Start the app with `{ app: { hasher: FAST_HASHER } }`
 * (tests/governance/support.ts): every elector signs in.
 */

/** The statutes a fixture records unless told otherwise. */
export const STATUTES_DEFAULT = {
  noticeDays: 15,
  quorumFirstBasisPoints: 5000,
  quorumSecondBasisPoints: 2500,
  quorumBasis: QuorumBasis.PRESENT_OR_REPRESENTED,
  remoteCountsAsPresent: true,
  pouvoirsPerHolder: 2,
  note: 'Statuts, art. 12',
};

export type StatutesValues = Omit<SetBodyStatutesInput, 'bodyId'>;

/** A member of the body's electorate. */
export interface Elector extends Person {
  /** The collège of their seat (board) or of their organisation's membership (general assembly). */
  collegeId: string;
  /** General assembly: the member organisation they vote for; board: null. */
  organisationId: string | null;
  /** Board: their mandate; general assembly: null. */
  mandateId: string | null;
}

export interface MeetingFixture {
  clusterId: string;
  bodyId: string;
  bodyKind: BodyKind;
  /** Collège ids, in creation order. */
  colleges: string[];
  /** The statutes version recorded (1), or null when asked for none. */
  statutesId: string | null;
  /** A CLUSTER_ADMIN of the cluster: ManageMeetings, SetBodyStatutes. */
  clusterAdmin: Person;
  /** A platform ADMIN: ForceShortNotice. */
  admin: Person;
  /** A MEMBER of the cluster (role granted, no organisation) who is not in the electorate: ReadMeetings only. */
  member: Person;
  /** Signed in, no role anywhere. */
  outsider: Person;
  /** The electorate, in creation order (collèges taken in turn). */
  electors: Elector[];
}

let serial = 0;

/**
 * Builds a cluster with a `kind` body of `electorate` electors (at least 1 unless 0 is wanted:
 * an empty electorate), its statutes (STATUTES_DEFAULT with `statutes` over it; null: none), and
 * its people. Every id and token the meeting tests need.
 */
export async function meetingFixture(
  app: TestApp,
  options: {
    kind: BodyKind | 'BOARD' | 'GENERAL_ASSEMBLY';
    electorate: number;
    colleges?: number;
    statutes?: Partial<StatutesValues> | null;
  },
): Promise<MeetingFixture> {
  serial += 1;
  const kind = options.kind as BodyKind;
  const tag = `${Date.now().toString(36)}-${serial}`;
  const clusterId = (
    await app.services().clusters.createCluster({ name: `Grappe ${tag}`, slug: `grappe-${tag}`, kind: ClusterKind.CLUSTER })
  ).id;
  const colleges: string[] = [];
  for (let i = 0; i < (options.colleges ?? 2); i += 1) {
    colleges.push(
      (await app.services().clusters.createCollege({ clusterId, name: `Collège ${tag}.${i}`, slug: `college-${i}`, theme: `theme-${i}` }))
        .id,
    );
  }
  const seats = Math.ceil(options.electorate / colleges.length) + 2;
  const body = await app.services().bodies.configure({
    clusterId,
    kind,
    name: kind === BodyKind.BOARD ? `Conseil d’administration ${tag}` : `Assemblée générale ${tag}`,
    rules: RULES_DEFAULT,
    seats: kind === BodyKind.BOARD ? colleges.map((collegeId) => ({ collegeId, seats })) : undefined,
  });
  const [clusterAdmin, admin, member, outsider] = [
    await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId }),
    await app.signUp({ role: Role.ADMIN }),
    await app.signUp({ role: Role.MEMBER, clusterId }),
    await app.signUp(),
  ];
  if (kind === BodyKind.GENERAL_ASSEMBLY) {
    for (const collegeId of colleges) {
      await app.services().admission.setAdmissionRules({ collegeId, criteria: {}, decisionMode: DecisionMode.AUTOMATIC });
    }
  }
  const electors: Elector[] = [];
  for (let i = 0; i < options.electorate; i += 1) {
    const collegeId = colleges[i % colleges.length];
    const person = await app.signUp();
    if (kind === BodyKind.BOARD) {
      const mandate = await app.services().bodies.appoint({ clusterId, collegeId, accountId: person.accountId });
      electors.push({ ...person, collegeId, organisationId: null, mandateId: mandate.id });
    } else {
      const organisation = await app
        .services()
        .organisations.createOrganisation({ name: `Membre ${tag}.${i}`, kind: OrganisationKind.COMPANY }, person.accountId);
      await app.services().admission.submitApplication(organisation.id, collegeId);
      await app.services().bodies.designateDelegate({ clusterId, organisationId: organisation.id, accountId: person.accountId });
      electors.push({ ...person, collegeId, organisationId: organisation.id, mandateId: null });
    }
  }
  let statutesId: string | null = null;
  if (options.statutes !== null) {
    const statutes = await app.services().statutes.set({
      bodyId: body.id,
      ...STATUTES_DEFAULT,
      dissolution: { body: kind, quorumBasisPoints: 6667, majority: Majority.TWO_THIRDS },
      ...options.statutes,
    });
    statutesId = statutes.id;
  }
  return { clusterId, bodyId: body.id, bodyKind: kind, colleges, statutesId, clusterAdmin, admin, member, outsider, electors };
}
