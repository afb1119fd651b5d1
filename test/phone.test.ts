import { normalizePhone, phoneSpellings } from '../src/services/customers/phone';

test.each([
  ['0912 345 678', '+84912345678'],
  ['+84 912-345-678', '+84912345678'],
  ['84912345678', '+84912345678'],
  ['0912.345.678', '+84912345678'],
  ['028 3822 1234', '+842838221234'],
])('%s is %s', (raw, e164) => {
  expect(normalizePhone(raw)).toBe(e164);
});

test.each([['******78'], ['091******8'], [''], ['12345'], [null], [undefined]])(
  '%p identifies no one',
  (raw) => {
    expect(normalizePhone(raw)).toBeNull();
  },
);

test('the spellings an old row may hold, for an exact lookup', () => {
  expect(phoneSpellings('+84912345678')).toEqual(['+84912345678', '84912345678', '0912345678']);
});
