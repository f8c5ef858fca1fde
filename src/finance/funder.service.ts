import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainService } from '../auth/domain-service.js';
import { Action, ANY_CLUSTER } from '../auth/permissions.js';
import { Organisation } from '../membership/organisation.entity.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { FinanceReason, refuse } from './finance.reasons.js';
import type { CreateFunderInput, CreateProgrammeInput } from './finance.inputs.js';
import { Funder, Laureate, Programme } from './funder.entity.js';

/**
 * The shared registry of funders and their programmes (calls for projects, with laureates):
 * public to read; registered by a TREASURER of any cluster, or ADMIN.
 */
export class FunderService extends DomainService {
  /** Every funder, by name. Public. */
  funders(): Promise<Funder[]> {
    return this.em.find(Funder, {}, { orderBy: { name: 'asc', id: 'asc' } });
  }

  /** Programmes, by name; of one funder when given. Public. */
  programmes(funderId?: string): Promise<Programme[]> {
    return this.em.find(Programme, funderId ? { funder: funderId } : {}, { orderBy: { name: 'asc', id: 'asc' } });
  }

  async createFunder(input: CreateFunderInput): Promise<Funder> {
    this.authorize(Action.ManageFunders, ANY_CLUSTER);
    const name = input.name.trim();
    if (!name) throw BadUserInputError.field('input.name', 'must not be blank');
    const exists = () => refuse(FinanceReason.FUNDER_EXISTS, `A funder named "${name}" already exists.`, { field: 'input.name' });
    try {
      return await this.em.transactional(async (tx) => {
        if (await tx.count(Funder, { name: { $ilike: name.replace(/[\\%_]/g, (c) => `\\${c}`) } })) throw exists();
        const funder = tx.create(Funder, { name, kind: input.kind, region: input.region ?? null, website: input.website ?? null });
        await tx.flush();
        await this.recordChange(tx, 'funder.create', funder);
        return funder;
      });
    } catch (error) {
      // Two registrations of the same name at once: the unique index keeps one.
      if (error instanceof UniqueConstraintViolationException) throw exists();
      throw error;
    }
  }

  async createProgramme(input: CreateProgrammeInput): Promise<Programme> {
    this.authorize(Action.ManageFunders, ANY_CLUSTER);
    if (input.budget != null && input.budget <= 0n) throw BadUserInputError.field('input.budget', 'must be more than 0 cents');
    if (input.opensOn && input.closesOn && input.closesOn < input.opensOn) {
      throw BadUserInputError.field('input.closesOn', 'must not be before opensOn');
    }
    const name = input.name.trim();
    const laureates = input.laureates ?? [];
    const listed = new Set<string>();
    laureates.forEach((laureate, i) => {
      if (laureate.amount != null && laureate.amount <= 0n)
        throw BadUserInputError.field(`input.laureates.${i}.amount`, 'must be more than 0 cents');
      const key = `${laureate.organisationId}\n${laureate.project.trim()}`;
      if (listed.has(key)) {
        throw refuse(FinanceReason.LAUREATE_LISTED_TWICE, `Laureate ${i + 1} repeats an organisation and project listed before it.`, {
          field: `input.laureates.${i}`,
        });
      }
      listed.add(key);
    });
    try {
      return await this.em.transactional(async (tx) => {
        const funder = await tx.findOne(Funder, { id: input.funderId });
        if (!funder) throw new NotFoundError('Funder', input.funderId);
        if (await tx.count(Programme, { funder, name })) {
          throw refuse(FinanceReason.PROGRAMME_EXISTS, `${funder.name} already has a programme named "${name}".`, { field: 'input.name' });
        }
        const programme = tx.create(Programme, {
          funder,
          name,
          kind: input.kind,
          reference: input.reference ?? null,
          budget: input.budget ?? null,
          opensOn: input.opensOn ?? null,
          closesOn: input.closesOn ?? null,
          description: input.description ?? null,
        });
        const organisations = await tx.find(Organisation, { id: { $in: laureates.map((l) => l.organisationId) } });
        const known = new Set(organisations.map((o) => o.id));
        laureates.forEach((laureate, i) => {
          if (!known.has(laureate.organisationId))
            throw BadUserInputError.field(`input.laureates.${i}.organisationId`, 'is not a known organisation');
          tx.create(Laureate, {
            programme,
            organisation: tx.getReference(Organisation, laureate.organisationId),
            project: laureate.project.trim(),
            kind: laureate.kind,
            amount: laureate.amount ?? null,
          });
        });
        await tx.flush();
        await this.recordChange(tx, 'programme.create', programme, null, {
          laureates: laureates.map((l) => ({ ...l, amount: l.amount?.toString() ?? null })),
        });
        return programme;
      });
    } catch (error) {
      // Two registrations of the same programme at once: the unique index keeps one.
      if (error instanceof UniqueConstraintViolationException) {
        throw refuse(FinanceReason.PROGRAMME_EXISTS, `That programme is already recorded.`, { field: 'input.name' });
      }
      throw error;
    }
  }
}
