// Regenerates introspection_query.graphql and introspection_expected.json from introspection_schema.graphql with
// graphql-js, the reference: `cd /work/main && node tests/unit/execution/data/generate_introspection.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, getIntrospectionQuery, graphqlSync, version } from 'graphql';

const here = dirname(fileURLToPath(import.meta.url));
const sdl = readFileSync(join(here, 'introspection_schema.graphql'), 'utf8');
const source = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});
const result = graphqlSync({ schema: buildSchema(sdl), source });
if (result.errors) throw new Error(JSON.stringify(result.errors));
writeFileSync(join(here, 'introspection_query.graphql'), source);
writeFileSync(join(here, 'introspection_expected.json'), JSON.stringify(result.data) + '\n');
console.log(`graphql-js ${version}: wrote introspection_query.graphql and introspection_expected.json`);
