import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AuditResolver } from './audit/audit.resolver.js';
import { AccountResolver, RoleAssignmentFieldsResolver } from './auth/account.resolver.js';
import { RoleResolver } from './auth/role.resolver.js';
import { ClusterResolver, CollegeResolver } from './membership/cluster.resolver.js';

/** Every resolver of the API. A new domain adds its resolvers here. */
export const RESOLVERS = [
  AccountResolver,
  RoleAssignmentFieldsResolver,
  RoleResolver,
  ClusterResolver,
  CollegeResolver,
  AuditResolver,
] as const;

export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    // Inputs are validated with class-validator before any resolver runs.
    validate: { forbidUnknownValues: false },
  });
}

/** The SDL as committed in schema/schema.graphql: sorted, so diffs show only real changes. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
