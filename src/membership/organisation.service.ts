import { DomainService, type ServiceScope } from '../auth/domain-service.js';

import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import { BadUserInputError, ConflictError, NotFoundError, type FieldProblem } from '../shared/errors.js';
import { isoDay } from '../shared/scalars.js';
import { regionOfDepartement, siretProblem, sirenProblem } from './french-identifiers.js';
import type { CreateOrganisationInput, UpdateOrganisationInput } from './organisation.inputs.js';
import { Organisation } from './organisation.entity.js';
import { Person } from './person.entity.js';

/** A real calendar date, `YYYY-MM-DD`, not after `today`. */
function foundingDateProblem(foundedOn: string, today: string): string | null {
  const parsed = new Date(`${foundedOn}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(foundedOn) || Number.isNaN(parsed.getTime()) || isoDay(parsed) !== foundedOn) {
    return 'must be a real date, YYYY-MM-DD';
  }
  if (foundedOn > today) return 'must not be in the future';
  return null;
}

/** Organisations and the people acting for them. */
export class OrganisationService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  async getOrganisation(id: string): Promise<Organisation> {
    const organisation = await this.em.findOne(Organisation, { id });
    if (!organisation) throw new NotFoundError('Organisation', id);
    return organisation;
  }

  /** Every problem with the identifiers and dates of an input, each naming its field. */
  private identityProblems(input: { siren?: string; siret?: string; foundedOn?: string }): FieldProblem[] {
    const problems: FieldProblem[] = [];
    const add = (field: string, message: string | null) => message && problems.push({ field: `input.${field}`, messages: [message] });
    if (input.siren !== undefined) add('siren', sirenProblem(input.siren));
    if (input.siret !== undefined) add('siret', siretProblem(input.siret, input.siren));
    if (input.foundedOn !== undefined) add('foundedOn', foundingDateProblem(input.foundedOn, isoDay(this.clock())));
    return problems;
  }

  /**
   * Creates an organisation. When `contactAccountId` is given, that account becomes a person
   * acting for it (the applicant registering their own organisation).
   */
  async createOrganisation(input: CreateOrganisationInput, contactAccountId: string | null): Promise<Organisation> {
    const problems = this.identityProblems(input);
    if (problems.length)
      throw new BadUserInputError(`Invalid organisation: ${problems.map((p) => `${p.field} ${p.messages[0]}`).join('; ')}`, problems);
    return this.em.transactional(async (tx) => {
      if (input.siren && (await tx.count(Organisation, { siren: input.siren }))) {
        throw new ConflictError(`An organisation with SIREN ${input.siren} already exists.`, { field: 'input.siren' });
      }
      if (input.siret && (await tx.count(Organisation, { siret: input.siret }))) {
        throw new ConflictError(`An organisation with SIRET ${input.siret} already exists.`, { field: 'input.siret' });
      }
      const organisation = tx.create(Organisation, {
        name: input.name.trim(),
        kind: input.kind,
        siren: input.siren ?? null,
        siret: input.siret ?? null,
        headcount: input.headcount ?? null,
        foundedOn: input.foundedOn ?? null,
        departement: input.departement ?? null,
        region: input.departement ? regionOfDepartement(input.departement) : null,
        website: input.website ?? null,
        affiliations: (input.affiliations ?? []).map((a) => a.trim()),
      });
      if (contactAccountId) {
        const account = await tx.findOneOrFail(Account, contactAccountId);
        tx.create(Person, {
          organisation,
          account,
          fullName: input.contact?.fullName ?? account.displayName,
          email: input.contact?.email ?? account.email,
          roleInOrganisation: input.contact?.roleInOrganisation ?? null,
        });
      }
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'organisation.create',
        entityType: 'Organisation',
        entityId: organisation.id,
        after: auditSnapshot(organisation),
      });
      return organisation;
    });
  }

  async updateOrganisation(input: UpdateOrganisationInput): Promise<Organisation> {
    return this.em.transactional(async (tx) => {
      const organisation = await tx.findOne(Organisation, { id: input.id });
      if (!organisation) throw new NotFoundError('Organisation', input.id);
      const before = auditSnapshot(organisation);
      if (input.name !== undefined) organisation.name = input.name.trim();
      if (input.headcount !== undefined) organisation.headcount = input.headcount;
      if (input.departement !== undefined) {
        organisation.departement = input.departement;
        organisation.region = regionOfDepartement(input.departement);
      }
      if (input.website !== undefined) organisation.website = input.website;
      if (input.affiliations !== undefined) organisation.affiliations = input.affiliations.map((a) => a.trim());
      await tx.flush();
      // The size class is computed by the database from the headcount.
      await tx.refresh(organisation);
      await this.audit.record(tx, this.actor, {
        action: 'organisation.update',
        entityType: 'Organisation',
        entityId: organisation.id,
        before,
        after: auditSnapshot(organisation),
      });
      return organisation;
    });
  }

  /**
   * Adds a person acting for an organisation. Linking an account makes that account a contact
   * of the organisation: it may then act for it (apply, sign, sponsor).
   */
  async addPerson(input: {
    organisationId: string;
    fullName: string;
    email?: string;
    roleInOrganisation?: string;
    accountId?: string;
  }): Promise<Person> {
    return this.em.transactional(async (tx) => {
      const organisation = await tx.findOne(Organisation, { id: input.organisationId });
      if (!organisation) throw new NotFoundError('Organisation', input.organisationId);
      const account = input.accountId ? await tx.findOne(Account, { id: input.accountId }) : null;
      if (input.accountId && !account) throw new NotFoundError('Account', input.accountId);
      if (account && (await tx.count(Person, { organisation, account }))) {
        throw new ConflictError('This account already acts for this organisation.', { field: 'input.accountId' });
      }
      const person = tx.create(Person, {
        organisation,
        account,
        fullName: input.fullName.trim(),
        email: input.email ?? null,
        roleInOrganisation: input.roleInOrganisation ?? null,
      });
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'person.add',
        entityType: 'Person',
        entityId: person.id,
        after: auditSnapshot(person),
      });
      return person;
    });
  }

  /** Organisations the account acts for (through a Person linked to it). */
  async organisationIdsOf(accountId: string): Promise<string[]> {
    const people = await this.em.find(Person, { account: accountId }, { fields: ['organisation'] });
    return people.map((p) => p.organisation.id);
  }

  /** The person through whom `accountId` acts for `organisationId`, if any. */
  findContact(organisationId: string, accountId: string): Promise<Person | null> {
    return this.em.findOne(Person, { organisation: organisationId, account: accountId });
  }
}
