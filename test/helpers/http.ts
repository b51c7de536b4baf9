// One HTTP client for tests of the collector's surfaces: the REST API with
// a Bearer key, the partner JSON-RPC API with HTTP Basic, and the console as
// a browser would use it (login form token, session cookie, form CSRF token),
// without a browser.

export interface HttpAnswer {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

/** A REST call with a Bearer API key (null: none); the body is sent as JSON. */
export async function rest(baseUrl: string, key: string | null, method: string, path: string, body?: unknown): Promise<HttpAnswer> {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** Like rest, but throws unless the answer is 2xx; resolves with the body. */
export async function restOk(baseUrl: string, key: string, method: string, path: string, body?: unknown): Promise<any> {
  const r = await rest(baseUrl, key, method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
  return r.body;
}

export const basicAuth = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

/** One JSON-RPC 2.0 call to /api/v1.0/jsonrpc/{service}, HTTP Basic with the key as user name. */
export async function rpc(baseUrl: string, key: string | null, service: string, method: string, params?: unknown): Promise<HttpAnswer> {
  const res = await fetch(`${baseUrl}/api/v1.0/jsonrpc/${service}`, {
    method: 'POST',
    headers: { ...(key ? { authorization: basicAuth(key) } : {}), 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method, params, id: 'call-1' }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, text, headers: res.headers };
}

export const cookieOf = (res: Response, name: string) =>
  res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith(`${name}=`)) ?? null;

export interface ConsoleClient {
  /** The session cookie, "tally_console_session=...". */
  session: string;
  /** GET a console page with the session. */
  get(path: string): Promise<HttpAnswer>;
  /** POST a console form (the session's CSRF token is added). */
  post(path: string, fields: Record<string, string>): Promise<HttpAnswer>;
  /** The stable error code an error page shows, or 'ok' for a 2xx page. */
  codeOf(answer: HttpAnswer): string;
}

/** Signs in to the console with an API key, as the login form does (only while no user exists: bootstrap). */
export const consoleSession = (baseUrl: string, key: string): Promise<ConsoleClient> => consoleSignIn(baseUrl, { key });

/** Signs in to the console as a user with an e-mail address and password (a user with no further step to take). */
export const userConsoleSession = (baseUrl: string, email: string, password: string): Promise<ConsoleClient> => consoleSignIn(baseUrl, { email, password });

/** The login form's token and cookie, as a browser gets them. */
export async function loginForm(baseUrl: string): Promise<{ cookie: string; token: string; html: string }> {
  const form = await fetch(`${baseUrl}/console/login`);
  const html = await form.text();
  return { cookie: cookieOf(form, 'tally_console_login')!, token: /name="_csrf" value="([^"]+)"/.exec(html)![1], html };
}

/** Posts the login form with these fields; the answer (303 on success) and the session cookie it set, if any. */
export async function postLogin(baseUrl: string, fields: Record<string, string>): Promise<{ res: Response; session: string | null }> {
  const { cookie, token } = await loginForm(baseUrl);
  const res = await fetch(`${baseUrl}/console/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ ...fields, _csrf: token, next: '/console/companies' }),
  });
  return { res, session: cookieOf(res, 'tally_console_session') };
}

/** A console client for a session cookie ("tally_console_session=..."), e.g. one made on another collector. */
export async function consoleClient(baseUrl: string, session: string): Promise<ConsoleClient> {
  const home = await fetch(`${baseUrl}/console/companies`, { headers: { cookie: session }, redirect: 'manual' });
  if (home.status !== 200) throw new Error(`console session not accepted: ${home.status} ${home.headers.get('location') ?? ''}`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())![1];
  const answer = async (r: Response): Promise<HttpAnswer> => ({ status: r.status, body: null, text: await r.text(), headers: r.headers });
  return {
    session,
    get: async (path) => answer(await fetch(`${baseUrl}${path}`, { headers: { cookie: session }, redirect: 'manual' })),
    post: async (path, fields) => answer(await fetch(`${baseUrl}${path}`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session },
      body: new URLSearchParams({ ...fields, _csrf: csrf }),
    })),
    codeOf: (a) => (a.status < 300 ? 'ok' : /id="error-code">([a-z_]+)</.exec(a.text)?.[1] ?? `http_${a.status}`),
  };
}

async function consoleSignIn(baseUrl: string, fields: Record<string, string>): Promise<ConsoleClient> {
  const { res, session } = await postLogin(baseUrl, fields);
  if (res.status !== 303 || !session) throw new Error(`console login failed: ${res.status} ${res.headers.get('location') ?? ''}`);
  if (res.headers.get('location') !== '/console/companies') throw new Error(`console login has a step to take: ${res.headers.get('location')}`);
  return consoleClient(baseUrl, session);
}
