import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  isUnionType,
  type GraphQLSchema,
} from 'graphql';
import { PROJECT_ROOT } from '../src/config.js';
import { buildGraphQLSchema, printSortedSchema } from '../src/schema.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildGraphQLSchema();
});

it('schema/schema.graphql is the schema the code builds', async () => {
  const committed = await readFile(path.join(PROJECT_ROOT, 'schema', 'schema.graphql'), 'utf8').catch(() => '');
  const built = printSortedSchema(schema);
  if (committed !== built) {
    const committedLines = committed.split('\n');
    const builtLines = built.split('\n');
    const line = builtLines.findIndex((text, i) => text !== committedLines[i]);
    throw new Error(
      'schema/schema.graphql is stale: run `npm run schema` and commit the result.\n' +
        `First difference at line ${line + 1}:\n  committed: ${JSON.stringify(committedLines[line])}\n  built:     ${JSON.stringify(builtLines[line])}`,
    );
  }
});

/** Every place of the API that a client reads about, and that has no description. */
function undocumented(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (where: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(where);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    check(`type ${type.name}`, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`field ${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`argument ${type.name}.${field.name}(${arg.name})`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`input field ${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`enum value ${type.name}.${value.name}`, value.description);
    } else if (isUnionType(type)) {
      // A union has no members of its own to describe: its types are checked where they are defined.
    }
  }
  return missing.sort();
}

it('describes every type, field, argument, input field and enum value', () => {
  const missing = undocumented(schema);
  if (missing.length) {
    throw new Error(`The SDL is the API's manual; these have no description:\n  ${missing.join('\n  ')}`);
  }
});

it('the description check finds an undocumented field', async () => {
  // Guards the walk above: a schema with one undescribed field must be reported.
  const { buildSchema } = await import('graphql');
  const sample = buildSchema('"Root." type Query { "Documented." documented: Int undocumented(arg: Int): Int }');
  expect(undocumented(sample)).toEqual(['argument Query.undocumented(arg)', 'field Query.undocumented']);
});
