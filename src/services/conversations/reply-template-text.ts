import type { ReplyTemplate } from '../../entities';
import type { Platform } from '../../entities/enums';
import { DomainError } from '../../kernel/errors';

/**
 * The variables a reply template's body may hold, written `{name}`. Bodies
 * are checked when a template is written, so an unknown or misspelled
 * variable is refused then, not sent to a buyer later.
 */
export const TEMPLATE_VARIABLES = ['customerName', 'orderId'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Partial<Record<TemplateVariable, string | null>>;

const isTemplateVariable = (name: string): name is TemplateVariable =>
  (TEMPLATE_VARIABLES as readonly string[]).includes(name);

/** `{word}` placeholders; braces around anything else (a price range "{10-20}") are text. */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The distinct placeholder names of a body, in order. */
function placeholders(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

/** The variables of a body; BAD_USER_INPUT (on `field`) for an unknown one. */
export function assertKnownVariables(body: string, field: string): TemplateVariable[] {
  const names = placeholders(body);
  const unknown = names.filter((name) => !isTemplateVariable(name));
  if (unknown.length > 0) {
    const list = (items: readonly string[]) => items.map((name) => `{${name}}`).join(', ');
    throw new DomainError(
      'BAD_USER_INPUT',
      `${field}: unknown variable ${list(unknown)}; known: ${list(TEMPLATE_VARIABLES)}`,
      { field, reason: 'UNKNOWN_TEMPLATE_VARIABLE', unknown },
    );
  }
  return names as TemplateVariable[];
}

/** The template's wording for a platform: its variant there, else the general body. */
export function bodyFor(
  template: Pick<ReplyTemplate, 'body' | 'variants'>,
  platform: Platform,
): string {
  return template.variants.find((variant) => variant.platform === platform)?.body ?? template.body;
}

/** Every variable any of the template's bodies uses. */
export function variablesOf(
  template: Pick<ReplyTemplate, 'body' | 'variants'>,
): TemplateVariable[] {
  const names = [template.body, ...template.variants.map((variant) => variant.body)].flatMap(
    (body) => placeholders(body).filter(isTemplateVariable),
  );
  return [...new Set(names)];
}

/** The variables `body` needs that `values` leaves empty. */
export function missingVariables(body: string, values: TemplateValues): TemplateVariable[] {
  return placeholders(body).filter(
    (name): name is TemplateVariable => isTemplateVariable(name) && !values[name]?.trim(),
  );
}

/** The body with its variables filled (call missingVariables first: an empty one stays empty). */
export function renderTemplate(body: string, values: TemplateValues): string {
  return body.replace(PLACEHOLDER, (whole, name: string) =>
    isTemplateVariable(name) ? (values[name]?.trim() ?? '') : whole,
  );
}
