// Runs one differential case through graphql-js, the reference implementation,
// mimicking the `sluice exec` contract (see README.md).
import {
  GraphQLError,
  assertValidSchema,
  buildSchema,
  execute,
  parse,
  specifiedRules,
  validate,
} from 'graphql';

// The default resolver of the contract: read the property named like the field;
// a property holding {"$error": "msg"} raises a field error with that message.
export function fieldResolver(source, args, context, info) {
  const value = source?.[info.fieldName];
  if (
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.prototype.hasOwnProperty.call(value, '$error')
  ) {
    throw new Error(String(value.$error));
  }
  return value;
}

const toJSON = (value) => JSON.parse(JSON.stringify(value));

// Returns {schemaRejected: true, message} when graphql-js rejects the SDL,
// otherwise {response} where response is the JSON response, as `graphql()` would give it.
// Built schemas by SDL text: a graphql-js schema is immutable, so cases may share it.
const schemaCache = new Map();

function buildReferenceSchema(sdl) {
  if (!schemaCache.has(sdl)) {
    try {
      const schema = buildSchema(sdl);
      assertValidSchema(schema);
      schemaCache.set(sdl, { schema });
    } catch (error) {
      schemaCache.set(sdl, { message: error.message });
    }
  }
  return schemaCache.get(sdl);
}

export async function runReference({ sdl, query, root, variables, operation }) {
  const { schema, message } = buildReferenceSchema(sdl);
  if (!schema) return { schemaRejected: true, message };

  let document;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) return { response: toJSON({ errors: [error] }) };
    throw error;
  }

  const validationErrors = validate(schema, document, specifiedRules);
  if (validationErrors.length > 0) return { response: toJSON({ errors: validationErrors }) };

  const result = await execute({
    schema,
    document,
    rootValue: root,
    variableValues: variables,
    operationName: operation,
    fieldResolver,
  });
  return { response: toJSON(result) };
}
