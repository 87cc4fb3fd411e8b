/**
 * Account routes: register, login, logout and "me". The helpers that turn a bearer token into a caller
 * live in route-kit.ts, which every route module (and the Socket.IO handshake) shares.
 */
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../auth/passwords';
import { HttpError, type Router } from './router';
import { authenticateSession, clientAddress, parseBody, type RouteDeps } from './route-kit';

const registerSchema = z
  .object({
    username: z.string().max(64),
    password: z.string().max(MAX_PASSWORD_LENGTH),
  })
  .strict();

const loginSchema = z
  .object({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  })
  .strict();

const emptySchema = z.object({}).strict();

/** Registers POST /api/auth/register, POST /api/auth/login, POST /api/auth/logout and GET /api/me. */
export function registerAuthRoutes(router: Router, deps: RouteDeps): void {
  const { auth } = deps;
  router.on('POST', '/api/auth/register', async (ctx) => {
    const { username, password } = parseBody(registerSchema, ctx.body);
    const session = await auth.register(username, password, clientAddress(ctx.req));
    ctx.log.info({ playerId: session.playerId }, 'register');
    return { status: 201, json: session };
  });
  router.on('POST', '/api/auth/login', async (ctx) => {
    const { username, password } = parseBody(loginSchema, ctx.body);
    return { json: await auth.login(username, password, clientAddress(ctx.req)) };
  });
  router.on('POST', '/api/auth/logout', async (ctx) => {
    parseBody(emptySchema, ctx.body ?? {});
    const caller = await authenticateSession(auth, ctx);
    // Bumping the token version revokes this token and every other one the player holds; their open
    // sockets are closed as well, since they were authorised by one of those tokens.
    if (!(await auth.logout(caller.playerId))) throw new HttpError('unauthorized');
    await deps.onLogout?.(caller.playerId);
    ctx.log.info({ playerId: caller.playerId }, 'logout');
    return { json: { loggedOut: true } };
  });
  router.on('GET', '/api/me', async (ctx) => {
    const caller = await authenticateSession(auth, ctx);
    return { json: await auth.getMe(caller.playerId) };
  });
}
