/** Helpers of the sandbox tests: real loopback HTTP with undici, no mocks. */
import { request } from 'undici';
import { afterEach } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type RunningSandbox, type SandboxOptions } from '../../provider/sandbox/index.js';

export const ADMIN = '/admin/2017-09-01';
export const BILLING = '/billing/2019-03-01';
export const AUTH = '/auth/2017-09-01';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

export async function sandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const s = await startSandbox({ seed: 'demo', ...options });
  closers.push(() => s.close());
  return s;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  text: string;
}

/** Calls the sandbox. `p` is a path (joined to `s.url`) or an absolute URL. */
export async function call(
  s: RunningSandbox,
  method: string,
  p: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const target = p.startsWith('http') ? p : `${s.url}${p}`;
  const hasBody = opts.body !== undefined || opts.rawBody !== undefined;
  const res = await request(target, {
    method: method as 'GET',
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    ...(hasBody ? { body: opts.rawBody ?? JSON.stringify(opts.body) } : {}),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: text ? JSON.parse(text) : undefined, text };
}

/** POST /token with a form body. */
export async function token(s: RunningSandbox, form: Record<string, string>): Promise<Reply> {
  const res = await request(`${s.authUrl}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: text ? JSON.parse(text) : undefined, text };
}

/** The access token of a password login (default: the demo partner admin). */
export async function login(s: RunningSandbox, username: string = DEMO_CREDENTIALS.username, password: string = DEMO_CREDENTIALS.password): Promise<string> {
  const r = await token(s, { grant_type: 'password', username, password });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
  return r.json.access_token as string;
}

export const q = (filter: string): string => `$filter=${encodeURIComponent(filter)}`;
