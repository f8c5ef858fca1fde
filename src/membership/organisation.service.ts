import type { FilterQuery } from '@mikro-orm/core';
import { LockMode } from '@mikro-orm/core';
import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { Action, collegeScope, organisationScope } from '../auth/permissions.js';
import { BadUserInputError, NotFoundError, type FieldProblem } from '../shared/errors.js';
import { loadChildren } from '../shared/loaders.js';
import { isoDay } from '../shared/scalars.js';
import { Application } from './application.entity.js';
import type { College } from './college.entity.js';
import { normaliseIdentifier, regionOfDepartement, siretProblem, sirenProblem } from './french-identifiers.js';
import { paginate, type ConnectionShape, type PageArgs } from '../shared/pagination.js';
import { Membership } from './membership.entity.js';
import { MembershipReason, refuse } from './membership.reasons.js';
import type { CreateOrganisationInput, UpdateOrganisationInput } from './organisation.inputs.js';
import { Organisation } from './organisation.entity.js';
import { OrganisationKind } from './organisation-kind.js';
import { lockNameKey, organisationsNamedLike } from './organisation-duplicates.js';
import { Person } from './person.entity.js';

/** An organisation's memberships, newest first. */
export const MEMBERSHIP_ORDER = { startedOn: 'desc', createdAt: 'desc', id: 'asc' } as const;

