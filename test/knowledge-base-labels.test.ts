import { AuditLog, CustomerLabel, KnowledgeBaseArticle } from '../src/entities';
import { KnowledgeBaseType, Role } from '../src/entities/enums';
import { factories } from './support/factories';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/test-app';

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

const code = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.code;
const as = (user: { id: string }) => ({ token: t.tokenFor(user) });
const actionsOf = async (entityId: string) =>
  (await t.orm.em.fork().find(AuditLog, { entityId }, { orderBy: { createdAt: 'asc' } })).map(
    (r) => [r.action, r.actor?.id],
  );

const CREATE_ARTICLE = `mutation($input: KnowledgeBaseArticleInput!) {
  createKnowledgeBaseArticle(input: $input) { id type title body keywords }
}`;
const UPDATE_ARTICLE = `mutation($id: ID!, $input: UpdateKnowledgeBaseArticleInput!) {
  updateKnowledgeBaseArticle(id: $id, input: $input) { id type title body }
}`;
const DELETE_ARTICLE = 'mutation($id: ID!) { deleteKnowledgeBaseArticle(id: $id) }';

describe('knowledge-base articles (BR-CRM-007)', () => {
  test("a telesales leader writes their team's articles, which their search then lists", async () => {
    const leader = await make.user({ role: Role.TELESALES_LEADER });
    const created = await t.gql<{ createKnowledgeBaseArticle: { id: string; type: string } }>(
      CREATE_ARTICLE,
      {
        input: {
          type: 'TELESALES',
          title: ' Chính sách đổi trả ',
          body: 'Đổi trong 7 ngày',
          keywords: 'đổi trả',
        },
      },
      as(leader),
    );
    expect(created.errors).toBeUndefined();
    const { id } = created.data!.createKnowledgeBaseArticle;
    const updated = await t.gql<{ updateKnowledgeBaseArticle: { title: string; body: string } }>(
      UPDATE_ARTICLE,
      { id, input: { body: 'Đổi trong 30 ngày' } },
      as(leader),
    );
    expect(updated.data!.updateKnowledgeBaseArticle).toMatchObject({
      title: 'Chính sách đổi trả',
      body: 'Đổi trong 30 ngày',
    });
    const listed = await t.gql<{ knowledgeBaseArticles: { edges: { node: { id: string } }[] } }>(
      '{ knowledgeBaseArticles(filter: { search: "30 ngày" }) { edges { node { id } } } }',
      undefined,
      as(leader),
    );
    expect(listed.data!.knowledgeBaseArticles.edges.map((e) => e.node.id)).toEqual([id]);
    expect(await t.gql(DELETE_ARTICLE, { id }, as(leader))).toEqual({
      data: { deleteKnowledgeBaseArticle: id },
    });
    expect(await t.orm.em.fork().count(KnowledgeBaseArticle, { id })).toBe(0);
    expect(await actionsOf(id)).toEqual([
      ['knowledge_base_article_created', leader.id],
      ['knowledge_base_article_updated', leader.id],
      ['knowledge_base_article_deleted', leader.id],
    ]);
    const [deleted] = await t.orm.em
      .fork()
      .find(AuditLog, { entityId: id, action: 'knowledge_base_article_deleted' });
    expect(deleted!.data).toMatchObject({ title: 'Chính sách đổi trả', body: 'Đổi trong 30 ngày' });
  });

  test("a leader cannot write the other team's articles: FORBIDDEN to create or move, NOT_FOUND to edit", async () => {
    const leader = await make.user({ role: Role.CUSTOMER_SERVICE_LEADER });
    const em = t.orm.em.fork();
    const theirs = em.create(KnowledgeBaseArticle, {
      type: KnowledgeBaseType.TELESALES,
      title: 'Kịch bản gọi',
      body: 'b',
    });
    const own = em.create(KnowledgeBaseArticle, {
      type: KnowledgeBaseType.CUSTOMER_SERVICE,
      title: 'Hỏi đáp',
      body: 'b',
    });
    await em.flush();
    const create = await t.gql(
      CREATE_ARTICLE,
      { input: { type: 'TELESALES', title: 't', body: 'b' } },
      as(leader),
    );
    expect(code(create)).toBe('FORBIDDEN');
    expect(
      code(await t.gql(UPDATE_ARTICLE, { id: theirs.id, input: { title: 'x' } }, as(leader))),
    ).toBe('NOT_FOUND');
    expect(code(await t.gql(DELETE_ARTICLE, { id: theirs.id }, as(leader)))).toBe('NOT_FOUND');
    expect(
      code(await t.gql(UPDATE_ARTICLE, { id: own.id, input: { type: 'TELESALES' } }, as(leader))),
    ).toBe('FORBIDDEN');
    const after = t.orm.em.fork();
    expect((await after.findOneOrFail(KnowledgeBaseArticle, theirs.id)).title).toBe('Kịch bản gọi');
    expect((await after.findOneOrFail(KnowledgeBaseArticle, own.id)).type).toBe('CUSTOMER_SERVICE');
    expect(await after.count(KnowledgeBaseArticle, { title: 't' })).toBe(0);
  });

  test('an admin writes any type; staff, BOD and IT write none; empty text is BAD_USER_INPUT', async () => {
    const res = await t.gql<{ createKnowledgeBaseArticle: { type: string } }>(CREATE_ARTICLE, {
      input: { type: 'CUSTOMER_SERVICE', title: 'Giao hàng', body: 'b' },
    });
    expect(res.data!.createKnowledgeBaseArticle.type).toBe('CUSTOMER_SERVICE');
    for (const role of [Role.TELESALES, Role.BOD, Role.IT]) {
      const user = await make.user({ role });
      const denied = await t.gql(
        CREATE_ARTICLE,
        { input: { type: 'TELESALES', title: 't', body: 'b' } },
        as(user),
      );
      expect({ role, code: code(denied) }).toEqual({ role, code: 'FORBIDDEN' });
    }
    const empty = await t.gql(CREATE_ARTICLE, {
      input: { type: 'TELESALES', title: 'x', body: '  ' },
    });
    expect(code(empty)).toBe('BAD_USER_INPUT');
    expect(empty.errors![0]!.extensions!.field).toBe('body');
  });
});

