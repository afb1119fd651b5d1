import request from 'supertest';
import { hashPassword } from '../src/auth/password';
import { AuditLog, PasswordResetToken, User } from '../src/entities';
import { Role } from '../src/entities/enums';
import { factories } from './support/factories';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/test-app';
import { subscriber, waitFor, waitForSubscriptions } from './support/ws';

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

const code = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.code;
const as = (user: { id: string }) => ({ token: t.tokenFor(user) });
const auditOf = (entityId: string) =>
  t.orm.em
    .fork()
    .find(AuditLog, { entityId }, { orderBy: { createdAt: 'asc' } })
    .then((rows) => rows.map((r) => r.action));

async function login(
  email: string,
  password: string,
): Promise<GraphQLResponse<{ login: { token: string } }>> {
  const res = await request(t.app.httpServer)
    .post('/graphql')
    .set('content-type', 'application/json')
    .send({
      query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      variables: { e: email, p: password },
    });
  return res.body as GraphQLResponse<{ login: { token: string } }>;
}

const me = (token: string) => t.gql<{ me: { id: string } }>('{ me { id } }', undefined, { token });

type CreateUser = {
  createUser: {
    user: { id: string; email: string; role: string; branches: { id: string }[] };
    setPasswordToken: { token: string; expiresAt: string } | null;
  };
};
const CREATE_USER = `mutation($input: CreateUserInput!) {
  createUser(input: $input) { user { id email role branches { id } } setPasswordToken { token expiresAt } }
}`;
const UPDATE_USER = `mutation($id: ID!, $input: UpdateUserInput!) {
  updateUser(id: $id, input: $input) { id fullName role active branches { id } }
}`;

