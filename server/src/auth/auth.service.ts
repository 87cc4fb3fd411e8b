/**
 * Accounts: registration, login, the "me" view and the admin bootstrap. Tokens are stateless (see
 * tokens.ts); the database is consulted again wherever a stale token would be dangerous (admin role).
 */
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { DomainError } from '../domain-error';
import { ensureWallet, getWalletBalance } from '../ledger/transactions';
import { dummyVerify, hashPassword, isAcceptablePassword, needsRehash, verifyPassword } from './passwords';
import { createTokenService, type Role, type TokenClaims, type TokenService } from './tokens';
import { resolveTokenSecret } from './token-secret';
import { FairWorkGate, GateFullError } from './work-gate';
import { LoginLimiter, LoginThrottledError, memoryLoginStore, redisLoginStore } from './login-limits';
import type { Config } from '../config';
import { formatHouseAmount } from './house-unit';
import { isUuid } from '../persistence/uuid';
import {
  bumpTokenVersion,
  findPlayerById,
  findPlayerByUsername,
  insertPlayer,
  insertPlayerIfAbsent,
  setPasswordHash,
  type AuthPlayer,
} from '../persistence/player.repository';

/** Allowed usernames; the same rule as the CHECK constraint on player.username. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;

/** What register and login answer. */
export interface Session {
  token: string;
  playerId: string;
}

/** The GET /api/me view. */
export interface Me {
  playerId: string;
  username: string;
  role: Role;
  balance: string;
}


/** A token that is signed, unexpired and not revoked, with the player's current role and name from the database. */
export interface LiveSession {
  playerId: string;
  username: string;
  /** The role now in the database (a demoted admin is a player at once). */
  role: Role;
  /** The role the token was signed with. */
  tokenRole: Role;
  /** Unix seconds after which the token stops working. */
  expiresAt: number;
}

/** True when `value` looks like a player id, so malformed ids never reach a uuid-typed query. */
export { isUuid };

/** True for the unique violation on lower(username), i.e. the name exists in some letter case. */
function isUsernameTaken(error: unknown): boolean {
  const e = (error ?? {}) as { code?: unknown; constraint?: unknown; driverError?: { code?: unknown; constraint?: unknown } };
  const code = e.driverError?.code ?? e.code;
  const constraint = e.driverError?.constraint ?? e.constraint;
  return code === '23505' && constraint === 'player_username_lower_uq';
}

