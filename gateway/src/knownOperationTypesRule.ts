import { type ASTVisitor, GraphQLError, type ValidationContext } from 'graphql';

/**
 * Refuses an operation whose type the schema has no root for (a `subscription` here), as
 * graphql-js 17 does and 16 does not: Apollo Gateway would otherwise throw it while planning, as a
 * 500. The words are graphql-js 17's.
 */
export function knownOperationTypesRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  return {
    OperationDefinition(node) {
      if (schema.getRootType(node.operation)) return;
      context.reportError(
        new GraphQLError(`The ${node.operation} operation is not supported by the schema.`, {
          nodes: node,
        }),
      );
    },
  };
}
