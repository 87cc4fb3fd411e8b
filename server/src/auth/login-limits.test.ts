import { LOGIN_POLICY, LoginLimiter, LoginThrottledError, blockedForMs, memoryLoginStore } from './login-limits';

/** The wait the limiter asks for, or 0 when the attempt is admitted. */
async function waitOf(limiter: LoginLimiter, username: string, address: string): Promise<number> {
  try {
    await limiter.admit(username, address);
    return 0;
  } catch (error) {
    if (error instanceof LoginThrottledError) return error.retryAfterMs;
    throw error;
  }
}

describe('LoginLimiter', () => {
  let nowMs: number;
  let limiter: LoginLimiter;
  beforeEach(() => {
    // Start of a minute, so the per-address window does not roll over in the middle of a test by accident.
    nowMs = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);
    limiter = new LoginLimiter(memoryLoginStore(() => nowMs), () => nowMs);
  });

  it('backs off exponentially after a few failures of one account from one address', async () => {
    const free = LOGIN_POLICY.freeFailuresPerAddressAndAccount;
    for (let i = 0; i < free; i++) {
      expect(await waitOf(limiter, 'Victim', '10.0.0.1')).toBe(0);
      await limiter.failed('Victim', '10.0.0.1');
    }
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const wait = await waitOf(limiter, 'victim', '10.0.0.1');
      waits.push(wait);
      nowMs += wait;
      expect(await waitOf(limiter, 'victim', '10.0.0.1')).toBe(0);
      await limiter.failed('victim', '10.0.0.1');
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000]);
    // Another address is not slowed down by these failures (the account-wide threshold is higher).
    expect(await waitOf(limiter, 'victim', '10.0.0.2')).toBe(0);
  });

  it('the account-wide backoff spares addresses the account logged in from, so it cannot lock the owner out', async () => {
    await limiter.succeeded('owner', '192.168.1.10');
    for (let i = 0; i < LOGIN_POLICY.freeFailuresPerAccount + 5; i++) await limiter.failed('owner', `203.0.113.${i}`);
    expect(await waitOf(limiter, 'owner', '198.51.100.7')).toBeGreaterThan(0);
    expect(await waitOf(limiter, 'owner', '192.168.1.10')).toBe(0);
    await limiter.succeeded('owner', '192.168.1.10');
    expect(await waitOf(limiter, 'owner', '198.51.100.7')).toBe(0);
  });

  it('caps attempts per address per minute whatever the usernames, and not for other addresses', async () => {
    for (let i = 0; i < LOGIN_POLICY.attemptsPerAddressPerMinute; i++) expect(await waitOf(limiter, `user${i}`, '10.9.9.9')).toBe(0);
    expect(await waitOf(limiter, 'someone', '10.9.9.9')).toBe(60_000);
    expect(await waitOf(limiter, 'someone', '10.9.9.8')).toBe(0);
    nowMs += 60_000;
    expect(await waitOf(limiter, 'someone', '10.9.9.9')).toBe(0);
  });

  it('never waits longer than the cap, however many failures', () => {
    expect(blockedForMs({ count: 10_000, lastMs: 0 }, 5, 0)).toBe(LOGIN_POLICY.maxBackoffMs);
    expect(blockedForMs({ count: 4, lastMs: 0 }, 5, 0)).toBe(0);
  });
});
