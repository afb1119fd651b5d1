import type { GraphQLError, GraphQLSchema } from 'graphql';
import {
  prepareDocument,
  type OperationLimits,
  type PreparedOperation,
} from '../schema/operation-limits';

/** Distinct documents kept; a dashboard or partner app sends a handful each. */
export const PREPARED_MAX_DOCUMENTS = 1_000;
/**
 * Characters of document text kept over all entries: a parsed document costs
 * some tens of bytes per character, so this bounds the cache's memory
 * whatever the documents' sizes (a few tens of MB at worst).
 */
export const PREPARED_MAX_CHARACTERS = 512 * 1024;
/** Variable sets whose cost is remembered per document (only where the document has variables). */
const COSTED_VARIABLES_PER_DOCUMENT = 32;
/** Variables longer than this as JSON are costed every time, not remembered. */
const MAX_REMEMBERED_VARIABLES_LENGTH = 2_048;

/** JSON with object keys sorted, so equal variables give one key. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

type Entry = {
  prepared: PreparedOperation;
  characters: number;
  /** The document has no variables: its cost is the same for every subscribe. */
  costFree: boolean;
  /** Variable sets (stableJson) whose cost passed; insertion order is recency. */
  costed: Map<string, true>;
};

/**
 * The graphql-ws side of `prepareOperation`, remembered per document: parsing,
 * validation and the choice of operation depend on the text and the
 * operation name alone, so each distinct document is prepared once and its
 * parsed form reused (least recently used out first, bounded by count and by
 * characters). The cost is checked for every subscribe with its own
 * variables, which also coerces them (a wrong type is BAD_USER_INPUT); only
 * a pass is remembered, for a document without variables or for the exact
 * variables that passed. Refusals are never remembered: each one is
 * prepared again, so it answers exactly as the first time.
 */
export class PreparedOperations {
  private readonly entries = new Map<string, Entry>();
  private characters = 0;
  private readonly maxDocuments: number;
  private readonly maxCharacters: number;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limits: OperationLimits,
    bounds: { maxDocuments?: number; maxCharacters?: number } = {},
  ) {
    this.maxDocuments = bounds.maxDocuments ?? PREPARED_MAX_DOCUMENTS;
    this.maxCharacters = bounds.maxCharacters ?? PREPARED_MAX_CHARACTERS;
  }

  /** Documents held now. */
  get size(): number {
    return this.entries.size;
  }

  /** Characters of document text held now. */
  get heldCharacters(): number {
    return this.characters;
  }

  prepare(payload: {
    query: string;
    operationName?: string | null;
    variables?: Record<string, unknown> | null;
  }): PreparedOperation | GraphQLError[] {
    // A JSON string literal ends where it ends, so no name and text pair reads as another.
    const key = `${JSON.stringify(payload.operationName ?? null)}${payload.query}`;
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    } else {
      const prepared = prepareDocument(
        this.schema,
        this.limits,
        payload.query,
        payload.operationName,
      );
      if (Array.isArray(prepared)) return prepared;
      entry = {
        prepared,
        characters: key.length,
        costFree: (prepared.operation.variableDefinitions ?? []).length === 0,
        costed: new Map(),
      };
      this.remember(key, entry);
    }
    return this.costChecked(entry, payload.variables ?? undefined);
  }

  private costChecked(
    entry: Entry,
    variables: Record<string, unknown> | undefined,
  ): PreparedOperation | GraphQLError[] {
    const { prepared } = entry;
    const variablesKey = entry.costFree ? '' : stableJson(variables ?? {});
    if (entry.costed.has(variablesKey)) return prepared;
    const costly = this.limits.costError(
      this.schema,
      prepared.document,
      prepared.operation,
      variables,
    );
    if (costly) return [costly];
    if (variablesKey.length <= MAX_REMEMBERED_VARIABLES_LENGTH) {
      entry.costed.set(variablesKey, true);
      if (entry.costed.size > COSTED_VARIABLES_PER_DOCUMENT) {
        const [oldest] = entry.costed.keys();
        if (oldest !== undefined) entry.costed.delete(oldest);
      }
    }
    return prepared;
  }

  private remember(key: string, entry: Entry): void {
    // A document over the whole budget is prepared every time instead.
    if (entry.characters > this.maxCharacters) return;
    this.entries.set(key, entry);
    this.characters += entry.characters;
    for (const [oldKey, old] of this.entries) {
      if (this.entries.size <= this.maxDocuments && this.characters <= this.maxCharacters) break;
      this.entries.delete(oldKey);
      this.characters -= old.characters;
    }
  }
}
