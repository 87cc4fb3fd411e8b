import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 'x', c: null, e: undefined }] })).toBe('{"a":[2,{"c":null,"d":"x"}],"b":1}');
  });

  it('encodes the same content in any key order identically', () => {
    expect(canonicalJson({ ok: true, table: { seats: 2, id: 't' } })).toBe(canonicalJson({ table: { id: 't', seats: 2 }, ok: true }));
  });
});
