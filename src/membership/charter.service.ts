import { LockMode } from '@mikro-orm/core';
import type DataLoader from 'dataloader';
import { Account } from '../auth/account.entity.js';
import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { Action, clusterScope, organisationScope } from '../auth/permissions.js';
import { NotFoundError } from '../shared/errors.js';
import type { AdmissionService } from './admission.service.js';
import { Charter, CharterSignature } from './charter.entity.js';
import { Cluster } from './cluster.entity.js';
import { latestVersionLoader } from './latest-version.js';
import { MembershipReason, refuse } from './membership.reasons.js';
import { Organisation } from './organisation.entity.js';
import { Person } from './person.entity.js';

/** Charters of good practices, versioned per cluster, and organisations' signatures. */
export class CharterService extends DomainService {
  /** Per request: the charters in force of the clusters asked for in one tick. */
  private charters?: DataLoader<string, Charter | null>;

  constructor(
    scope: ServiceScope,
    private readonly admission: AdmissionService,
  ) {
    super(scope);
  }

  /** The charter in force of a cluster (null before any is published); batched over a list of clusters. Public. */
  currentCharter(clusterId: string): Promise<Charter | null> {
    this.charters ??= latestVersionLoader(this.em, Charter, 'charter', 'cluster_id');
    return this.charters.load(clusterId);
  }

  /**
   * Publishes a new version; signatures of earlier versions no longer satisfy the criterion.
   * The cluster's administrators, ADMIN.
   */
  async publish(input: { clusterId: string; title: string; text: string }): Promise<Charter> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const cluster = await tx.findOne(Cluster, { id: input.clusterId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!cluster) throw new NotFoundError('Cluster', input.clusterId);
      this.authorize(Action.PublishCharter, clusterScope(cluster.id, cluster.name));
      const current = await tx.findOne(Charter, { cluster }, { orderBy: { version: 'desc' } });
      const charter = tx.create(Charter, { cluster, version: (current?.version ?? 0) + 1, title: input.title.trim(), text: input.text });
      await tx.flush();
      await this.recordChange(tx, 'charter.publish', charter);
      return charter;
    });
  }

  /** The caller signs the current charter of `clusterId` for an organisation they act for (its contacts). */
  async sign(input: { organisationId: string; clusterId: string }): Promise<CharterSignature> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const organisation = await tx.findOne(Organisation, { id: input.organisationId });
      if (!organisation) throw new NotFoundError('Organisation', input.organisationId);
      this.authorize(Action.SignCharter, organisationScope(organisation.id, organisation.name));
      const charter = await tx.findOne(Charter, { cluster: input.clusterId }, { orderBy: { version: 'desc' } });
      if (!charter) throw new NotFoundError('Charter of cluster', input.clusterId);
      const person = await tx.findOne(Person, { organisation, account: this.actor.accountId });
      if (!person) throw refuse(MembershipReason.SIGNATORY_NOT_CONTACT, 'Only a person acting for the organisation can sign for it.');
      if (await tx.count(CharterSignature, { charter, organisation })) {
        throw refuse(
          MembershipReason.CHARTER_ALREADY_SIGNED,
          `${organisation.name} has already signed version ${charter.version} of this charter.`,
        );
      }
      const signature = tx.create(CharterSignature, {
        charter,
        organisation,
        signedBy: person,
        account: tx.getReference(Account, this.actor.accountId!),
      });
      await tx.flush();
      await this.recordChange(tx, 'charter.sign', signature);
      await this.admission.reevaluatePendingOf(tx, organisation.id);
      return signature;
    });
  }
}
