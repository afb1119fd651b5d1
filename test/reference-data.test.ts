import { TicketSourcesDocument } from './generated/graphql';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Item = { code: string; descriptionVi: string; descriptionEn: string };

test('referenceData lists the 8 ticket sources with Vietnamese and English labels', async () => {
  const res = await t.run(TicketSourcesDocument);
  expect(res.errors).toBeUndefined();
  const sources = res.data!.referenceData.ticketSources;
  expect(sources.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(sources.find((s) => s.code === 'BIRTHDAY')).toMatchObject({
    number: 8,
    descriptionVi: 'Sinh nhật khách hàng',
    descriptionEn: 'Customer birthday',
  });
  for (const source of sources) {
    expect(source.descriptionVi).not.toEqual('');
    expect(source.descriptionEn).not.toEqual('');
  }
});

test('referenceData covers every code list a client needs', async () => {
  const res = await t.gql<{ referenceData: Record<string, Item[]> }>(`{
    referenceData {
      ticketStatuses { code } ticketResults { code } ticketTargets { code }
      platforms { code marketplace } orderStatuses { code rank terminal }
      roles { code } conversationStatuses { code } genders { code }
    }
  }`);
  expect(res.errors).toBeUndefined();
  const data = res.data!.referenceData;
  expect(data.ticketStatuses!.map((s) => s.code)).toEqual([
    'NEW',
    'ASSIGNED',
    'COMPLETED',
    'CANCELED',
  ]);
  expect(data.ticketResults!.map((s) => s.code)).toEqual(
    expect.arrayContaining([
      'CALL_LATER',
      'TURN_OFF',
      'NOT_AVAILABLE_CALL',
      'MISSED_CALL',
      'WRONG_NUMBER',
      'WRONG_INFORMATION',
      'HOLD_POTENTIAL_APPOINTMENT',
      'CANCEL_SERVICE',
      'COMPLETED',
    ]),
  );
  expect(data.ticketTargets!.map((s) => s.code)).toEqual(['TELESALES', 'CUSTOMER_SERVICE']);
  expect(
    data
      .platforms!.filter((p) => (p as unknown as { marketplace: boolean }).marketplace)
      .map((p) => p.code),
  ).toEqual(['LAZADA', 'SHOPEE', 'TIKI', 'SENDO', 'TIKTOK']);
  expect(data.orderStatuses).toContainEqual({ code: 'COMPLETED', rank: 70, terminal: true });
  expect(data.orderStatuses).toContainEqual({ code: 'FAILED', rank: null, terminal: false });
  expect(data.roles!.map((r) => r.code)).toContain('TELESALES_LEADER');
});

test('referenceData labels the bot answer steps, so a dashboard shows no raw step codes', async () => {
  const res = await t.gql<{ referenceData: { botSteps: Item[] } }>(
    '{ referenceData { botSteps { code descriptionVi descriptionEn } } }',
  );
  expect(res.errors).toBeUndefined();
  const steps = res.data!.referenceData.botSteps;
  expect(steps.map((s) => s.code)).toEqual(['AI', 'KNOWLEDGE_BASE', 'TEMPLATE', 'HANDOFF']);
  expect(steps.find((s) => s.code === 'KNOWLEDGE_BASE')).toEqual({
    code: 'KNOWLEDGE_BASE',
    descriptionVi: 'Cơ sở tri thức',
    descriptionEn: 'Knowledge base',
  });
});
