import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { Action, withinCluster } from '../auth/permissions.js';
import { Cluster } from '../membership/cluster.entity.js';
import { Convention } from './convention.entity.js';

/** Partnership conventions, as read by the people of the clusters they bind. */
export class ConventionService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  /** The conventions binding a cluster (signed, or carried over by a fusion), newest first: the cluster's people and ADMIN. */
  async binding(clusterId: string): Promise<Convention[]> {
    this.requireSignedIn();
    const cluster = await this.em.findOne(Cluster, { id: clusterId });
    this.authorize(Action.ReadProposals, withinCluster(clusterId, cluster?.name));
    const bound = await this.em.execute<{ convention_id: string }[]>('select convention_id from convention_party where cluster_id = ?', [
      clusterId,
    ]);
    return this.em.find(Convention, { id: { $in: bound.map((b) => b.convention_id) } }, { orderBy: { signedOn: 'desc', id: 'asc' } });
  }
}
