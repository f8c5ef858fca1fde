import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';
import { buildGraphQLSchema, printSortedSchema } from '../schema.js';

/** `npm run schema` writes schema/schema.graphql; `--check` exits 1 when the file is stale. */
const file = path.join(PROJECT_ROOT, 'schema', 'schema.graphql');
const sdl = printSortedSchema(await buildGraphQLSchema());
if (process.argv.includes('--check')) {
  const committed = await readFile(file, 'utf8').catch(() => '');
  if (committed !== sdl) {
    console.error('schema/schema.graphql is stale: run `npm run schema` and commit the result.');
    process.exit(1);
  }
  console.log('schema/schema.graphql is up to date.');
} else {
  await writeFile(file, sdl);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
