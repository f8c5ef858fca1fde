import { Role } from '../src/auth/role.js';
import type { LedgerEntry } from '../src/finance/ledger-entry.entity.js';
import { SubsidyState } from '../src/finance/subsidy-state.js';
import { College } from '../src/membership/college.entity.js';
import { Organisation } from '../src/membership/organisation.entity.js';
import {
  bankReference,
  decisionReference,
  FINANCE_ACCOUNTS,
  FUNDER_REGISTRAR_CLUSTER,
  FUNDERS,
  PROGRAMMES,
  SUBSIDIES,
  type FunderKey,
  type ProgrammeKey,
  type SubsidySeed,
} from './finance-data.js';
import { isoDaysAgo } from './french-organisations.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './membership-data.js';
import type { SeedKit } from './seed-kit.js';

/**
 * The finance part of the demo (finance-data.ts), played through the services the API uses: the
 * associations' treasurers get their accounts, FrenchSouth.digital's treasurer registers the
 * funders and programmes, and each cluster's treasurer records its subsidies, the receipts, the
 * corrections and the freeze until the merger — every write validated, ledgered and audited.
 * `account` gives the id of a demo account by email; `fusionProposalId` is the fusion proposal
 * the governance step drafted, which the frozen subsidies wait for.
 */
export async function seedFinance(kit: SeedKit, account: (email: string) => string, fusionProposalId: string): Promise<void> {
  const today = kit.clock();
  const day = (offset: number) => isoDaysAgo(today, -offset);
  const clusterId = async (slug: string) => {
    const cluster = await kit.as(null).clusters.findCluster({ slug });
    if (!cluster) throw new Error(`seed: no cluster ${slug}`);
    return cluster.id;
  };

  // Treasurers: FrenchSouth.digital's is a demo account; the associations' are registered here.
  const treasurers = new Map<string, string>();
  for (const demo of DEMO_ACCOUNTS) {
    if (demo.role === Role.TREASURER && demo.cluster) treasurers.set(demo.cluster, account(demo.email));
  }
  for (const demo of FINANCE_ACCOUNTS) {
    const registered = await kit
      .as(null)
      .auth.register({ email: demo.email, displayName: demo.displayName, password: DEMO_PASSWORD }, { verified: true });
    const roles = kit.as(null).roles;
    const input = { accountId: registered.id, role: demo.role, clusterId: await clusterId(demo.cluster) };
    await roles.grant(input, await roles.scopeOfGrant(input));
    treasurers.set(demo.cluster, registered.id);
  }
  const treasurerOf = (slug: string) => {
    const id = treasurers.get(slug);
    if (!id) throw new Error(`seed: no treasurer for ${slug}`);
    return id;
  };

  // Funders and programmes, registered by a treasurer; laureates are organisations of the membership seed.
  const registrar = () => kit.as(treasurerOf(FUNDER_REGISTRAR_CLUSTER));
  const lookup = kit.as(null).em;
  const funderIds = {} as Record<FunderKey, string>;
  for (const [key, funder] of Object.entries(FUNDERS) as [FunderKey, (typeof FUNDERS)[FunderKey]][]) {
    funderIds[key] = (await registrar().funders.createFunder(funder)).id;
  }
  const programmeIds = {} as Record<ProgrammeKey, string>;
  for (const [key, programme] of Object.entries(PROGRAMMES) as [ProgrammeKey, (typeof PROGRAMMES)[ProgrammeKey]][]) {
    const laureates = [];
    for (const laureate of programme.laureates ?? []) {
      const existing = await lookup.findOne(Organisation, { name: laureate.organisation });
      const organisationId =
        existing?.id ??
        (
          await registrar().organisations.createOrganisation(
            { name: laureate.organisation, kind: laureate.organisationKind, departement: laureate.departement },
            null,
          )
        ).id;
      laureates.push({ organisationId, project: laureate.project, kind: laureate.kind, amount: laureate.amount });
    }
    const { funder, laureates: _laureates, ...fields } = programme;
    programmeIds[key] = (await registrar().funders.createProgramme({ ...fields, funderId: funderIds[funder], laureates })).id;
  }

  // Subsidies, each recorded and followed by its own cluster's treasurer.
  const collegeIds = new Map<string, string>();
  const collegeId = async (clusterSlug: string, slug: string) => {
    const key = `${clusterSlug}/${slug}`;
    if (!collegeIds.has(key)) {
      const college = await lookup.findOne(College, { cluster: { slug: clusterSlug }, slug });
      if (!college) throw new Error(`seed: no collège ${key}`);
      collegeIds.set(key, college.id);
    }
    return collegeIds.get(key)!;
  };
  for (const seed of SUBSIDIES) await recordSubsidy(seed);

  async function recordSubsidy(seed: SubsidySeed): Promise<void> {
    const treasurer = treasurerOf(seed.cluster);
    const decisionDate = seed.decision && day(seed.decision.day);
    if (seed.decision && seed.decision.day > 0) throw new Error(`seed: a decision in the future (${seed.purpose})`);
    const allocations = [];
    for (const [slug, shareBasisPoints] of Object.entries(seed.allocations ?? {})) {
      allocations.push({ collegeId: await collegeId(seed.cluster, slug), shareBasisPoints });
    }
    const subsidy = await kit.as(treasurer).subsidies.recordSubsidy({
      clusterId: await clusterId(seed.cluster),
      funderId: funderIds[seed.funder],
      programmeId: seed.programme && programmeIds[seed.programme],
      purpose: seed.purpose,
      state: seed.requested ? SubsidyState.REQUESTED : SubsidyState.AWARDED,
      decisionReference: seed.decision && decisionReference(seed.funder, decisionDate!, seed.decision.number),
      decisionDate,
      amountAwarded: seed.amount,
      eligibleCost: seed.eligibleCost,
      financingPlan: seed.financingPlan?.map(({ funder, ...share }) => ({ ...share, funderId: funder && funderIds[funder] })),
      instalments: seed.instalments?.map(({ dueDay, ...instalment }) => ({ ...instalment, dueOn: day(dueDay) })),
      allocations: allocations.length ? allocations : undefined,
      justificationDeadline: seed.justificationDay === undefined ? undefined : day(seed.justificationDay),
    });

    const receipts = new Map<string, LedgerEntry>();
    for (const step of seed.steps ?? []) {
      const subsidies = kit.as(treasurer).subsidies;
      if ('receipt' in step) {
        const { amount, day: offset, transfer } = step.receipt;
        if (offset > 0) throw new Error(`seed: a receipt in the future (${seed.purpose})`);
        const valueDate = day(offset);
        const { entry } = await subsidies.recordReceipt({
          subsidyId: subsidy.id,
          amount,
          valueDate,
          bankReference: bankReference(valueDate, transfer),
        });
        receipts.set(transfer, entry);
      } else if ('reverse' in step) {
        const entry = receipts.get(step.reverse.transfer);
        if (!entry) throw new Error(`seed: no receipt ${step.reverse.transfer} to reverse (${seed.purpose})`);
        await subsidies.reverseEntry({ entryId: entry.id, reason: step.reverse.reason, valueDate: day(step.reverse.day) });
      } else if ('transition' in step) {
        await subsidies.transition({ subsidyId: subsidy.id, to: step.transition, reason: step.reason });
      } else {
        await subsidies.freeze({ subsidyId: subsidy.id, reason: step.freezeUntilFusion, untilProposalId: fusionProposalId });
      }
    }
  }
}
