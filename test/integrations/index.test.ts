import { Platform } from '../../src/entities/enums';
import { isPlatformKey, platformModules } from '../../src/integrations';

test('platformModules is keyed by lower-case platform name', () => {
  expect(Object.keys(platformModules).sort()).toEqual([
    'lazada',
    'sendo',
    'shopee',
    'tiki',
    'tiktok',
  ]);
  expect(platformModules.lazada.platform).toBe(Platform.LAZADA);
  expect(platformModules.shopee.platform).toBe(Platform.SHOPEE);
  expect(platformModules.tiktok.platform).toBe(Platform.TIKTOK);
  expect(platformModules.sendo.platform).toBe(Platform.SENDO);
  expect(platformModules.tiki.platform).toBe(Platform.TIKI);
});

test('isPlatformKey accepts only the five keys', () => {
  expect(isPlatformKey('shopee')).toBe(true);
  expect(isPlatformKey('SHOPEE')).toBe(false);
  expect(isPlatformKey('facebook')).toBe(false);
  expect(isPlatformKey('toString')).toBe(false);
});

test('unsigned platforms do not verify without their configuration', () => {
  const body = Buffer.from('{}');
  for (const key of ['lazada', 'shopee', 'tiktok', 'sendo'] as const) {
    expect(platformModules[key].verify(body, { authorization: 'a'.repeat(64) }, {}).ok).toBe(false);
  }
});
