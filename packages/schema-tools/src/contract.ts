import {
  astFromValue,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isSpecifiedScalarType,
  isUnionType,
  OperationTypeNode,
  print,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';

type InputValue = GraphQLArgument | GraphQLInputField;

/**
 * Every item of `contract` that `schema` lacks or declares differently, one line each, named by its coordinate
 * (`User.bio`, `Query.users(first:)`, `WorkspaceRole.VIEWER`): types and their kinds, root types, fields, arguments
 * and input fields (type with nullability and list wrapping, default value), enum values, union members and
 * implemented interfaces. Additions are allowed, except a required argument or input field the contract lacks.
 */
export function contractDifferences(contract: GraphQLSchema, schema: GraphQLSchema): string[] {
  const differences: string[] = [];
  for (const operation of [OperationTypeNode.QUERY, OperationTypeNode.MUTATION, OperationTypeNode.SUBSCRIPTION]) {
    const expected = contract.getRootType(operation)?.name;
    const actual = schema.getRootType(operation)?.name;
    if (expected && expected !== actual) {
      differences.push(`schema ${operation} root: ${expected} in the contract, ${actual ?? 'none'} in the schema`);
    }
  }
  for (const expected of Object.values(contract.getTypeMap())) {
    if (expected.name.startsWith('__') || isSpecifiedScalarType(expected)) continue;
    const actual = schema.getType(expected.name);
    if (!actual) {
      differences.push(`${expected.name}: missing type`);
    } else if (kindOf(actual) !== kindOf(expected)) {
      differences.push(`${expected.name}: ${kindOf(expected)} in the contract, ${kindOf(actual)} in the schema`);
    } else {
      differences.push(...typeDifferences(expected, actual));
    }
  }
  return differences;
}

function typeDifferences(expected: GraphQLNamedType, actual: GraphQLNamedType): string[] {
  const name = expected.name;
  if ((isObjectType(expected) || isInterfaceType(expected)) && (isObjectType(actual) || isInterfaceType(actual))) {
    const actualInterfaces = new Set(actual.getInterfaces().map((face) => face.name));
    const actualFields = actual.getFields();
    return [
      ...expected
        .getInterfaces()
        .filter((face) => !actualInterfaces.has(face.name))
        .map((face) => `${name}: does not implement ${face.name}`),
      ...Object.values(expected.getFields()).flatMap((field) => {
        const actualField = actualFields[field.name];
        const coordinate = `${name}.${field.name}`;
        return actualField ? fieldDifferences(coordinate, field, actualField) : [`${coordinate}: missing field`];
      }),
    ];
  }
  if (isUnionType(expected) && isUnionType(actual)) {
    const members = new Set(actual.getTypes().map((member) => member.name));
    return expected
      .getTypes()
      .filter((member) => !members.has(member.name))
      .map((member) => `${name}: missing union member ${member.name}`);
  }
  if (isEnumType(expected) && isEnumType(actual)) {
    const values = new Set(actual.getValues().map((value) => value.name));
    return expected
      .getValues()
      .filter((value) => !values.has(value.name))
      .map((value) => `${name}.${value.name}: missing enum value`);
  }
  if (isInputObjectType(expected) && isInputObjectType(actual)) {
    const coordinate = (field: string) => `${name}.${field}`;
    const [expectedFields, actualFields] = [Object.values(expected.getFields()), Object.values(actual.getFields())];
    return inputValueDifferences(coordinate, expectedFields, actualFields, 'input field');
  }
  return [];
}

type Field = GraphQLField<unknown, unknown>;

function fieldDifferences(coordinate: string, expected: Field, actual: Field): string[] {
  const argumentCoordinate = (argument: string) => `${coordinate}(${argument}:)`;
  return [
    ...typeDifference(coordinate, expected.type, actual.type),
    ...inputValueDifferences(argumentCoordinate, expected.args, actual.args, 'argument'),
  ];
}

function inputValueDifferences(
  coordinate: (name: string) => string,
  expected: readonly InputValue[],
  actual: readonly InputValue[],
  what: 'argument' | 'input field',
): string[] {
  const actualByName = new Map(actual.map((value) => [value.name, value]));
  const differences = expected.flatMap((value) => {
    const found = actualByName.get(value.name);
    if (!found) return [`${coordinate(value.name)}: missing ${what}`];
    const [expectedDefault, actualDefault] = [printedDefault(value) ?? 'none', printedDefault(found) ?? 'none'];
    return [
      ...typeDifference(coordinate(value.name), value.type, found.type),
      ...(expectedDefault === actualDefault
        ? []
        : [`${coordinate(value.name)}: default ${expectedDefault} in the contract, ${actualDefault} in the schema`]),
    ];
  });
  const expectedNames = new Set(expected.map((value) => value.name));
  const newRequired = actual.filter((value) => !expectedNames.has(value.name) && isNonNullType(value.type) && value.defaultValue === undefined);
  return [...differences, ...newRequired.map((value) => `${coordinate(value.name)}: required ${what} the contract does not have`)];
}

/** Types compare as printed, so nullability and list wrapping count. */
function typeDifference(coordinate: string, expected: GraphQLType, actual: GraphQLType): string[] {
  const [expectedType, actualType] = [String(expected), String(actual)];
  return expectedType === actualType ? [] : [`${coordinate}: type ${expectedType} in the contract, ${actualType} in the schema`];
}

function printedDefault(value: InputValue): string | undefined {
  if (value.defaultValue === undefined) return undefined;
  const literal = astFromValue(value.defaultValue, value.type);
  // No GraphQL literal represents it (a custom scalar's serializer refused it): its JSON still tells two apart.
  return literal ? print(literal) : JSON.stringify(value.defaultValue);
}

function kindOf(type: GraphQLNamedType): string {
  if (isObjectType(type)) return 'object type';
  if (isInterfaceType(type)) return 'interface';
  if (isUnionType(type)) return 'union';
  if (isEnumType(type)) return 'enum';
  if (isInputObjectType(type)) return 'input type';
  return 'scalar';
}
