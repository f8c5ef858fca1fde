import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { UniqueConstraintViolationException } from '@mikro-orm/core';

import { auditSnapshot } from '../audit/audit.service.js';
import { Organisation } from '../membership/organisation.entity.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../shared/errors.js';
import type { CreateFunderInput, CreateProgrammeInput } from './finance.inputs.js';
import { Funder, Laureate, Programme } from './funder.entity.js';

/** The shared registry of funders and their programmes (calls for projects, with laureates). */
export class FunderService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  async createFunder(input: CreateFunderInput): Promise<Funder> {
    const name = input.name.trim();
    if (!name) throw BadUserInputError.field('input.name', 'must not be blank');
    try {
      return await this.em.transactional(async (tx) => {
        if (await tx.count(Funder, { name: { $ilike: name.replace(/[\\%_]/g, (c) => `\\${c}`) } })) {
          throw new ConflictError(`A funder named "${name}" already exists.`, { field: 'input.name' });
        }
        const funder = tx.create(Funder, { name, kind: input.kind, region: input.region ?? null, website: input.website ?? null });
        await tx.flush();
        await this.audit.record(tx, this.actor, {
          action: 'funder.create',
          entityType: 'Funder',
          entityId: funder.id,
          after: auditSnapshot(funder),
        });
        return funder;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new ConflictError(`A funder named "${name}" already exists.`);
      throw error;
    }
  }

  async createProgramme(input: CreateProgrammeInput): Promise<Programme> {
    if (input.budget != null && input.budget <= 0n) throw BadUserInputError.field('input.budget', 'must be more than 0 cents');
    if (input.opensOn && input.closesOn && input.closesOn < input.opensOn) {
      throw BadUserInputError.field('input.closesOn', 'must not be before opensOn');
    }
    const laureates = input.laureates ?? [];
    laureates.forEach((laureate, i) => {
      if (laureate.amount != null && laureate.amount <= 0n)
        throw BadUserInputError.field(`input.laureates.${i}.amount`, 'must be more than 0 cents');
    });
    try {
      return await this.em.transactional(async (tx) => {
        const funder = await tx.findOne(Funder, { id: input.funderId });
        if (!funder) throw new NotFoundError('Funder', input.funderId);
        if (await tx.count(Programme, { funder, name: input.name.trim() })) {
          throw new ConflictError(`${funder.name} already has a programme named "${input.name.trim()}".`, { field: 'input.name' });
        }
        const programme = tx.create(Programme, {
          funder,
          name: input.name.trim(),
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
        await this.audit.record(tx, this.actor, {
          action: 'programme.create',
          entityType: 'Programme',
          entityId: programme.id,
          after: { ...auditSnapshot(programme), laureates: laureates.map((l) => ({ ...l, amount: l.amount?.toString() ?? null })) },
        });
        return programme;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new ConflictError('That programme, or one of its laureates, is already recorded.');
      }
      throw error;
    }
  }
}
