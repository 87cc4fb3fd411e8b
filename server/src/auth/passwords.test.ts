import { dummyVerify, hashPassword, MAX_PASSWORD_LENGTH, needsRehash, verifyPassword } from './passwords';

// Cheap parameters keep the unit tests fast; the format and comparison logic are the same.
const FAST = { N: 1024, r: 8, p: 1 };

describe('password hashing', () => {
  it('stores scrypt$N$r$p$salt$hash and verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery', FAST);
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('uses a fresh salt for every hash', async () => {
    const a = await hashPassword('same password', FAST);
    const b = await hashPassword('same password', FAST);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
  });

  it('refuses passwords outside 8..200 characters', async () => {
    await expect(hashPassword('short', FAST)).rejects.toThrow(RangeError);
    await expect(hashPassword('x'.repeat(MAX_PASSWORD_LENGTH + 1), FAST)).rejects.toThrow(RangeError);
    await expect(hashPassword('x'.repeat(MAX_PASSWORD_LENGTH), FAST)).resolves.toMatch(/^scrypt\$/);
  });

  it('verifies malformed or hostile stored hashes as false without throwing', async () => {
    const good = await hashPassword('password123', FAST);
    const [, , r, p, salt, key] = good.split('$');
    for (const bad of [
      '',
      'bcrypt$10$abc',
      `scrypt$1000$${r}$${p}$${salt}$${key}`, // N not a power of two
      `scrypt$${2 ** 24}$${r}$${p}$${salt}$${key}`, // N far too large: would allocate gigabytes
      `scrypt$1024$${r}$${p}$${salt}$not*base64`,
      `scrypt$1024$${r}$${p}$${salt}`,
    ]) {
      await expect(verifyPassword('password123', bad)).resolves.toBe(false);
    }
  });

  it('flags hashes weaker than the default parameters for rehashing', async () => {
    expect(needsRehash(await hashPassword('password123', FAST))).toBe(true);
    expect(needsRehash(await hashPassword('password123'))).toBe(false);
  });

  it('dummyVerify always answers false', async () => {
    await expect(dummyVerify('anything at all')).resolves.toBe(false);
  });
});
