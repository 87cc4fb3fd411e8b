/** Small fetch wrappers for integration tests: JSON in, status and parsed JSON out. */

/** A parsed HTTP answer. */
export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** Sends `body` (serialised unless it is already a string) with an optional bearer token. */
export async function request<T = Record<string, unknown>>(
  method: 'GET' | 'POST',
  url: string,
  options: { body?: unknown; token?: string; rawBody?: string } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const res = await fetch(url, { method, headers, body: payload });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Registers a player and returns their token and id; fails the test if registration fails. */
export async function registerPlayer(baseUrl: string, username: string, password = 'password-123'): Promise<{ token: string; playerId: string }> {
  const res = await request<{ token: string; playerId: string }>('POST', `${baseUrl}/api/auth/register`, { body: { username, password } });
  if (res.status !== 201) throw new Error(`register ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Logs in and returns the token; fails the test if login fails. */
export async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await request<{ token: string }>('POST', `${baseUrl}/api/auth/login`, { body: { username, password } });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}
