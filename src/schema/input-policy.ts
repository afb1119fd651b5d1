/**
 * One input policy for every argument and input field of the schema: texts
 * have a maximum length, no control characters and no bidirectional
 * overrides; instants fall between 1900 and 2100
 * (kernel/instants.ts, which the export route applies too). It is applied to the built
 * schema, so every field is covered without anyone listing it, over HTTP and
 * WebSocket alike (both execute this schema), and it runs before the resolver
 * (and before a subscription's `subscribe`), so a refused value reaches no
 * service and writes nothing. The limits are written into each field's
 * description, so schema.graphql documents them.
 *
 * Services keep their own domain rules (a title is not empty, a phone is a
 * phone); the lengths they enforce come from services/text-limits.ts, the same
 * numbers this table announces.
 */
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  GraphQLObjectType,
  defaultFieldResolver,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgumentConfig,
  type GraphQLFieldConfig,
  type GraphQLFieldResolver,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { DomainError } from '../kernel/errors';
import { INSTANT_RANGE, isInstantInRange } from '../kernel/instants';
import { MAX_LENGTH } from '../kernel/text-limits';

/** A String without a limit of its own. */
export const DEFAULT_MAX_LENGTH = 1_000;
/** Every id this API hands out is a UUID; the margin is for ids other systems made. */
export const ID_MAX_LENGTH = 100;

/**
 * Limits by the name of an argument or input field, wherever it appears, so
 * that a new `title` or `email` gets its limit without anyone adding it here.
 */
const MAX_LENGTH_BY_NAME: Readonly<Record<string, number>> = {
  title: MAX_LENGTH.ticketTitle,
  description: MAX_LENGTH.longText,
  body: MAX_LENGTH.longText,
  note: MAX_LENGTH.longText,
  notes: MAX_LENGTH.longText,
  reason: MAX_LENGTH.reason,
  text: MAX_LENGTH.messageText,
  name: MAX_LENGTH.personName,
  fullName: MAX_LENGTH.personName,
  email: MAX_LENGTH.email,
  phone: MAX_LENGTH.phone,
  url: MAX_LENGTH.url,
  search: MAX_LENGTH.articleSearch,
  keywords: MAX_LENGTH.search,
  externalId: MAX_LENGTH.externalId,
  method: MAX_LENGTH.paymentMethod,
  password: 256,
  accessToken: MAX_LENGTH.secret,
  shopKey: MAX_LENGTH.secret,
  shopSecret: MAX_LENGTH.secret,
  externalShopId: 100,
  /** Calendar dates (YYYY-MM-DD: birthdays, business days, report ranges). */
  birthday: 10,
  date: 10,
  from: 10,
  to: 10,
  /** Page cursors this API encoded. */
  after: 500,
};

/**
 * Exceptions for one schema coordinate (`Input.field`, `Type.field(arg:)`),
 * looked up before the name.
 */
const MAX_LENGTH_BY_COORDINATE: Readonly<Record<string, number>> = {
  'CustomerFilter.search': MAX_LENGTH.search,
  'ConnectChannelInput.name': MAX_LENGTH.channelName,
  'UpdateChannelInput.name': MAX_LENGTH.channelName,
  'MessageAttachmentInput.type': 50,
  'MessageAttachmentInput.name': 255,
};

/** Scalars whose values are instants; others are checked by what they parse to. */
const INSTANT_SCALARS = new Set(['DateTimeISO', 'DateTime', 'Timestamp']);
const NUMERIC_SCALARS = new Set(['Int', 'Float', 'Boolean', 'SafeInt']);

/**
 * C0 controls but tab, line feed and carriage return; DEL and the C1 controls;
 * the bidirectional embeddings, overrides and isolates (an order number or a
 * name that reads backwards on screen); lone surrogates, which would be
 * stored as U+FFFD.
 */
const REFUSED_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\p{Cs}]/u;

/** What the whole schema promises, written on the root types. */
export const POLICY_DESCRIPTION = [
  'Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT',
  'naming the field in extensions.field, and nothing is read or written.',
  `Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F),`,
  'no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069);',
  'a String at most as long as its description says,',
  `an ID at most ${ID_MAX_LENGTH} characters.`,
  `Instants from ${INSTANT_RANGE}.`,
].join(' ');

