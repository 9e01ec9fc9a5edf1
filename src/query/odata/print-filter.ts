// Prints a filter AST back as canonical, fully parenthesised filter text: every operator
// application in parentheses, function names in lower case, strings re-quoted with '' escapes,
// other literals as written. The output parses back to the same tree (tests rely on it; error
// messages can quote it).
//
//   printFilter(parseFilter("a eq 1 or b eq 2 and not c")) === "((a eq 1) or ((b eq 2) and (not c)))"

import type { FilterExpr, LiteralNode } from './ast.js';

export function printFilter(node: FilterExpr): string {
  switch (node.kind) {
    case 'literal':
      return printLiteral(node);
    case 'path':
      return node.segments.join('/');
    case 'compare':
    case 'and':
    case 'or': {
      const op = node.kind === 'compare' ? node.op : node.kind;
      return `(${printFilter(node.left)} ${op} ${printFilter(node.right)})`;
    }
    case 'in':
      return `(${printFilter(node.left)} in (${node.list.map(printLiteral).join(', ')}))`;
    case 'not':
      return `(not ${printFilter(node.operand)})`;
    case 'call':
      return `${node.name}(${node.args.map(printFilter).join(', ')})`;
    case 'lambda': {
      const head = `${printFilter(node.collection)}/${node.op}(`;
      return node.predicate === null ? `${head})` : `${head}${node.variable ?? ''}: ${printFilter(node.predicate)})`;
    }
  }
}

function printLiteral(literal: LiteralNode): string {
  switch (literal.type) {
    case 'string':
      return `'${literal.value.replaceAll("'", "''")}'`;
    case 'duration':
      return `duration'${literal.value}'`;
    case 'enum':
      return `${literal.enumType}'${literal.value}'`;
    default:
      return literal.raw;
  }
}
