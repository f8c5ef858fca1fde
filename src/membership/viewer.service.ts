import { DomainService } from '../auth/domain-service.js';
import { Application } from './application.entity.js';
import { Membership } from './membership.entity.js';
import { Organisation } from './organisation.entity.js';
import { Person } from './person.entity.js';
import { RepresentativeMandate } from './representative-mandate.entity.js';

/**
 * What a signed-in person needs first, found from their account (issue 13): the organisations
 * they act for, those organisations' applications and memberships, and their mandates. Each is
 * about the caller only: no other right is needed.
 */
export class ViewerMembershipService extends DomainService {
  private async organisationIds(accountId: string): Promise<string[]> {
    const people = await this.em.find(Person, { account: accountId }, { fields: ['organisation'] });
    return [...new Set(people.map((person) => person.organisation.id))];
  }

  /** The organisations the account acts for, by name. */
  async organisations(accountId: string): Promise<Organisation[]> {
    const ids = await this.organisationIds(accountId);
    return ids.length ? this.em.find(Organisation, { id: { $in: ids } }, { orderBy: { name: 'asc', id: 'asc' } }) : [];
  }

  /** Their applications, newest first. */
  async applications(accountId: string): Promise<Application[]> {
    const ids = await this.organisationIds(accountId);
    return ids.length ? this.em.find(Application, { organisation: { $in: ids } }, { orderBy: { createdAt: 'desc', id: 'asc' } }) : [];
  }

  /** Their memberships, current and ended, newest first. */
  async memberships(accountId: string): Promise<Membership[]> {
    const ids = await this.organisationIds(accountId);
    return ids.length ? this.em.find(Membership, { organisation: { $in: ids } }, { orderBy: { startedOn: 'desc', id: 'asc' } }) : [];
  }

  /** The account's representative mandates, current and past, newest first. */
  representativeMandates(accountId: string): Promise<RepresentativeMandate[]> {
    return this.em.find(RepresentativeMandate, { representative: accountId }, { orderBy: { startsAt: 'desc', id: 'asc' } });
  }
}
