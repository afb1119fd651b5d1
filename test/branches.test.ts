import { AuditLog, Branch } from '../src/entities';
import { Role } from '../src/entities/enums';
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

const CREATE =
  'mutation($code: String!, $name: String!) { createBranch(input: { code: $code, name: $name }) { id code name } }';
const UPDATE =
  'mutation($id: ID!, $code: String, $name: String) { updateBranch(id: $id, input: { code: $code, name: $name }) { id code name } }';

describe('branches', () => {
  test('an admin creates a branch (code in upper case), lists it and renames it; each write is audited', async () => {
    const created = await t.gql<{ createBranch: { id: string; code: string; name: string } }>(
      CREATE,
      { code: ' dn ', name: 'Chi nhánh Đà Nẵng' },
    );
    expect(created.errors).toBeUndefined();
    const branch = created.data!.createBranch;
    expect(branch).toMatchObject({ code: 'DN', name: 'Chi nhánh Đà Nẵng' });

    const staff = await make.user({ role: Role.TELESALES });
    const listed = await t.gql<{ branches: { id: string; code: string; name: string }[] }>(
      '{ branches { id code name } }',
      undefined,
      as(staff),
    );
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.branches).toContainEqual(branch);

    const renamed = await t.gql<{ updateBranch: { code: string; name: string } }>(UPDATE, {
      id: branch.id,
      code: 'DNG',
      name: 'Đà Nẵng',
    });
    expect(renamed.data!.updateBranch).toEqual({ id: branch.id, code: 'DNG', name: 'Đà Nẵng' });

    const rows = await t.orm.em
      .fork()
      .find(AuditLog, { entityId: branch.id }, { orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => [r.action, r.actor?.id])).toEqual([
      ['branch_created', t.admin.id],
      ['branch_updated', t.admin.id],
    ]);
    expect(rows[1]!.data).toEqual({
      changes: {
        code: { from: 'DN', to: 'DNG' },
        name: { from: 'Chi nhánh Đà Nẵng', to: 'Đà Nẵng' },
      },
    });
  });

  test('a taken code is CONFLICT, whatever its case, on create and on update; nothing changes', async () => {
    const taken = await make.branch({ code: 'CT' });
    const other = await make.branch({ code: 'VT' });
    const dup = await t.gql(CREATE, { code: 'ct', name: 'Cần Thơ 2' });
    expect(code(dup)).toBe('CONFLICT');
    expect(dup.errors![0]!.extensions).toMatchObject({ existingBranchId: taken.id });
    const move = await t.gql(UPDATE, { id: other.id, code: 'CT' });
    expect(code(move)).toBe('CONFLICT');
    const em = t.orm.em.fork();
    expect(await em.count(Branch, { code: 'CT' })).toBe(1);
    expect((await em.findOneOrFail(Branch, other.id)).code).toBe('VT');
  });

  test('bad input and unknown ids are refused with their codes', async () => {
    expect(code(await t.gql(CREATE, { code: 'has space', name: 'x' }))).toBe('BAD_USER_INPUT');
    expect(code(await t.gql(CREATE, { code: 'OK1', name: '  ' }))).toBe('BAD_USER_INPUT');
    expect(await t.orm.em.fork().count(Branch, { code: 'OK1' })).toBe(0);
    expect(
      code(await t.gql(UPDATE, { id: '00000000-0000-4000-8000-000000000000', name: 'x' })),
    ).toBe('NOT_FOUND');
    expect(code(await t.gql(UPDATE, { id: 'nope', name: 'x' }))).toBe('BAD_USER_INPUT');
  });

  test('only an admin writes branches; a partner key reads none', async () => {
    const leader = await make.user({ role: Role.TELESALES_LEADER });
    const it = await make.user({ role: Role.IT });
    for (const user of [leader, it]) {
      expect(code(await t.gql(CREATE, { code: 'NO', name: 'x' }, as(user)))).toBe('FORBIDDEN');
    }
    expect(await t.orm.em.fork().count(Branch, { code: 'NO' })).toBe(0);
    expect(code(await t.gql('{ branches { id } }', undefined, 'anonymous'))).toBe(
      'UNAUTHENTICATED',
    );
  });
});
