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

const cookieOf = (res: Response, name: string) =>
  res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith(`${name}=`)) ?? null;

export interface ConsoleClient {
  /** GET a console page with the session. */
  get(path: string): Promise<HttpAnswer>;
  /** POST a console form (the session's CSRF token is added). */
  post(path: string, fields: Record<string, string>): Promise<HttpAnswer>;
  /** The stable error code an error page shows, or 'ok' for a 2xx page. */
  codeOf(answer: HttpAnswer): string;
}

/** Signs in to the console with an API key, as the login form does. */
export async function consoleSession(baseUrl: string, key: string): Promise<ConsoleClient> {
  const form = await fetch(`${baseUrl}/console/login`);
  const loginCookie = cookieOf(form, 'tally_console_login')!;
  const loginToken = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
  const res = await fetch(`${baseUrl}/console/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie },
    body: new URLSearchParams({ key, _csrf: loginToken, next: '/console/companies' }),
  });
  if (res.status !== 303) throw new Error(`console login failed: ${res.status}`);
  const session = cookieOf(res, 'tally_console_session')!;
  const home = await fetch(`${baseUrl}/console/companies`, { headers: { cookie: session } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())![1];
  const answer = async (r: Response): Promise<HttpAnswer> => ({ status: r.status, body: null, text: await r.text(), headers: r.headers });
  return {
    get: async (path) => answer(await fetch(`${baseUrl}${path}`, { headers: { cookie: session }, redirect: 'manual' })),
    post: async (path, fields) => answer(await fetch(`${baseUrl}${path}`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session },
      body: new URLSearchParams({ ...fields, _csrf: csrf }),
    })),
    codeOf: (a) => (a.status < 300 ? 'ok' : /id="error-code">([a-z_]+)</.exec(a.text)?.[1] ?? `http_${a.status}`),
  };
}
