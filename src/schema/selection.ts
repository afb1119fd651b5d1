import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The fields a connection query asks of its nodes (`edges { node { ... } }`),
 * by field name, through aliases and fragments: what a list may read in its
 * page statement instead of a loader's statement per field. A field under a
 * @skip or @include counts as asked: reading it anyway costs a join, never
 * a wrong answer.
 */
export function nodeFieldsOf(info: GraphQLResolveInfo): ReadonlySet<string> {
  const edges = fieldsNamed(info, info.fieldNodes, 'edges');
  return namesUnder(info, fieldsNamed(info, edges, 'node'));
}

function namesUnder(info: GraphQLResolveInfo, parents: readonly FieldNode[]): Set<string> {
  const names = new Set<string>();
  for (const parent of parents) {
    forEachField(info, parent.selectionSet, (field) => names.add(field.name.value));
  }
  return names;
}

function fieldsNamed(
  info: GraphQLResolveInfo,
  parents: readonly FieldNode[],
  name: string,
): FieldNode[] {
  const found: FieldNode[] = [];
  for (const parent of parents) {
    forEachField(info, parent.selectionSet, (field) => {
      if (field.name.value === name) found.push(field);
    });
  }
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
