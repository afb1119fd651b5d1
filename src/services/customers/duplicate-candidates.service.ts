/**
 * Groups of live customers that are probably one person, with the reason,
 * for a leader to review and merge. Keyset-paginated on (reason, key), so
 * the report stays cheap however many groups there are.
 */
import { customerScope } from '../../auth/scopes';
import { type DuplicateReason } from '../../entities/enums';
import { badInput } from '../../kernel/errors';
import { pageOfNodes, pageSize, type Page, type PageRequest } from '../shared/keyset';
import type { RequestScope } from '../../kernel/request-scope';

export type DuplicateGroupRow = { reason: DuplicateReason; key: string; customerIds: string[] };

/**
 * Names at least this similar (pg_trgm) with the same last six phone digits
 * are a candidate pair. 0.7 keeps "Trần Thị Hoa" / "Trần Thị Hoa Mai" (0.75)
 * and drops two different people sharing "Nguyễn Văn" (about 0.55). Six
 * digits, not four: with four, common names made a thousand false pairs per
 * 300,000 customers and the pair check took 12 s instead of about 1 s.
 */
const NAME_SIMILARITY = 0.7;
const PHONE_SUFFIX_DIGITS = 6;

/** Digits after the country or trunk prefix, so 0912..., 84912... and +84912... group together. */
const PHONE_KEY = `regexp_replace(regexp_replace(c."phone", '\\D', '', 'g'), '^(84|0)', '')`;

// "live" is materialized once with the derived keys, so the self-join compares plain columns.
const GROUPS = `
  with live as materialized (
    select c."id", c."created_at", c."phone", c."email", c."full_name",
           ${PHONE_KEY} as "phone_key", right(c."phone", ${PHONE_SUFFIX_DIGITS}) as "phone_suffix",
           lower(c."full_name") as "name_key"
    from "customer" c where c."merged_into_id" is null and c."erased_at" is null
  ),
  groups as (
    select 'SAME_PHONE' as "reason", c."phone_key" as "key", array_agg(c."id" order by c."created_at", c."id") as "ids"
    from live c where c."phone" is not null group by 2 having count(*) > 1
    union all
    select 'SAME_EMAIL', lower(c."email"), array_agg(c."id" order by c."created_at", c."id")
    from live c where c."email" is not null group by 2 having count(*) > 1
    union all
    select 'SAME_PLATFORM_BUYER_ID', b."platform" || ':' || b."buyer", array_agg(distinct b."customer_id")
    from (
      select o."platform"::text as "platform", o."buyer_platform_id" as "buyer", o."customer_id"
      from "customer_order" o join live c on c."id" = o."customer_id" where o."buyer_platform_id" is not null
      union
      select ch."platform"::text, v."external_user_id", v."customer_id"
      from "conversation" v join "channel" ch on ch."id" = v."channel_id" join live c on c."id" = v."customer_id"
      where v."external_user_id" is not null
    ) b group by 2 having count(distinct b."customer_id") > 1
    union all
    select 'SIMILAR_NAME_PHONE_SUFFIX', a."id" || ':' || b."id", array[a."id", b."id"]
    from live a join live b
      on a."phone_suffix" = b."phone_suffix" and a."id" < b."id" and a."phone_key" <> b."phone_key"
    where similarity(a."name_key", b."name_key") >= ${NAME_SIMILARITY}
  )`;

type Cursor = { r: string; k: string };

function decode(after: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof parsed.r === 'string' && typeof parsed.k === 'string')
      return { r: parsed.r, k: parsed.k };
  } catch {
    // fall through to the one error below
  }
  throw badInput('after: malformed cursor; pass an endCursor from a previous page', 'after');
}

const encode = (row: DuplicateGroupRow): string =>
  Buffer.from(JSON.stringify({ r: row.reason, k: row.key })).toString('base64url');

export const duplicateCandidates = {
  async list({ em, viewer }: RequestScope, page: PageRequest): Promise<Page<DuplicateGroupRow>> {
    const size = pageSize(page.first);
    const cursor = page.after ? decode(page.after) : null;
    const visible = customerScope(viewer) !== null;
    const rows = visible
      ? await em.execute<{ reason: DuplicateReason; key: string; ids: string[] }[]>(
          `${GROUPS}
           select "reason", "key", "ids" from groups
           ${cursor ? 'where ("reason", "key") > (?, ?)' : ''}
           order by "reason", "key" limit ?`,
          [...(cursor ? [cursor.r, cursor.k] : []), size + 1],
        )
      : [];
    const groups = rows.map((row): DuplicateGroupRow => ({
      reason: row.reason,
      key: row.key,
      customerIds: row.ids,
    }));
    return pageOfNodes(groups, page, encode, async () => {
      if (!visible) return 0;
      const [count] = await em.execute<{ n: string }[]>(
        `${GROUPS} select count(*) as "n" from groups`,
      );
      return Number(count?.n ?? 0);
    });
  },
};
