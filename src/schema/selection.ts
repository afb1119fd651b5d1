import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The fields a connection query asks of its nodes (`edges { node { ... } }`),
 * by field name, through aliases and fragments: what a list may read in its
 * page statement instead of a loader's statement per field. A field under a
 * @skip or @include counts as asked: reading it anyway costs a join, never
 * a wrong answer.
 */
export function nodeFieldsOf(info: GraphQLResolveInfo): ReadonlySet<string> {
  const named = (name: string) => (field: FieldNode) => field.name.value === name;
  const edges = childFields(info, info.fieldNodes).filter(named('edges'));
  const nodes = childFields(info, edges).filter(named('node'));
  return new Set(childFields(info, nodes).map((field) => field.name.value));
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
