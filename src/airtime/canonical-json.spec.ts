import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members, so equal values give equal text', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('writes strings and numbers as JSON does', () => {
    expect(canonicalJson('Thôn "Phú Mỹ"\n')).toBe(JSON.stringify('Thôn "Phú Mỹ"\n'));
    expect(canonicalJson([1e21, -0, 0.1])).toBe('[1e+21,0,0.1]');
  });
});
