import { ProposalKind } from '../src/governance/proposal.entity.js';
import { BodyKind } from '../src/governance/voting-body.entity.js';
import {
  BOARD_MANDATE_YEARS,
  BOARDS,
  firstOfMonthAhead,
  FUSION,
  fusionText,
  GENERAL_ASSEMBLY,
  PARTNERSHIP,
  PARTNERSHIP_AXES,
} from './governance-data.js';
import type { CollegeKey } from './membership-data.js';
import type { SeedKit } from './seed-kit.js';

/** The proposals the governance step drafts; the finance step freezes a subsidy until the fusion. */
export interface SeededProposals {
  fusionProposalId: string;
  partnershipProposalId: string;
}

/**
 * The governance part of the demo (governance-data.ts), played through the services the API uses:
 * each board is configured with its statutes' rules and seats by its cluster's administrator, its
 * seat holders are appointed — the mandate carries the BOARD_MEMBER right —, FrenchSouth.digital's
 * general assembly is configured and its delegates designated, and FrenchSouth.digital's
 * administrator drafts the fusion and the partnership. `account` gives the id of a demo account
 * (board members' and delegates' included) by email, `collegeId` of a collège by key,
 * `organisationId` of an organisation by name.
 */
export async function seedGovernance(
  kit: SeedKit,
  ids: {
    account: (email: string) => string;
    collegeId: (key: CollegeKey) => string;
    organisationId: (name: string) => string;
    /** The general assembly's delegates: organisation name → the delegate's email. */
    delegates: readonly { organisation: string; email: string }[];
  },
): Promise<SeededProposals> {
  const today = kit.clock();
  const clusterIds = new Map<string, string>();
  const clusterId = async (slug: string) => {
    if (!clusterIds.has(slug)) {
      const cluster = await kit.as(null).clusters.findCluster({ slug });
      if (!cluster) throw new Error(`seed: no cluster ${slug}`);
      clusterIds.set(slug, cluster.id);
    }
    return clusterIds.get(slug)!;
  };

  const account = ids.account;
  const weights = (collegeWeights: Readonly<Partial<Record<CollegeKey, number>>> = {}) =>
    Object.entries(collegeWeights).map(([key, weightBasisPoints]) => ({
      collegeId: ids.collegeId(key as CollegeKey),
      weightBasisPoints: weightBasisPoints!,
    }));

  const endsAt = new Date(today);
  endsAt.setUTCFullYear(endsAt.getUTCFullYear() + BOARD_MANDATE_YEARS);
  for (const board of BOARDS) {
    const bodies = () => kit.as(account(board.configuredBy)).bodies;
    const cluster = await clusterId(board.cluster);
    const { collegeWeights, ...rules } = board.rules;
    await bodies().configure({
      clusterId: cluster,
      kind: BodyKind.BOARD,
      name: board.name,
      rules: { ...rules, collegeWeights: weights(collegeWeights) },
      seats: board.seats.map((seat) => ({ collegeId: ids.collegeId(seat.college), seats: seat.holders.length })),
    });
    for (const seat of board.seats) {
      for (const holder of seat.holders) {
        await bodies().appoint({
          clusterId: cluster,
          collegeId: ids.collegeId(seat.college),
          accountId: account(holder),
          startsAt: today,
          endsAt,
        });
      }
    }
  }

  // The general assembly: every member organisation votes through its delegate; those the seed designates.
  {
    const assembly = GENERAL_ASSEMBLY;
    const cluster = await clusterId(assembly.cluster);
    const { collegeWeights, ...rules } = assembly.rules;
    const bodies = () => kit.as(account(assembly.configuredBy)).bodies;
    await bodies().configure({
      clusterId: cluster,
      kind: BodyKind.GENERAL_ASSEMBLY,
      name: assembly.name,
      rules: { ...rules, collegeWeights: weights(collegeWeights) },
    });
    for (const delegate of ids.delegates) {
      await bodies().designateDelegate({
        clusterId: cluster,
        organisationId: ids.organisationId(delegate.organisation),
        accountId: account(delegate.email),
      });
    }
  }

  const effectiveDate = firstOfMonthAhead(today, FUSION.effectiveInMonths);
  const absorbed = [];
  for (const a of FUSION.absorbed)
    absorbed.push({ clusterId: await clusterId(a.cluster), targetCollegeId: ids.collegeId(a.targetCollege) });
  const fusion = await kit.as(account(FUSION.author)).proposals.create({
    kind: ProposalKind.FUSION,
    title: FUSION.title,
    text: fusionText(effectiveDate),
    plan: { absorbingClusterId: await clusterId(FUSION.absorbing), absorbed, effectiveDate },
  });
  const partyClusterIds = [];
  for (const slug of PARTNERSHIP.parties) partyClusterIds.push(await clusterId(slug));
  const partnership = await kit.as(account(PARTNERSHIP.author)).proposals.create({
    kind: ProposalKind.PARTNERSHIP,
    title: PARTNERSHIP.title,
    text: PARTNERSHIP.text,
    partyClusterIds,
    partnershipAxes: [...PARTNERSHIP_AXES],
  });
  return { fusionProposalId: fusion.id, partnershipProposalId: partnership.id };
}
