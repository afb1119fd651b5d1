import { collectYoungGeneration, YoungGenerationPacer } from '../src/exports/young-generation';

describe('young generation collections during exports', () => {
  test('the pacer collects once per `everyBytes` passed, not per chunk', () => {
    let collections = 0;
    const pacer = new YoungGenerationPacer(1024 * 1024, () => (collections += 1));
    for (let i = 0; i < 35; i += 1) pacer.passed(100 * 1024);
    expect(collections).toBe(3);
  });

  test('a collection can be asked for in a process started without --expose-gc', () => {
    expect(() => {
      collectYoungGeneration();
      collectYoungGeneration();
    }).not.toThrow();
  });
});
