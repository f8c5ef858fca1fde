import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { LockMode } from '@mikro-orm/core';

import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import type { AdmissionService } from './admission.service.js';
import { Charter, CharterSignature } from './charter.entity.js';
import { Cluster } from './cluster.entity.js';
import { Organisation } from './organisation.entity.js';
import { Person } from './person.entity.js';

/** Charters of good practices, versioned per cluster, and organisations' signatures. */
export class CharterService extends DomainService {
  constructor(
    scope: ServiceScope,
    private readonly admission: AdmissionService,
  ) {
    super(scope);
  }

  currentCharter(clusterId: string): Promise<Charter | null> {
    return this.em.findOne(Charter, { cluster: clusterId }, { orderBy: { version: 'desc' } });
  }

  /** Publishes a new version; signatures of earlier versions no longer satisfy the criterion. */
  async publish(input: { clusterId: string; title: string; text: string }): Promise<Charter> {
    return this.em.transactional(async (tx) => {
      const cluster = await tx.findOne(Cluster, { id: input.clusterId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!cluster) throw new NotFoundError('Cluster', input.clusterId);
      const current = await tx.findOne(Charter, { cluster }, { orderBy: { version: 'desc' } });
      const charter = tx.create(Charter, { cluster, version: (current?.version ?? 0) + 1, title: input.title.trim(), text: input.text });
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'charter.publish',
        entityType: 'Charter',
        entityId: charter.id,
        after: auditSnapshot(charter),
      });
      return charter;
    });
  }

  /** The caller signs the current charter of `clusterId` for an organisation they act for. */
  async sign(input: { organisationId: string; clusterId: string }): Promise<CharterSignature> {
    return this.em.transactional(async (tx) => {
      const organisation = await tx.findOne(Organisation, { id: input.organisationId });
      if (!organisation) throw new NotFoundError('Organisation', input.organisationId);
      const charter = await tx.findOne(Charter, { cluster: input.clusterId }, { orderBy: { version: 'desc' } });
      if (!charter) throw new NotFoundError('Charter of cluster', input.clusterId);
      const person = await tx.findOne(Person, { organisation, account: this.actor.accountId });
      if (!person) throw new ConflictError('Only a person acting for the organisation can sign for it.');
      if (await tx.count(CharterSignature, { charter, organisation })) {
        throw new ConflictError(`${organisation.name} has already signed version ${charter.version} of this charter.`);
      }
      const signature = tx.create(CharterSignature, {
        charter,
        organisation,
        signedBy: person,
        account: tx.getReference(Account, this.actor.accountId!),
      });
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'charter.sign',
        entityType: 'CharterSignature',
        entityId: signature.id,
        after: auditSnapshot(signature),
      });
      await this.admission.reevaluatePendingOf(tx, organisation.id);
      return signature;
    });
  }
}
