import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { PageSelection } from '../services/shared/keyset';

/**
 * What a connection query asks (`totalCount`, `edges { node { ... } }`), by
 * field name, through aliases and fragments: what a list may read in its page
 * statement instead of a loader's statement per field. A node field's own
 * fields appear as `field.child` (`latestNote.author`). A field under a
 * @skip or @include counts as asked: reading it anyway costs a join, never a
 * wrong answer.
 */
export function pageSelectionOf(info: GraphQLResolveInfo): PageSelection {
  const named = (name: string) => (field: FieldNode) => field.name.value === name;
  const connection = childFields(info, info.fieldNodes);
  const nodes = childFields(info, connection.filter(named('edges'))).filter(named('node'));
  const fields = new Set<string>();
  for (const field of childFields(info, nodes)) {
    fields.add(field.name.value);
    for (const child of childFields(info, [field]))
      fields.add(`${field.name.value}.${child.name.value}`);
  }
  return { fields, totalCount: connection.some(named('totalCount')) };
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
