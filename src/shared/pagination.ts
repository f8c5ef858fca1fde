import { Cursor, type FilterQuery, type OrderDefinition } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Kind, type GraphQLResolveInfo } from 'graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, type ClassType, Field, Int, ObjectType } from 'type-graphql';
import { BadUserInputError } from './errors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;

@ObjectType({ description: 'Where a page of a connection stands (Relay cursor connections).' })
export class PageInfo {
  @Field({ description: 'True when more items follow `endCursor`.' })
  hasNextPage!: boolean;

  @Field({ description: 'True when items precede `startCursor`.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of this page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of this page; pass it as `after` for the next page.' })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `How many items to return (1–${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}).` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor (from `pageInfo.endCursor`).' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  after?: string;
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * Builds the `XConnection` and `XEdge` GraphQL types for a node type. One factory for every list,
 * so every list pages the same way.
 */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, name = nodeType.name) {
  @ObjectType(`${name}Edge`, { description: `One ${name} in a page, with its cursor.` })
  class EdgeType {
    @Field(() => nodeType, { description: `The ${name}.` })
    node!: T;

    @Field({ description: 'Opaque cursor of this item.' })
    cursor!: string;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items (Relay cursor connection).` })
  class Connection implements ConnectionShape<T> {
    @Field(() => [EdgeType], { description: 'The items of this page, in order.' })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: 'Whether there are more pages, and the cursors to get them.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many items match, over all pages.' })
    totalCount!: number;
  }
  return Connection;
}

/**
 * Whether `after` could have come from this connection: one value per key of `orderBy`, null
 * only where the key is nullable. The ORM silently ignores a cursor of the wrong shape and
 * returns the first page again, so a client with a corrupted or foreign cursor would loop.
 */
function isCursorFor<T extends object>(em: EntityManager, entity: ClassType<T>, orderBy: OrderDefinition<T>, after: string): boolean {
  const meta = em.getMetadata().get(entity);
  const definition = Cursor.getDefinition(meta, orderBy);
  let values: unknown;
  try {
    values = Cursor.decode(after);
  } catch {
    return false;
  }
  return (
    Array.isArray(values) &&
    values.length === definition.length &&
    definition.every(([key], i) => values[i] !== null || meta.props.find((prop) => prop.name === key)?.nullable === true)
  );
}

/**
 * Loads one page with the ORM's cursor pagination. `orderBy` must end on a unique key so that
 * the order is total and pages never overlap or skip.
 */
export async function paginate<T extends object>(
  em: EntityManager,
  entity: ClassType<T>,
  where: FilterQuery<T>,
  orderBy: OrderDefinition<T>,
  args: PageArgs,
  /** Relations to load with the page: those the order uses must be, to build the cursors. */
  populate: readonly string[] = [],
  /** Whether to count all matches (a second query): pass `selectsField(info, 'totalCount')`. */
  includeCount = true,
): Promise<ConnectionShape<T>> {
  if (args.after != null && !isCursorFor(em, entity, orderBy, args.after)) {
    throw BadUserInputError.field('after', 'is not a valid cursor');
  }
  let cursor;
  try {
    cursor = await em.findByCursor(entity, {
      where,
      orderBy,
      first: args.first ?? DEFAULT_PAGE_SIZE,
      after: args.after,
      includeCount,
      populate,
    } as never);
  } catch (error) {
    if (args.after && error instanceof Error && /cursor/i.test(error.message)) {
      throw BadUserInputError.field('after', 'is not a valid cursor');
    }
    throw error;
  }
  const items = cursor.items as T[];
  return {
    // Each cursor is encoded when (if) the client reads it: most pages only ask for `pageInfo.endCursor`.
    edges: items.map((node) => ({
      node,
      get cursor() {
        return cursor.from(node);
      },
    })),
    pageInfo: {
      hasNextPage: cursor.hasNextPage,
      hasPreviousPage: cursor.hasPrevPage,
      startCursor: cursor.startCursor,
      endCursor: cursor.endCursor,
    },
    // Not counted when the client did not ask for it: the value is then never sent.
    totalCount: cursor.totalCount ?? 0,
  };
}

/**
 * Whether the client selected `field` directly under the current field. With fragments the
 * answer is a conservative yes.
 */
export function selectsField(info: GraphQLResolveInfo, field: string): boolean {
  return info.fieldNodes.some((node) =>
    (node.selectionSet?.selections ?? []).some((selection) => selection.kind !== Kind.FIELD || selection.name.value === field),
  );
}