describe('createUser', () => {
  test('with a password: the user signs in with it; the e-mail is stored in lower case; audited', async () => {
    const branch = await make.branch();
    const res = await t.gql<CreateUser>(CREATE_USER, {
      input: {
        email: ' Mai.Pham@Shop.VN ',
        fullName: 'Phạm Mai',
        role: 'TELESALES',
        branchIds: [branch.id],
        password: 'a long enough password',
      },
    });
    expect(res.errors).toBeUndefined();
    const { user, setPasswordToken } = res.data!.createUser;
    expect(user).toMatchObject({
      email: 'mai.pham@shop.vn',
      role: 'TELESALES',
      branches: [{ id: branch.id }],
    });
    expect(setPasswordToken).toBeNull();
    const signedIn = await login('mai.pham@shop.vn', 'a long enough password');
    expect(signedIn.errors).toBeUndefined();
    expect((await me(signedIn.data!.login.token)).data!.me.id).toBe(user.id);
    expect(await auditOf(user.id)).toContain('user_created');
  });

  test('without a password: a one-time token lets the user choose theirs, once', async () => {
    const res = await t.gql<CreateUser>(CREATE_USER, {
      input: {
        email: 'no.password@shop.vn',
        fullName: 'Chưa có mật khẩu',
        role: 'CUSTOMER_SERVICE',
      },
    });
    expect(res.errors).toBeUndefined();
    const { user, setPasswordToken } = res.data!.createUser;
    const expiresIn = Date.parse(setPasswordToken!.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(23 * 3600_000);
    expect(expiresIn).toBeLessThanOrEqual(24 * 3600_000);
    // Nothing works before the token is redeemed.
    expect(code(await login('no.password@shop.vn', '!'))).toBe('UNAUTHENTICATED');

    const set = (token: string, newPassword: string) =>
      t.gql<{ setPasswordWithToken: boolean }>(
        'mutation($t: String!, $p: String!) { setPasswordWithToken(token: $t, newPassword: $p) }',
        { t: token, p: newPassword },
        'anonymous',
      );
    expect(code(await set(setPasswordToken!.token, 'short'))).toBe('BAD_USER_INPUT');
    const ok = await set(setPasswordToken!.token, 'my very own password');
    expect(ok.data).toEqual({ setPasswordWithToken: true });
    expect((await login('no.password@shop.vn', 'my very own password')).errors).toBeUndefined();
    const again = await set(setPasswordToken!.token, 'another password here');
    expect(code(again)).toBe('BAD_USER_INPUT');
    expect(again.errors![0]!.message).toMatch(/not valid, was already used or has expired/);
    expect(await auditOf(user.id)).toEqual([
      'user_created',
      'password_reset_issued',
      'login_failed',
      'password_reset_used',
      'login',
    ]);
  });

  test('a taken e-mail is CONFLICT whatever its case; bad input is refused; nothing is written', async () => {
    const existing = await make.user({ email: 'taken@shop.vn' });
    const dup = await t.gql(CREATE_USER, {
      input: { email: 'TAKEN@shop.vn', fullName: 'x', role: 'TELESALES' },
    });
    expect(code(dup)).toBe('CONFLICT');
    expect(dup.errors![0]!.extensions).toMatchObject({ existingUserId: existing.id });

    const refused: [Record<string, unknown>, string, string][] = [
      [{ email: 'not an e-mail' }, 'BAD_USER_INPUT', 'email'],
      [{ password: 'too short' }, 'BAD_USER_INPUT', 'password'],
      [{ role: 'PARTNER' }, 'BAD_USER_INPUT', 'role'],
      [{ fullName: '  ' }, 'BAD_USER_INPUT', 'fullName'],
      [{ branchIds: ['00000000-0000-4000-8000-000000000000'] }, 'NOT_FOUND', ''],
    ];
    for (const [override, errorCode, field] of refused) {
      const res = await t.gql(CREATE_USER, {
        input: { email: 'refused@shop.vn', fullName: 'x', role: 'TELESALES', ...override },
      });
      expect({ override, code: code(res) }).toEqual({ override, code: errorCode });
      if (field) expect(res.errors![0]!.extensions!.field).toBe(field);
    }
    expect(await t.orm.em.fork().count(User, { email: 'refused@shop.vn' })).toBe(0);
  });

  test('only an admin creates users', async () => {
    const leader = await make.user({ role: Role.TELESALES_LEADER });
    const res = await t.gql(
      CREATE_USER,
      { input: { email: 'by.leader@shop.vn', fullName: 'x', role: 'TELESALES' } },
      as(leader),
    );
    expect(code(res)).toBe('FORBIDDEN');
  });
});

describe('users', () => {
  test('filters by role, branch, active and search; a leader sees only their team; staff none', async () => {
    const branch = await make.branch();
    const marker = `flt${Date.now()}`;
    const ts = await make.user({ role: Role.TELESALES, fullName: `${marker} Telesales` });
    const cs = await make.user({ role: Role.CUSTOMER_SERVICE, fullName: `${marker} CS` });
    const off = await make.user({ role: Role.TELESALES, fullName: `${marker} Off`, active: false });
    await t.gql(UPDATE_USER, { id: ts.id, input: { branchIds: [branch.id] } });
    const list = async (filter: Record<string, unknown>, viewer = { token: t.adminToken }) => {
      const res = await t.gql<{ users: { totalCount: number; edges: { node: { id: string } }[] } }>(
        'query($f: UserFilter) { users(filter: $f) { totalCount edges { node { id } } } }',
        { f: { search: marker, ...filter } },
        viewer,
      );
      expect(res.errors).toBeUndefined();
      return res.data!.users.edges.map((e) => e.node.id).sort();
    };
    expect(await list({})).toEqual([ts.id, cs.id, off.id].sort());
    expect(await list({ roles: ['TELESALES'] })).toEqual([ts.id, off.id].sort());
    expect(await list({ branchId: branch.id })).toEqual([ts.id]);
    expect(await list({ active: false })).toEqual([off.id]);
    expect(await list({ search: ts.email.toUpperCase() })).toEqual([ts.id]);

    const tsLeader = await make.user({ role: Role.TELESALES_LEADER });
    expect(await list({}, as(tsLeader))).toEqual([ts.id, off.id].sort());
    const staff = await make.user({ role: Role.TELESALES });
    expect(code(await t.gql('{ users { totalCount } }', undefined, as(staff)))).toBe('FORBIDDEN');
  });
});

describe('updateUser', () => {
  test('changes name, role and branches, audited with what changed', async () => {
    const [a, b] = [await make.branch(), await make.branch()];
    const user = await make.user({ role: Role.TELESALES });
    const res = await t.gql<{ updateUser: Record<string, unknown> }>(UPDATE_USER, {
      id: user.id,
      input: { fullName: 'Tên mới', role: 'TELESALES_LEADER', branchIds: [a.id, b.id] },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateUser).toMatchObject({
      fullName: 'Tên mới',
      role: 'TELESALES_LEADER',
      active: true,
    });
    expect((res.data!.updateUser.branches as { id: string }[]).map((x) => x.id).sort()).toEqual(
      [a.id, b.id].sort(),
    );
    const [row] = await t.orm.em
      .fork()
      .find(AuditLog, { entityId: user.id, action: 'user_updated' });
    expect(row!.data).toMatchObject({
      changes: {
        fullName: { from: user.fullName, to: 'Tên mới' },
        role: { from: 'TELESALES', to: 'TELESALES_LEADER' },
        branchIds: { from: [], to: expect.arrayContaining([a.id, b.id]) },
      },
    });
    expect(row!.actor!.id).toBe(t.admin.id);
  });

  test("deactivating ends the user's sessions at once, open subscriptions too", async () => {
    const user = await make.user({ role: Role.TELESALES });
    const token = t.tokenFor(user);
    const baseline = t.bus.activeSubscriptions;
    const ws = subscriber(t.wsUrl, { authorization: `Bearer ${token}` });
    const sub = ws.subscribe('subscription { ticketChanged { action } }');
    await waitForSubscriptions(t.bus, baseline, 1);
    const res = await t.gql(UPDATE_USER, { id: user.id, input: { active: false } });
    expect(res.errors).toBeUndefined();
    await waitFor(() => sub.error !== undefined || sub.completed);
    expect(code(await me(token))).toBe('UNAUTHENTICATED');
    expect(await auditOf(user.id)).toEqual(['user_updated', 'user_deactivated']);
    await ws.client.dispose();
  });

  test('an admin cannot demote or deactivate themselves (so an admin always remains)', async () => {
    for (const input of [{ role: 'BOD' }, { active: false }]) {
      const res = await t.gql(UPDATE_USER, { id: t.admin.id, input });
      expect(code(res)).toBe('BAD_USER_INPUT');
    }
    const stored = await t.orm.em.fork().findOneOrFail(User, t.admin.id);
    expect([stored.role, stored.active]).toEqual([Role.ADMIN, true]);
  });

  test('unknown user NOT_FOUND, unknown branch NOT_FOUND, PARTNER role BAD_USER_INPUT; nothing changes', async () => {
    const user = await make.user({ role: Role.TELESALES });
    expect(
      code(
        await t.gql(UPDATE_USER, {
          id: '00000000-0000-4000-8000-000000000000',
          input: { fullName: 'x' },
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(
      code(
        await t.gql(UPDATE_USER, {
          id: user.id,
          input: { fullName: 'x', branchIds: ['00000000-0000-4000-8000-000000000000'] },
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(code(await t.gql(UPDATE_USER, { id: user.id, input: { role: 'PARTNER' } }))).toBe(
      'BAD_USER_INPUT',
    );
    const stored = await t.orm.em.fork().findOneOrFail(User, user.id);
    expect(stored.fullName).toBe(user.fullName);
    expect(stored.role).toBe(Role.TELESALES);
  });
});

describe('resetPassword', () => {
  test('an admin gets a one-time token; redeeming it sets the password and ends every session', async () => {
    const user = await make.user({ passwordHash: await hashPassword('the old password') });
    const oldSession = t.tokenFor(user);
    const issued = await t.gql<{ resetPassword: { token: string; expiresAt: string } }>(
      'mutation($id: ID!) { resetPassword(userId: $id) { token expiresAt } }',
      { id: user.id },
    );
    expect(issued.errors).toBeUndefined();
    // The old password and sessions work until the token is redeemed.
    expect((await me(oldSession)).errors).toBeUndefined();
    const stored = await t.orm.em.fork().find(PasswordResetToken, { user: user.id });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).not.toContain(issued.data!.resetPassword.token);

    const redeemed = await t.gql(
      'mutation($t: String!) { setPasswordWithToken(token: $t, newPassword: "the new password") }',
      { t: issued.data!.resetPassword.token },
      'anonymous',
    );
    expect(redeemed.errors).toBeUndefined();
    expect(code(await me(oldSession))).toBe('UNAUTHENTICATED');
    expect(code(await login(user.email, 'the old password'))).toBe('UNAUTHENTICATED');
    expect((await login(user.email, 'the new password')).errors).toBeUndefined();
  });

  test('a new token replaces the previous one; an expired token is refused', async () => {
    const user = await make.user();
    const reset = () =>
      t.gql<{ resetPassword: { token: string } }>(
        'mutation($id: ID!) { resetPassword(userId: $id) { token } }',
        { id: user.id },
      );
    const first = (await reset()).data!.resetPassword.token;
    const second = (await reset()).data!.resetPassword.token;
    const redeem = (token: string) =>
      t.gql(
        'mutation($t: String!) { setPasswordWithToken(token: $t, newPassword: "a fresh password") }',
        { t: token },
        'anonymous',
      );
    expect(code(await redeem(first))).toBe('BAD_USER_INPUT');
    await t.orm.em
      .fork()
      .nativeUpdate(
        PasswordResetToken,
        { user: user.id },
        { expiresAt: new Date(Date.now() - 1000) },
      );
    expect(code(await redeem(second))).toBe('BAD_USER_INPUT');
    expect(await auditOf(user.id)).toEqual(['password_reset_issued', 'password_reset_issued']);
  });

  test('unknown user NOT_FOUND; only admins reset', async () => {
    expect(
      code(
        await t.gql('mutation($id: ID!) { resetPassword(userId: $id) { token } }', {
          id: '00000000-0000-4000-8000-000000000000',
        }),
      ),
    ).toBe('NOT_FOUND');
    const it = await make.user({ role: Role.IT });
    expect(
      code(
        await t.gql(
          'mutation($id: ID!) { resetPassword(userId: $id) { token } }',
          { id: it.id },
          as(it),
        ),
      ),
    ).toBe('FORBIDDEN');
  });
});

describe('changePassword', () => {
  const CHANGE =
    'mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) { token user { id } } }';

  test('needs the old password; ends the other sessions and open streams; the answer signs this client in', async () => {
    const user = await make.user({
      role: Role.TELESALES,
      passwordHash: await hashPassword('my current password'),
    });
    const session = t.tokenFor(user);
    const otherDevice = t.tokenFor(user);
    const baseline = t.bus.activeSubscriptions;
    const ws = subscriber(t.wsUrl, { authorization: `Bearer ${otherDevice}` });
    const sub = ws.subscribe('subscription { ticketChanged { action } }');
    await waitForSubscriptions(t.bus, baseline, 1);

    const wrong = await t.gql(
      CHANGE,
      { o: 'not my password', n: 'a new password!' },
      { token: session },
    );
    expect(code(wrong)).toBe('BAD_USER_INPUT');
    expect(wrong.errors![0]!.extensions!.field).toBe('oldPassword');
    expect(
      code(await t.gql(CHANGE, { o: 'my current password', n: 'short' }, { token: session })),
    ).toBe('BAD_USER_INPUT');
    expect((await me(otherDevice)).errors).toBeUndefined();

    const changed = await t.gql<{ changePassword: { token: string; user: { id: string } } }>(
      CHANGE,
      { o: 'my current password', n: 'a new password!' },
      { token: session },
    );
    expect(changed.errors).toBeUndefined();
    await waitFor(() => sub.error !== undefined || sub.completed);
    expect(code(await me(otherDevice))).toBe('UNAUTHENTICATED');
    expect(code(await me(session))).toBe('UNAUTHENTICATED');
    expect((await me(changed.data!.changePassword.token)).data!.me.id).toBe(user.id);
    expect((await login(user.email, 'a new password!')).errors).toBeUndefined();
    expect(await auditOf(user.id)).toEqual(['password_change_failed', 'password_changed', 'login']);
    await ws.client.dispose();
  });

  test('anonymous callers and partner keys cannot call it', async () => {
    const res = await t.gql(CHANGE, { o: 'x', n: 'long enough new one' }, 'anonymous');
    expect(code(res)).toBe('UNAUTHENTICATED');
  });
});