const CREATE_LABEL = `mutation($input: CustomerLabelInput!) {
  createCustomerLabel(input: $input) { id code name color }
}`;
const UPDATE_LABEL = `mutation($id: ID!, $input: UpdateCustomerLabelInput!) {
  updateCustomerLabel(id: $id, input: $input) { id code name color }
}`;

describe('customer labels', () => {
  test('a leader creates and edits a label; everyone lists them and can apply them', async () => {
    const leader = await make.user({ role: Role.TELESALES_LEADER });
    const created = await t.gql<{ createCustomerLabel: { id: string; code: string } }>(
      CREATE_LABEL,
      { input: { code: 'vip-2026', name: 'VIP 2026', color: '#D4AF37' } },
      as(leader),
    );
    expect(created.errors).toBeUndefined();
    const label = created.data!.createCustomerLabel;
    expect(label).toMatchObject({ code: 'VIP-2026', color: '#d4af37' });
    const edited = await t.gql<{ updateCustomerLabel: Record<string, unknown> }>(
      UPDATE_LABEL,
      { id: label.id, input: { name: 'Khách VIP 2026', color: null } },
      as(leader),
    );
    expect(edited.data!.updateCustomerLabel).toEqual({
      id: label.id,
      code: 'VIP-2026',
      name: 'Khách VIP 2026',
      color: null,
    });

    const staff = await make.user({ role: Role.TELESALES });
    const listed = await t.gql<{ customerLabels: { id: string }[] }>(
      '{ customerLabels { id } }',
      undefined,
      as(staff),
    );
    expect(listed.data!.customerLabels.map((l) => l.id)).toContain(label.id);
    const customer = await make.customer();
    const applied = await t.gql(
      'mutation($c: ID!, $l: [ID!]!) { setCustomerLabels(customerId: $c, labelIds: $l) { labels { code } } }',
      { c: customer.id, l: [label.id] },
      as(staff),
    );
    expect(applied.errors).toBeUndefined();
    expect(await actionsOf(label.id)).toEqual([
      ['customer_label_created', leader.id],
      ['customer_label_updated', leader.id],
    ]);
    expect(code(await t.gql(CREATE_LABEL, { input: { code: 'X1', name: 'x' } }, as(staff)))).toBe(
      'FORBIDDEN',
    );
  });

  test('a taken code is CONFLICT; a bad color or code BAD_USER_INPUT; the system label keeps its code', async () => {
    const em = t.orm.em.fork();
    const existing =
      (await em.findOne(CustomerLabel, { code: 'WRONG_CONTACT' })) ??
      em.create(CustomerLabel, { code: 'WRONG_CONTACT', name: 'Sai thông tin liên hệ' });
    await em.flush();
    const dup = await t.gql(CREATE_LABEL, { input: { code: 'wrong_contact', name: 'x' } });
    expect(code(dup)).toBe('CONFLICT');
    expect(dup.errors![0]!.extensions).toMatchObject({ existingLabelId: existing.id });
    expect(
      code(await t.gql(CREATE_LABEL, { input: { code: 'OK', name: 'x', color: 'red' } })),
    ).toBe('BAD_USER_INPUT');
    expect(code(await t.gql(CREATE_LABEL, { input: { code: 'a b', name: 'x' } }))).toBe(
      'BAD_USER_INPUT',
    );
    const rename = await t.gql(UPDATE_LABEL, { id: existing.id, input: { code: 'OTHER' } });
    expect(code(rename)).toBe('BAD_USER_INPUT');
    expect(
      code(
        await t.gql(UPDATE_LABEL, {
          id: '00000000-0000-4000-8000-000000000000',
          input: { name: 'x' },
        }),
      ),
    ).toBe('NOT_FOUND');
    const after = t.orm.em.fork();
    expect((await after.findOneOrFail(CustomerLabel, existing.id)).code).toBe('WRONG_CONTACT');
    expect(await after.count(CustomerLabel, { code: 'OK' })).toBe(0);
  });
});
