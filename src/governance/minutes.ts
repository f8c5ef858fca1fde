import type { EntityManager } from '@mikro-orm/postgresql';
import { GovernanceReason, refuse } from './governance.reasons.js';
import { Participation, PartyVoteState, ProposalParty, type Proposal } from './proposal.entity.js';
import { Secrecy, Weighting, type VotingRules } from './voting-rules.js';

const pct = (basisPoints: number) => `${(basisPoints / 100).toLocaleString('fr-FR', { maximumFractionDigits: 2 })} %`;
const iso = (date: Date | null | undefined) => (date ? date.toISOString().replace('.000Z', 'Z') : '—');
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function rulesText(rules: VotingRules, collegeNames: Map<string, string>): string[] {
  const lines = [
    `- Quorum : ${pct(rules.quorumBasisPoints)} de l’électorat (participation, procurations comprises)`,
    `- Majorité : ${rules.majority}${rules.abstentionsCount ? ', abstentions comptées dans la base' : ', abstentions non comptées'}`,
    `- Pondération : ${rules.weighting}`,
  ];
  if (rules.weighting === Weighting.COLLEGE_WEIGHTED) {
    for (const w of rules.collegeWeights) lines.push(`  - ${collegeNames.get(w.collegeId) ?? w.collegeId} : ${pct(w.weightBasisPoints)}`);
  }
  if (rules.doubleMajorityColleges) lines.push(`- Double majorité : dans au moins ${rules.doubleMajorityColleges} collège(s)`);
  lines.push(`- Procurations : ${rules.proxyLimit} au plus par mandataire${rules.proxySameCollege ? ', du même collège' : ''}`);
  lines.push(`- Scrutin : ${rules.secrecy === Secrecy.SECRET ? 'secret' : 'nominatif'}`);
  return lines;
}

/**
 * The procès-verbal of a closed proposal, in Markdown: body, dates, text, rules applied,
 * electorate, participation, per-collège results, outcome, the voters (NAMED) or participants
 * (SECRET), and the digest of the published ballot list.
 */
export async function renderMinutes(em: EntityManager, proposal: Proposal): Promise<string> {
  const parties = await em.find(ProposalParty, { proposal }, { populate: ['cluster', 'body'], orderBy: { createdAt: 'asc', id: 'asc' } });
  if (!parties.some((p) => p.state === PartyVoteState.CLOSED)) {
    throw refuse(GovernanceReason.MINUTES_NOT_READY, `This proposal is ${proposal.state}: minutes exist once a vote is closed.`, {
      currentState: proposal.state,
    });
  }
  const collegeRows = await em.execute<{ id: string; name: string }[]>(
    `select c.id, c.name from college c where c.cluster_id in (${parties.map(() => '?').join(', ')})`,
    parties.map((p) => p.cluster.id),
  );
  const collegeNames = new Map(collegeRows.map((r) => [r.id, r.name]));
  const out: string[] = [
    `# Procès-verbal — ${proposal.title}`,
    '',
    `- Proposition : ${proposal.kind} (${proposal.id})`,
    `- Ouverture du vote : ${iso(proposal.opensAt)}`,
    `- Clôture prévue : ${iso(proposal.closesAt)}`,
    `- Issue : **${proposal.state}**`,
    '',
    '## Texte soumis au vote',
    '',
    ...proposal.text.split(/\r?\n/).map((line) => `> ${line}`),
    '',
  ];
  for (const party of parties) {
    out.push(`## ${party.body.name} (${party.cluster.name})`, '');
    if (party.state !== PartyVoteState.CLOSED || !party.tally || !party.rules) {
      out.push(`Vote : ${party.state}.`, '');
      continue;
    }
    const t = party.tally;
    out.push(`- Clôture : ${iso(party.closedAt)}`, '', '### Règles appliquées', '', ...rulesText(party.rules, collegeNames), '');
    out.push(
      '### Résultat',
      '',
      `- Électorat : ${t.electorate} — participation : ${t.ballots} (quorum ${t.quorumReached ? 'atteint' : 'non atteint'})`,
      `- Pour : ${t.for}, contre : ${t.against}, abstention : ${t.abstain}`,
      `- Pondéré : pour ${t.weightedFor.exact} (${t.weightedFor.percent} %), contre ${t.weightedAgainst.exact} (${t.weightedAgainst.percent} %), abstention ${t.weightedAbstain.exact} (${t.weightedAbstain.percent} %)`,
      `- Majorité ${t.majorityReached ? 'atteinte' : 'non atteinte'}${t.doubleMajorityReached === null ? '' : `, double majorité ${t.doubleMajorityReached ? 'atteinte' : 'non atteinte'}`}`,
      `- Décision : **${t.adopted ? 'ADOPTÉE' : 'REJETÉE'}** (${t.reason})`,
      '',
      '| Collège | Électorat | Votants | Pour | Contre | Abstention | Part | Majorité |',
      '|---|---|---|---|---|---|---|---|',
      ...t.colleges.map(
        (c) =>
          `| ${cell(c.collegeId ? (collegeNames.get(c.collegeId) ?? c.collegeId) : '—')} | ${c.electorate} | ${c.ballots} | ${c.for} | ${c.against} | ${c.abstain} | ${c.effectiveShare.exact} | ${c.majorityReached ? 'oui' : 'non'} |`,
      ),
      '',
    );
    const secret = party.rules.secrecy === Secrecy.SECRET;
    const participants = await em.find(Participation, { party }, { populate: ['voter', 'castBy'] });
    const named = secret
      ? []
      : await em.execute<{ voter_id: string; choice: string }[]>(`select voter_id, choice from ballot where party_id = ?`, [party.id]);
    const choices = new Map(named.map((b) => [b.voter_id, b.choice]));
    const names = participants
      .map((p) => {
        const proxy = p.castBy.id !== p.voter.id ? ` (par procuration à ${p.castBy.displayName})` : '';
        return `- ${p.voter.displayName}${proxy}${secret ? '' : ` : ${choices.get(p.voter.id) ?? '?'}`}`;
      })
      .sort((a, b) => a.localeCompare(b, 'fr'));
    out.push(secret ? '### Ont pris part au vote (scrutin secret)' : '### Votes nominatifs', '', ...names, '');
    out.push(`Empreinte SHA-256 de la liste publiée des bulletins comptés : \`${party.ballotsDigest}\``, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
