import 'reflect-metadata';
import { parse, type GraphQLSchema, Kind, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { loadConfig } from '../../src/config.js';
import { buildGraphQLSchema } from '../../src/schema.js';
import { operationCost } from '../../src/shared/query-cost.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildGraphQLSchema();
});

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return operationCost(schema, operation, fragments, variables);
}

/** The member directory's ordinary fields: what a representative's screen shows of a member. */
const DIRECTORY_PAGE = (first: string) => `query($id: ID!, $first: Int) { college(id: $id) { name members(first: ${first}) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id status memberSince startedOn
    organisation { id name kind siren siret headcount sizeClass departement region foundedOn website } } } } } }`;

describe('operationCost', () => {
  it('the documented maximum directory page (200) with its ordinary fields is within the default limit', () => {
    const page = cost(DIRECTORY_PAGE('200'));
    expect(page).toBeLessThanOrEqual(loadConfig({}).limits.maxCost);
    // …and costs what it returns: about 200 × the fields of one member.
    expect(page).toBeGreaterThan(200 * 15);
  });

  it('a page size given as a variable counts as given', () => {
    expect(cost(DIRECTORY_PAGE('$first'), { first: 200 })).toBe(cost(DIRECTORY_PAGE('200')));
    expect(cost(DIRECTORY_PAGE('$first'), { first: 10 })).toBe(cost(DIRECTORY_PAGE('10')));
    // Absent: the default page size (20).
    expect(cost(DIRECTORY_PAGE('$first'))).toBe(cost(DIRECTORY_PAGE('20')));
  });

  it('a page nested in a page costs what it can return', () => {
    const nested = cost(
      `{ clusters { colleges { members(first: 200) { edges { node { organisation { memberships { id status } } } } } } } }`,
    );
    expect(nested).toBeGreaterThan(100_000);
  });

  it('fragments count as if written in place; introspection is free', () => {
    const inline = cost('{ clusters { id name slug } }');
    expect(cost('{ clusters { ...C } } fragment C on Cluster { id name slug }')).toBe(inline);
    expect(cost('{ clusters { ... on Cluster { id name slug } } }')).toBe(inline);
    expect(cost('{ __schema { types { name fields { name } } } }')).toBe(0);
  });
});
