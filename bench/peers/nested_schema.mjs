// The query-throughput scenario for the peer servers (`--nested`): bench/data/schema.graphql with
// bench/data/nested_root.json as the root value, queried with bench/data/nested_query.graphql ("authors with
// books"). As in bench/graphqljs_bench.mjs: the schema is graphql-js's buildSchema of the SDL, every field has the
// default resolver reading from the JSON data, and the interfaces and unions resolve to the type named by the
// data's `__typename` (graphql-js's default type resolver does exactly that; it is set explicitly here so servers
// that build the schema otherwise, with makeExecutableSchema, do the same). The Sluice side is
// `sluice serve --schema bench/data/schema.graphql --root bench/data/nested_root.json`.
//
// The root value is served through resolvers on the Query fields (each returns that field of the root value,
// which is what the default resolver does with the root value), because not every server takes a root value.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, isAbstractType, parse, valueFromASTUntyped } from 'graphql';
import { attachResolvers } from './demo_schema.mjs';

const dataDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');
const read = (name) => readFileSync(join(dataDir, name), 'utf8');

export const nestedTypeDefs = read('schema.graphql');
export const nestedRoot = JSON.parse(read('nested_root.json'));
export const nestedQuery = read('nested_query.graphql');

// The variables of the nested query, each at its default value (the query runs with its defaults, as in
// graphqljs_bench; sending them makes the request carry variables, as a client's would).
export function nestedVariables(query = nestedQuery) {
  const variables = {};
  for (const definition of parse(query).definitions) {
    if (definition.kind !== 'OperationDefinition') continue;
    for (const v of definition.variableDefinitions ?? []) {
      if (v.defaultValue) variables[v.variable.name.value] = valueFromASTUntyped(v.defaultValue);
    }
  }
  return variables;
}

const byTypename = (value) => value?.__typename;

// A graphql-tools style resolver map: each Query field returns that field of the root value; each interface and
// union resolves by __typename.
export function createNestedResolvers() {
  const schema = buildSchema(nestedTypeDefs);
  const resolvers = { Query: {} };
  for (const name of Object.keys(schema.getQueryType().getFields())) resolvers.Query[name] = () => nestedRoot[name];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isAbstractType(type) && !type.name.startsWith('__')) resolvers[type.name] = { __resolveType: byTypename };
  }
  return resolvers;
}

// The same as one graphql-js schema, resolvers attached.
export function createNestedSchema() {
  return attachResolvers(buildSchema(nestedTypeDefs), createNestedResolvers());
}
