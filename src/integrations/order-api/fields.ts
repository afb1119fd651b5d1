/**
 * Readers for order-API responses. Field names differ per platform and some
 * are unverified, so each client keeps a table of candidate names and reads
 * through these helpers; payload.ts supplies the strict id and time readers.
 */
import { firstPresent, isObject, readId, toEventTime, type JsonObject } from '../payload';
import { mapStatus, type StatusTable } from '../status-table';
import { PayloadError, type MarketplacePlatform } from '../types';
import { toMinorUnits } from './money';
import type { OrderBuyer, OrderDetail, OrderDetailItem } from './types';

export function pick(obj: JsonObject, keys: readonly string[]): unknown {
  const key = firstPresent(obj, keys);
  return key === undefined ? undefined : obj[key];
}

/** A code or message from an error body as text; anything that is not a scalar is shown as JSON. */
export function scalarText(value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}

/** The first candidate that holds text (Shopee sends model_sku "" when the item has no model). */
export function optionalText(obj: JsonObject, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = obj[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return null;
}

export function requiredId(obj: JsonObject, keys: readonly string[], what: string): string {
  const key = firstPresent(obj, keys);
  if (!key) throw new PayloadError(`${what} has no ${keys.join('/')}`);
  return readId(obj, key, what);
}

export function objectAt(obj: JsonObject, keys: readonly string[], what: string): JsonObject {
  const value = pick(obj, keys);
  if (!isObject(value)) throw new PayloadError(`${what}.${keys.join('/')} is not an object`);
  return value;
}

/** A nested object that may be absent (a buyer address the platform masks away). */
export function optionalObject(obj: JsonObject, keys: readonly string[]): JsonObject {
  const value = pick(obj, keys);
  return isObject(value) ? value : {};
}

export function arrayAt(obj: JsonObject, keys: readonly string[], what: string): JsonObject[] {
  const value = pick(obj, keys) ?? [];
  if (!Array.isArray(value) || !value.every(isObject)) {
    throw new PayloadError(`${what}.${keys.join('/')} is not a list of objects`);
  }
  return value;
}

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\s*([+-]\d{2}):?(\d{2}))?$/;

/**
 * Unix seconds or ms (the 1e12 rule), ISO-8601, or "YYYY-MM-DD HH:MM:SS
 * [+0700]" (Lazada, Tiki). A wall-clock time without a zone is read as
 * Vietnam time (UTC+7), where these shops are.
 */
export function timeAt(obj: JsonObject, keys: readonly string[], what: string): Date {
  const value = pick(obj, keys);
  if (typeof value === 'string') {
    const local = LOCAL_DATE_TIME.exec(value.trim());
    const iso = local
      ? `${local[1]}T${local[2]}${local[3] ? `${local[3]}:${local[4]}` : '+07:00'}`
      : value.trim();
    if (local || /T.*(Z|[+-]\d{2}:?\d{2})$/.test(iso)) {
      const ms = Date.parse(iso);
      if (Number.isFinite(ms)) return new Date(ms);
    }
  }
  return toEventTime(value, `${what}.${keys.join('/')}`);
}

export function amountAt(
  obj: JsonObject,
  keys: readonly string[],
  currency: string,
  what: string,
): number {
  return toMinorUnits(pick(obj, keys), currency, `${what}.${keys.join('/')}`);
}

/** Where a one-unit line keeps its SKU, name and price (Lazada's order items, TikTok's line items). */
export type UnitLineFields = {
  sku: readonly string[];
  itemName: readonly string[];
  price: readonly string[];
};

/**
 * Lazada and TikTok list one line per unit sold; lines of one SKU at one
 * price become one item with a quantity.
 */
export function unitItems(
  lines: readonly JsonObject[],
  fields: UnitLineFields,
  currency: string,
  what: string,
): OrderDetailItem[] {
  return groupUnits(
    lines.map((line) => {
      const price = amountAt(line, fields.price, currency, what);
      return {
        sku: optionalText(line, fields.sku) ?? '',
        name: optionalText(line, fields.itemName) ?? '',
        quantity: 1,
        unitPrice: price,
        total: price,
      };
    }),
  );
}

function groupUnits(units: readonly OrderDetailItem[]): OrderDetailItem[] {
  const items = new Map<string, OrderDetailItem>();
  for (const unit of units) {
    const key = `${unit.sku}\u0000${unit.unitPrice}\u0000${unit.name}`;
    const item = items.get(key);
    if (item) {
      item.quantity += unit.quantity;
      item.total += unit.total;
    } else {
      items.set(key, { ...unit });
    }
  }
  return [...items.values()];
}

export function sumOf(items: readonly OrderDetailItem[]): number {
  return items.reduce((sum, item) => sum + item.total, 0);
}

/** What is left of an order's value once items and shipping are paid, when the platform gives no discount field. */
export function impliedDiscount(subtotal: number, shippingFee: number, total: number): number {
  return Math.max(0, subtotal + shippingFee - total);
}

export type DetailParts = Omit<OrderDetail, 'status' | 'flags' | 'platform'> & {
  table: StatusTable;
};

/** Finishes a detail: the status goes through the platform's push table, never a copy of it. */
export function orderDetail(platform: MarketplacePlatform, parts: DetailParts): OrderDetail {
  const { table, ...rest } = parts;
  const mapped = mapStatus(table, parts.rawStatus, `${platform} order status`);
  return { platform, ...rest, status: mapped.status, flags: mapped.flags };
}

export function buyer(
  platformId: string | null,
  name: string | null,
  phone: string | null,
  email: string | null = null,
): OrderBuyer {
  return { platformId, name, phone, email };
}