/** Registration, login and token checks over one DataSource and one token service. */
export class AuthService {
  // Four hashes at a time keeps libuv's default thread pool (4 threads) from being monopolised by
  // logins. Waiting hashes are served round-robin per client address, so one client's flood delays
  // another client's hash by at most one hash per waiting client; at most 64 wait per address (the
  // simulator registers its bots at once from one address) and 1024 in all (about 10 s of hashing).
  private readonly gate = new FairWorkGate(4, 64, 1024);

  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly logger: Logger,
    private readonly limiter: LoginLimiter = new LoginLimiter(memoryLoginStore()),
  ) {}

  /**
   * Creates a player (and their wallet) and signs them in; username_taken when the name exists in any
   * case. `address` is the client's address, for fair hashing.
   */
  async register(username: string, password: string, address = 'local'): Promise<Session> {
    if (!USERNAME_PATTERN.test(username)) throw new DomainError('invalid_payload', 'username must be 3..32 of A-Z a-z 0-9 _ . -');
    if (!isAcceptablePassword(password)) throw new DomainError('invalid_payload', 'password must be 8..200 characters');
    const passwordHash = await this.hashing(address, () => hashPassword(password));
    let id: string;
    try {
      // The player row and their wallet commit together, so there is never an account without a wallet.
      id = await this.dataSource.transaction(async (em) => {
        const playerId = await insertPlayer(em, { username, passwordHash, role: 'player' });
        await ensureWallet(em, playerId);
        return playerId;
      });
    } catch (error) {
      if (isUsernameTaken(error)) throw new DomainError('username_taken');
      throw error;
    }
    this.logger.info({ playerId: id }, 'player registered');
    return { token: this.tokens.sign(id, 'player'), playerId: id };
  }

  /**
   * Checks credentials; unknown usernames and wrong passwords get the same answer after the same work.
   * Attempts are throttled per client address and per account (see login-limits.ts): rate_limited with
   * a Retry-After header when this one must wait.
   */
  async login(username: string, password: string, address = 'local'): Promise<Session> {
    try {
      await this.limiter.admit(username, address);
    } catch (error) {
      if (!(error instanceof LoginThrottledError)) throw error;
      const seconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
      throw new DomainError('rate_limited', `Too many login attempts; retry in ${seconds} s.`, seconds);
    }
    const player = USERNAME_PATTERN.test(username) ? await this.findByUsername(username) : undefined;
    const ok = await this.hashing(address, () => (player ? verifyPassword(password, player.passwordHash) : dummyVerify(password)));
    if (!player || !ok) {
      await this.limiter.failed(username, address);
      throw new DomainError('unauthorized', 'Invalid username or password.');
    }
    await this.limiter.succeeded(username, address);
    if (needsRehash(player.passwordHash)) {
      await setPasswordHash(this.dataSource, player.id, await hashPassword(password));
    }
    return { token: this.tokens.sign(player.id, player.role, player.tokenVersion), playerId: player.id };
  }

  /** The signed-in player's profile and wallet balance; unauthorized when the player no longer exists. */
  async getMe(playerId: string): Promise<Me> {
    const player = await this.findById(playerId);
    if (!player) throw new DomainError('unauthorized');
    const balance = await getWalletBalance(this.dataSource, player.id);
    return { playerId: player.id, username: player.username, role: player.role, balance: formatHouseAmount(balance) };
  }

  /** Verifies a bearer token (for HTTP routes and the Socket.IO handshake); undefined when invalid or expired. */
  verifyToken(token: unknown): TokenClaims | undefined {
    return this.tokens.verify(token);
  }

  /**
   * Checks a token fully: signature and expiry, then that the player still exists and has not logged
   * out since it was signed (the token's version is the stored one). Undefined for anything else.
   */
  async session(token: unknown): Promise<LiveSession | undefined> {
    const claims = this.tokens.verify(token);
    if (!claims) return undefined;
    const player = await this.findById(claims.playerId);
    if (!player || player.tokenVersion !== claims.version) return undefined;
    return { playerId: player.id, username: player.username, role: player.role, tokenRole: claims.role, expiresAt: claims.expiresAt };
  }

  /** Revokes every token of the player by bumping their token version; false when the player does not exist. */
  async logout(playerId: string): Promise<boolean> {
    if (!isUuid(playerId)) return false;
    const bumped = await bumpTokenVersion(this.dataSource, playerId);
    this.logger.info({ playerId }, 'logged out: every token of the player revoked');
    return bumped;
  }

  /** True when a player with this id exists. */
  async playerExists(playerId: string): Promise<boolean> {
    return (await this.findById(playerId)) !== undefined;
  }

  /**
   * Makes sure the configured admin exists with the configured password. An existing *player* with that
   * name is never promoted: whoever registered it first would otherwise become admin on the next boot.
   */
  async ensureAdmin(username: string, password: string): Promise<{ playerId?: string; outcome: 'created' | 'updated' | 'unchanged' | 'refused' }> {
    if (!USERNAME_PATTERN.test(username)) throw new Error('ADMIN_USERNAME must be 3..32 of A-Z a-z 0-9 _ . -');
    const existing = await this.findByUsername(username);
    if (existing && existing.role !== 'admin') {
      this.logger.error({ username }, 'ADMIN_USERNAME belongs to a non-admin player; refusing to promote it');
      return { outcome: 'refused' };
    }
    if (existing) {
      if (await verifyPassword(password, existing.passwordHash)) {
        await ensureWallet(this.dataSource, existing.id);
        return { playerId: existing.id, outcome: 'unchanged' };
      }
      // The environment is the source of truth for the bootstrap admin, so rotating ADMIN_PASSWORD works.
      await setPasswordHash(this.dataSource, existing.id, await hashPassword(password));
      await ensureWallet(this.dataSource, existing.id);
      this.logger.info({ username }, 'admin password updated from ADMIN_PASSWORD');
      return { playerId: existing.id, outcome: 'updated' };
    }
    const inserted = await insertPlayerIfAbsent(this.dataSource, { username, passwordHash: await hashPassword(password), role: 'admin' });
    // Another process booting at the same moment may have inserted it; theirs is as good as ours.
    const id = inserted ?? (await this.findByUsername(username))?.id;
    if (!id) throw new Error('admin bootstrap: insert neither succeeded nor found an existing row');
    await ensureWallet(this.dataSource, id);
    this.logger.info({ username, playerId: id }, 'admin account created');
    return { playerId: id, outcome: 'created' };
  }

  /** Closes the login limiter's store (its Redis connection, if any). */
  close(): Promise<void> {
    return this.limiter.close();
  }

  /** Runs password hashing through the fair gate, queued under `address`; a full queue answers rate_limited at once. */
  private async hashing<T>(address: string, work: () => Promise<T>): Promise<T> {
    try {
      return await this.gate.run(address, work);
    } catch (error) {
      if (error instanceof GateFullError) {
        throw new DomainError('rate_limited', 'Too many sign-ins at once; try again shortly.', 1);
      }
      throw error;
    }
  }

  private async findByUsername(username: string): Promise<AuthPlayer | undefined> {
    return (await findPlayerByUsername(this.dataSource, username)) ?? undefined;
  }

  private async findById(playerId: string): Promise<AuthPlayer | undefined> {
    return (await findPlayerById(this.dataSource, playerId)) ?? undefined;
  }
}

/**
 * Builds the AuthService from configuration: resolves the token secret (see token-secret.ts) and the
 * token lifetime, and keeps login limits in Redis when REDIS_URL is set.
 */
export async function createAuthService(deps: { dataSource: DataSource; config: Config; logger: Logger }): Promise<AuthService> {
  const secret = resolveTokenSecret(deps.config, deps.logger);
  const tokens = createTokenService({ secret, ttlSeconds: deps.config.TOKEN_TTL_SECONDS });
  const store = deps.config.REDIS_URL ? await redisLoginStore(deps.config.REDIS_URL, deps.logger) : memoryLoginStore();
  return new AuthService(deps.dataSource, tokens, deps.logger, new LoginLimiter(store));
}