/** A real calendar date, `YYYY-MM-DD`, not after `today`. */
function foundingDateProblem(foundedOn: string, today: string): string | null {
  const parsed = new Date(`${foundedOn}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(foundedOn) || Number.isNaN(parsed.getTime()) || isoDay(parsed) !== foundedOn) {
    return 'must be a real date, YYYY-MM-DD';
  }
  if (foundedOn > today) return 'must not be in the future';
  return null;
}

/** What registering an organisation gives: the new one, or the look-alikes already registered (nothing created). */
export type Registration =
  { organisation: Organisation; possibleDuplicates: [] } | { organisation: null; possibleDuplicates: Organisation[] };

/** Organisations and the people acting for them. */
export class OrganisationService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  /**
   * Organisations by name (contains, case-insensitive) or by SIREN/SIRET typed as
   * people type them ("826 709 339"): any signed-in caller, so that an applicant finds their
   * organisation before creating it again. By name, then id.
   */
  async search(text: string, page: PageArgs, includeCount: boolean): Promise<ConnectionShape<Organisation>> {
    this.requireSignedIn();
    const query = text.trim();
    if (!query) throw BadUserInputError.field('search', 'must not be blank');
    if (query.length > 200) throw BadUserInputError.field('search', 'must be at most 200 characters');
    const digits = normaliseIdentifier(query);
    const where: FilterQuery<Organisation> = /^\d{9}$/.test(digits)
      ? { siren: digits }
      : /^\d{14}$/.test(digits)
        ? { siret: digits }
        : { name: { $ilike: `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%` } };
    return paginate(this.em, Organisation, where, { name: 'asc', id: 'asc' }, page, [], includeCount);
  }

  /**
   * Organisations registered under a name close to `name` (see organisation-duplicates.ts), closest
   * first, at most 10; with a SIREN, those with another SIREN are left out. Any signed-in caller: a
   * form checks before submitting, as `createOrganisation` will.
   */
  async similarOrganisations(name: string, siren?: string): Promise<Organisation[]> {
    this.requireSignedIn();
    const digits = siren === undefined ? undefined : normaliseIdentifier(siren);
    const problems: FieldProblem[] = [];
    if (!name.trim()) problems.push({ field: 'name', messages: ['must not be blank'] });
    if (name.length > 200) problems.push({ field: 'name', messages: ['must be at most 200 characters'] });
    const sirenMessage = digits === undefined ? null : sirenProblem(digits);
    if (sirenMessage) problems.push({ field: 'siren', messages: [sirenMessage] });
    if (problems.length) throw BadUserInputError.of(problems);
    return organisationsNamedLike(this.em, name, digits ?? null);
  }

  /** One organisation; any signed-in caller (null when there is none). */
  findOrganisation(id: string): Promise<Organisation | null> {
    this.requireSignedIn();
    return this.em.findOne(Organisation, { id });
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
   * `createOrganisation` over the API: any signed-in caller. Unless `notADuplicate` is true, when
   * organisations with a close name are registered it writes nothing and returns them; creations
   * of names with the same key are serialised, so two at once cannot both miss the other. When it
   * creates one despite look-alikes, the audit entry names them.
   */
  registerOrganisation(given: CreateOrganisationInput, contactAccountId: string | null): Promise<Registration> {
    return this.create(given, contactAccountId, true);
  }

  /**
   * Creates an organisation without looking for look-alike names: for trusted callers that already
   * decided (the demo seed, test set-up). Over the API, organisations come through
   * `registerOrganisation`. When `contactAccountId` is given, that account becomes a person acting
   * for it (the applicant registering their own organisation). Without one (a trusted caller
   * registering it on its behalf), `contact` is recorded as its person.
   */
  async createOrganisation(given: CreateOrganisationInput, contactAccountId: string | null): Promise<Organisation> {
    return (await this.create(given, contactAccountId, false)).organisation!;
  }

  private async create(given: CreateOrganisationInput, contactAccountId: string | null, lookAlikes: boolean): Promise<Registration> {
    this.requireSignedIn();
    // Identifiers are stored as digits only, however they were typed.
    const input = {
      ...given,
      siren: given.siren === undefined ? undefined : normaliseIdentifier(given.siren),
      siret: given.siret === undefined ? undefined : normaliseIdentifier(given.siret),
    };
    const problems = this.identityProblems(input);
    if (problems.length) throw BadUserInputError.of(problems);
    return this.em.transactional(async (tx) => {
      // Already there: say which, so the applicant asks to act for it (requestToActFor) instead.
      const existing =
        (input.siren && (await tx.findOne(Organisation, { siren: input.siren }))) ||
        (input.siret && (await tx.findOne(Organisation, { siret: input.siret }))) ||
        null;
      if (existing) {
        const bySiren = Boolean(input.siren && existing.siren === input.siren);
        throw refuse(
          bySiren ? MembershipReason.SIREN_TAKEN : MembershipReason.SIRET_TAKEN,
          `${existing.name} already has ${bySiren ? `SIREN ${input.siren}` : `SIRET ${input.siret}`}: ask its contacts to let you act for it (requestToActFor, with extensions.organisationId) rather than creating it again.`,
          { field: bySiren ? 'input.siren' : 'input.siret', organisationId: existing.id, organisationName: existing.name },
        );
      }
      let possibleDuplicates: Organisation[] = [];
      if (lookAlikes) {
        await lockNameKey(tx, input.name);
        const siren = input.siren ?? input.siret?.slice(0, 9) ?? null;
        possibleDuplicates = await organisationsNamedLike(tx, input.name, siren);
        if (possibleDuplicates.length && !input.notADuplicate) return { organisation: null, possibleDuplicates };
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
      } else if (input.contact) {
        // Trusted callers only (the demo seed registering members on their behalf): over the API
        // the caller is always the contact. The contact named is recorded, without an account.
        tx.create(Person, {
          organisation,
          account: null,
          fullName: input.contact.fullName.trim(),
          email: input.contact.email ?? null,
          roleInOrganisation: input.contact.roleInOrganisation ?? null,
        });
      }
      await tx.flush();
      const lookAlikesSeen = possibleDuplicates.length ? { notADuplicateOf: possibleDuplicates.map((o) => o.id) } : undefined;
      await this.recordChange(tx, 'organisation.create', organisation, null, lookAlikesSeen);
      return { organisation, possibleDuplicates: [] };
    });
  }

  /** Changes an organisation's facts (its contacts, ADMIN). */
  async updateOrganisation(input: UpdateOrganisationInput): Promise<Organisation> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const organisation = await tx.findOne(Organisation, { id: input.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!organisation) throw new NotFoundError('Organisation', input.id);
      this.authorize(Action.UpdateOrganisation, organisationScope(organisation.id, organisation.name));
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
      await this.recordChange(tx, 'organisation.update', organisation, before);
      return organisation;
    });
  }

  /**
   * Adds a person acting for an organisation (its contacts, ADMIN). Linking an account makes that
   * account a contact of the organisation: it may then act for it (apply, sign, sponsor).
   */
  async addPerson(input: {
    organisationId: string;
    fullName: string;
    email?: string;
    roleInOrganisation?: string;
    accountId?: string;
  }): Promise<Person> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const organisation = await tx.findOne(Organisation, { id: input.organisationId });
      if (!organisation) throw new NotFoundError('Organisation', input.organisationId);
      this.authorize(Action.UpdateOrganisation, organisationScope(organisation.id, organisation.name));
      const account = input.accountId ? await tx.findOne(Account, { id: input.accountId }) : null;
      if (input.accountId && !account) throw new NotFoundError('Account', input.accountId);
      if (account && (await tx.count(Person, { organisation, account }))) {
        throw refuse(MembershipReason.ACCOUNT_ALREADY_CONTACT, 'This account already acts for this organisation.', {
          field: 'input.accountId',
        });
      }
      const person = tx.create(Person, {
        organisation,
        account,
        fullName: input.fullName.trim(),
        email: input.email ?? null,
        roleInOrganisation: input.roleInOrganisation ?? null,
      });
      await tx.flush();
      await this.recordChange(tx, 'person.add', person);
      return person;
    });
  }

  /** Every membership of an organisation, current and ended, newest first (batched over a list). */
  async memberships(organisation: Organisation): Promise<Membership[]> {
    if (!this.readsPrivateFacts()) return [];
    return loadChildren(this.em, Membership, 'organisation', organisation.id, MEMBERSHIP_ORDER);
  }

  /**
   * Who reads an organisation's private facts — its headcount (and size class), its identifiers,
   * its membership history — wherever the path comes from (a laureate of a public programme, a
   * member in a directory): signed-in callers, as for `organisation(id)`. Anonymous callers get
   * null (an empty history). A public body's SIREN and SIRET are public.
   */
  readsPrivateFacts(): boolean {
    // An account whose email is not verified yet reads no more than an anonymous caller.
    return this.scope.trusted || (this.viewer !== null && this.viewer.emailVerified);
  }

  /** The identifiers the caller may read: null when they may not. */
  identifier(organisation: Organisation, which: 'siren' | 'siret'): string | null {
    return organisation.kind === OrganisationKind.PUBLIC_BODY || this.readsPrivateFacts() ? (organisation[which] ?? null) : null;
  }

  /**
   * An organisation's applications, newest first, that the caller may see: all of them for its
   * contacts and ADMIN, those to their collèges for representatives and cluster admins.
   */
  async visibleApplications(organisation: Organisation): Promise<Application[]> {
    // Reached anonymously through a public path (a programme's laureates): nothing, not an error.
    if (!this.readsPrivateFacts()) return [];
    const all = await this.applicationsOf(organisation);
    if (this.may(Action.WithdrawApplication, organisationScope(organisation.id))) return all;
    return all.filter((a) => this.mayReview(a.college));
  }

  /**
   * The people acting for an organisation, with their contact details: for its contacts, ADMIN,
   * and the representatives and cluster admins of collèges it applied to or belongs to; nobody
   * for anyone else.
   */
  async visiblePeople(organisation: Organisation): Promise<Person[]> {
    if (!this.readsPrivateFacts()) return [];
    const people = await loadChildren(this.em, Person, 'organisation', organisation.id, { fullName: 'asc', id: 'asc' });
    // A contact made in this very request (createOrganisation) is not yet in the viewer's organisations.
    const accountId = this.viewer?.accountId;
    const isContact = accountId !== undefined && people.some((person) => person.account?.id === accountId);
    if (isContact || this.may(Action.WithdrawApplication, organisationScope(organisation.id))) return people;
    const [applications, memberships] = await Promise.all([
      this.applicationsOf(organisation),
      loadChildren(this.em, Membership, 'organisation', organisation.id, MEMBERSHIP_ORDER, ['college']),
    ]);
    return [...applications, ...memberships].some((x) => this.mayReview(x.college)) ? people : [];
  }

  /** An organisation's applications, newest first, with their collège (batched over a list). */
  private applicationsOf(organisation: Organisation): Promise<Application[]> {
    return loadChildren(this.em, Application, 'organisation', organisation.id, { createdAt: 'desc', id: 'asc' }, ['college']);
  }

  private mayReview(college: College): boolean {
    return this.may(Action.ReviewApplications, collegeScope(college.cluster.id, college.id));
  }
}