/** `path` locates the value in the arguments (`input.credentials.accessToken`, `customerIds[3]`); `field` is its name. */
type Check = (value: unknown, path: string, field: string) => void;

/**
 * `extensions.field` is the input field's own name, as the services name it,
 * so a client maps an error to a form field whichever layer refused it;
 * `extensions.inputPath` says where it sits when the name is not enough.
 */
const refuse = (path: string, field: string, problem: string): DomainError =>
  new DomainError('BAD_USER_INPUT', `${path}: ${problem}`, { field, inputPath: path });

const hex = (char: string): string =>
  `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

function checkText(value: string, path: string, field: string, max: number): void {
  // The length first: a megabyte is refused without scanning it.
  if (value.length > max) throw refuse(path, field, `at most ${max} characters`);
  const refused = REFUSED_CHARACTERS.exec(value);
  if (refused) {
    throw refuse(
      path,
      field,
      `${hex(refused[0])} at position ${refused.index} is not allowed (control and bidirectional-override characters are refused)`,
    );
  }
}

function checkInstant(value: Date, path: string, field: string): void {
  if (!isInstantInRange(value.getTime())) {
    throw refuse(path, field, `must be an instant from ${INSTANT_RANGE}`);
  }
}

/** A custom scalar is checked by what it parsed to: JSON is walked for its strings. */
function checkParsed(value: unknown, path: string, field: string, max: number): void {
  if (typeof value === 'string') checkText(value, path, field, max);
  else if (value instanceof Date) checkInstant(value, path, field);
  else if (Array.isArray(value)) {
    value.forEach((item, i) => checkParsed(item, `${path}[${i}]`, field, max));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      checkText(key, path, field, max);
      checkParsed(item, `${path}.${key}`, field, max);
    }
  }
}

export type InputRule =
  | { kind: 'text'; maxLength: number }
  | { kind: 'instant' }
  | { kind: 'parsed'; maxLength: number }
  | { kind: 'none' };

/** The rule for a scalar or enum at a coordinate; `name` is the argument's or input field's name. */
export function ruleFor(scalarName: string, coordinate: string, name: string): InputRule {
  if (NUMERIC_SCALARS.has(scalarName)) return { kind: 'none' };
  if (INSTANT_SCALARS.has(scalarName)) return { kind: 'instant' };
  const explicit = MAX_LENGTH_BY_COORDINATE[coordinate];
  if (scalarName === 'ID') return { kind: 'text', maxLength: explicit ?? ID_MAX_LENGTH };
  const maxLength = explicit ?? MAX_LENGTH_BY_NAME[name] ?? DEFAULT_MAX_LENGTH;
  return scalarName === 'String' ? { kind: 'text', maxLength } : { kind: 'parsed', maxLength };
}

function leafCheck(rule: InputRule): Check | null {
  switch (rule.kind) {
    case 'text':
      return (value, path, field) => {
        if (typeof value === 'string') checkText(value, path, field, rule.maxLength);
      };
    case 'instant':
      return (value, path, field) => {
        if (value instanceof Date) checkInstant(value, path, field);
      };
    case 'parsed':
      return (value, path, field) => checkParsed(value, path, field, rule.maxLength);
    case 'none':
      return null;
  }
}

/** Compiles checks once per input type; input types may refer to themselves. */
class Checks {
  private readonly byInputType = new Map<string, Check | null>();
  private readonly compiling = new Set<string>();

  of(type: GraphQLInputType, coordinate: string, name: string): Check | null {
    if (isNonNullType(type)) return this.of(type.ofType, coordinate, name);
    if (isListType(type)) {
      const item = this.of(type.ofType, coordinate, name);
      if (!item) return null;
      return (value, path, field) => {
        if (!Array.isArray(value)) return item(value, path, field);
        value.forEach((element, i) => {
          if (element != null) item(element, `${path}[${i}]`, field);
        });
      };
    }
    if (isEnumType(type)) return null;
    if (isScalarType(type)) return leafCheck(ruleFor(type.name, coordinate, name));
    return isInputObjectType(type) ? this.ofInputObject(type) : null;
  }

  private ofInputObject(type: GraphQLInputObjectType): Check | null {
    const compiled = this.byInputType.get(type.name);
    if (compiled !== undefined) return compiled;
    if (this.compiling.has(type.name)) {
      // A type that contains itself: looked up when a value arrives.
      return (value, path, field) => this.byInputType.get(type.name)?.(value, path, field);
    }
    this.compiling.add(type.name);
    const fields = Object.values(type.getFields())
      .map((f): [string, Check | null] => [
        f.name,
        this.of(f.type, `${type.name}.${f.name}`, f.name),
      ])
      .filter((entry): entry is [string, Check] => entry[1] !== null);
    const check: Check | null =
      fields.length === 0
        ? null
        : (value, path) => {
            if (value === null || typeof value !== 'object') return;
            const record = value as Record<string, unknown>;
            for (const [name, fieldCheck] of fields) {
              const item = record[name];
              if (item != null) fieldCheck(item, `${path}.${name}`, name);
            }
          };
    this.compiling.delete(type.name);
    this.byInputType.set(type.name, check);
    return check;
  }
}

function described(description: string | null | undefined, rule: InputRule): string | undefined {
  const base = description?.trim() ?? '';
  const limit =
    rule.kind === 'text' || rule.kind === 'parsed'
      ? `At most ${rule.maxLength} characters.`
      : rule.kind === 'instant'
        ? `From ${INSTANT_RANGE}.`
        : '';
  if (!limit) return description ?? undefined;
  if (!base) return limit;
  return `${base}${/[.!?]$/.test(base) ? '' : '.'} ${limit}`;
}

/** The rule to document: Strings and instants (ids are opaque, their limit is on the root types). */
function documentedRule(type: GraphQLInputType, coordinate: string, name: string): InputRule {
  let inner = type;
  while (isNonNullType(inner) || isListType(inner)) inner = inner.ofType;
  if (!isScalarType(inner) || inner.name === 'ID') return { kind: 'none' };
  const rule = ruleFor(inner.name, coordinate, name);
  return rule.kind === 'parsed' ? { kind: 'none' } : rule;
}

type AnyResolver = GraphQLFieldResolver<unknown, unknown, Record<string, unknown>>;

/**
 * The schema with the policy: each field whose arguments hold text or
 * instants checks them before its resolver (or a subscription's `subscribe`)
 * runs, and each such argument and input field states its limit.
 */
export function applyInputPolicy(schema: GraphQLSchema): GraphQLSchema {
  const checks = new Checks();
  return mapSchema(schema, {
    [MapperKind.ROOT_OBJECT]: (type) => {
      const config = type.toConfig();
      return new GraphQLObjectType({
        ...config,
        description: config.description
          ? `${config.description}\n\n${POLICY_DESCRIPTION}`
          : POLICY_DESCRIPTION,
      });
    },
    [MapperKind.INPUT_OBJECT_FIELD]: (config, fieldName, typeName) => ({
      ...config,
      description: described(
        config.description,
        documentedRule(config.type, `${typeName}.${fieldName}`, fieldName),
      ),
    }),
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) =>
      guardedField(config, fieldName, typeName, checks),
  });
}

function guardedField(
  config: GraphQLFieldConfig<unknown, unknown>,
  fieldName: string,
  typeName: string,
  checks: Checks,
): GraphQLFieldConfig<unknown, unknown> {
  const argChecks: [string, Check][] = [];
  const args: Record<string, GraphQLArgumentConfig> = {};
  for (const [argName, arg] of Object.entries(config.args ?? {})) {
    const coordinate = `${typeName}.${fieldName}(${argName}:)`;
    const check = checks.of(arg.type, coordinate, argName);
    if (check) argChecks.push([argName, check]);
    args[argName] = {
      ...arg,
      description: described(arg.description, documentedRule(arg.type, coordinate, argName)),
    };
  }
  if (argChecks.length === 0) return config;
  const checkArgs = (values: Record<string, unknown>): void => {
    for (const [argName, check] of argChecks) {
      const value = values[argName];
      if (value != null) check(value, argName, argName);
    }
  };
  const guard =
    (inner: AnyResolver): AnyResolver =>
    (source, values, context, info) => {
      checkArgs(values);
      return inner(source, values, context, info);
    };
  // A subscription's arguments reach `subscribe` once; `resolve` then maps each event.
  if (config.subscribe) return { ...config, args, subscribe: guard(config.subscribe) };
  return { ...config, args, resolve: guard(config.resolve ?? defaultFieldResolver) };
}
