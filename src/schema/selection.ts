import {
  GraphQLInt,
  Kind,
  valueFromAST,
  type FieldNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';
import type { PageSelection } from '../services/shared/keyset';

/**
 * What a connection query asks (`totalCount`, `edges { node { ... } }`), by
 * field name, through aliases and fragments: what a list may read in its page
 * statement instead of a loader's statement per field. A node field's own
 * fields appear as `field.child` (`latestNote.author`), and `first` holds the
 * `first` argument of a node field asked with one value wherever it appears
 * (`orders(first: 1)`). A field under a
 * @skip or @include counts as asked: reading it anyway costs a join, never a
 * wrong answer.
 */
export function pageSelectionOf(info: GraphQLResolveInfo): PageSelection {
  const named = (name: string) => (field: FieldNode) => field.name.value === name;
  const connection = childFields(info, info.fieldNodes);
  const nodes = childFields(info, connection.filter(named('edges'))).filter(named('node'));
  const fields = new Set<string>();
  const first = new Map<string, number>();
  for (const field of childFields(info, nodes)) {
    const name = field.name.value;
    const argument = field.arguments?.find((arg) => arg.name.value === 'first');
    const value = argument ? valueFromAST(argument.value, GraphQLInt, info.variableValues) : null;
    // NaN for a field asked with different values (or once without one): it equals no number.
    const stated = typeof value === 'number' ? value : Number.NaN;
    first.set(name, fields.has(name) && first.get(name) !== stated ? Number.NaN : stated);
    fields.add(name);
    for (const child of childFields(info, [field]))
      fields.add(`${field.name.value}.${child.name.value}`);
  }
  return { fields, first, totalCount: connection.some(named('totalCount')) };
}

/** The fields selected directly under `parents`, fragments spread. */
function childFields(info: GraphQLResolveInfo, parents: readonly FieldNode[]): FieldNode[] {
  const found: FieldNode[] = [];
  for (const parent of parents)
    forEachField(info, parent.selectionSet, (field) => found.push(field));
  return found;
}

function forEachField(
  info: GraphQLResolveInfo,
  selectionSet: SelectionSetNode | undefined,
  visit: (field: FieldNode) => void,
  seen: Set<string> = new Set(),
): void {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) visit(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      forEachField(info, selection.selectionSet, visit, seen);
    } else {
      const name = selection.name.value;
      const fragment = info.fragments[name];
      if (!fragment || seen.has(name)) continue;
      seen.add(name);
      forEachField(info, fragment.selectionSet, visit, seen);
    }
  }
}
