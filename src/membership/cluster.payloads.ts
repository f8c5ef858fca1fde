import { Field, ObjectType } from 'type-graphql';
import { Cluster } from './cluster.entity.js';
import { College } from './college.entity.js';

@ObjectType({ description: 'Result of createCluster.' })
export class CreateClusterPayload {
  @Field(() => Cluster, { description: 'The new cluster.' })
  cluster!: Cluster;
}

@ObjectType({ description: 'Result of updateCluster.' })
export class UpdateClusterPayload {
  @Field(() => Cluster, { description: 'The cluster as it now stands.' })
  cluster!: Cluster;
}

@ObjectType({ description: 'Result of createCollege.' })
export class CreateCollegePayload {
  @Field(() => College, { description: 'The new collège.' })
  college!: College;
}

@ObjectType({ description: 'Result of updateCollege.' })
export class UpdateCollegePayload {
  @Field(() => College, { description: 'The collège as it now stands.' })
  college!: College;
}
