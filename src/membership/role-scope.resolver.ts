import { FieldResolver, Resolver, Root } from 'type-graphql';
import { RoleAssignment } from '../auth/role-assignment.entity.js';
import { loadReference, type Loadable } from '../shared/loaders.js';
import { Cluster } from './cluster.entity.js';
import { College } from './college.entity.js';

/** A role assignment's scope, as membership's types: auth holds only the keys. */
@Resolver(() => RoleAssignment)
export class RoleAssignmentScopeResolver {
  @FieldResolver(() => Cluster, {
    nullable: true,
    description: 'Cluster scope (also set for a collège-level role: the collège’s cluster).',
  })
  cluster(@Root() assignment: RoleAssignment): Loadable<Cluster> {
    return loadReference(assignment.cluster as Cluster | null | undefined);
  }

  @FieldResolver(() => College, { nullable: true, description: 'Collège scope, for collège-level roles.' })
  college(@Root() assignment: RoleAssignment): Loadable<College> {
    return loadReference(assignment.college as College | null | undefined);
  }
}
