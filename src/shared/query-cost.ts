import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from './pagination.js';

/** What a list without a `first` argument is assumed to hold (collèges, parties: small by design). */
export const UNPAGED_LIST_SIZE = 10;

/**
 * The cost of an operation: about how many values its answer can hold. Every selected field
 * counts 1; a paged field multiplies what it selects by its `first` (a literal or a variable,
 * else the default page size); a list without `first` by UNPAGED_LIST_SIZE. So a directory page
 * of 200 members with a dozen fields each costs about 200 × 15 = 3 000, and the same page nested
 * in another page costs what it would return. Introspection is free.
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown> = {},
): number {
  const root = schema.getRootType(operation.operation);
  return root ? selectionCost(operation.selectionSet, root) : 0;

  function pageSize(value: ValueNode | undefined): number {
    if (!value) return DEFAULT_PAGE_SIZE;
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind === Kind.VARIABLE) {
      const given = variables[value.name.value];
      return typeof given === 'number' ? given : DEFAULT_PAGE_SIZE;
    }
    return DEFAULT_PAGE_SIZE;
  }

  function selectionCost(selectionSet: SelectionSetNode, parent: GraphQLCompositeType, page = false): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        cost += selectionCost(selection.selectionSet, isCompositeType(type) ? type : parent, page);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments[selection.name.value];
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment) cost += selectionCost(fragment.selectionSet, isCompositeType(type) ? type : parent, page);
      } else {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        cost += 1;
        const field = 'getFields' in parent ? parent.getFields()[name] : undefined;
        if (!selection.selectionSet || !field) continue;
        const type = getNamedType(field.type);
        if (!isCompositeType(type)) continue;
        const first = selection.arguments?.find((arg) => arg.name.value === 'first');
        const paged = field.args.some((arg) => arg.name === 'first');
        // A page's own lists (`edges`, `nodes`) are the page: already counted by its `first`.
        const list = isListType(getNullableType(field.type)) && !page;
        const multiplier = paged ? pageSize(first?.value) : list ? UNPAGED_LIST_SIZE : 1;
        cost += multiplier * selectionCost(selection.selectionSet, type, paged);
      }
    }
    return cost;
  }
}
