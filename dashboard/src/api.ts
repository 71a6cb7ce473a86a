// The API client. The access token lives only in this module's memory; the refresh token
// is kept in sessionStorage (this tab only, gone when it closes) so a reload does not sign
// the owner out. Tokens are refreshed a minute before they expire and once more on a 401.
// Errors are RFC 9457 problem+json from the API; their `detail` is shown as is.

export type Session = { role: string; tenant_id: string; email?: string };

type TokenResponse = {
  access_token: string;
  expires_in: number;
  refresh_token: string;
  role: string;
  tenant_id: string;
};

const REFRESH_KEY = "frontline.refresh";

let base = "";
let access: string | null = null;
let timer: number | undefined;
let onSignedOut: () => void = () => {};

/** An API failure with the problem's status and detail. */
export class ApiError extends Error {
  constructor(
    public status: number,
    public detail: string,
  ) {
    super(detail);
  }
}

/** Reads `config.json` (`{"api_base": "https://…"}`; empty means this origin). */
export async function configure(signedOut: () => void): Promise<void> {
  onSignedOut = signedOut;
  try {
    const r = await fetch("./config.json", { cache: "no-store" });
    if (r.ok) base = ((await r.json()).api_base ?? "").replace(/\/$/, "");
  } catch {
    base = "";
  }
}

function keep(t: TokenResponse): Session {
  access = t.access_token;
  sessionStorage.setItem(REFRESH_KEY, t.refresh_token);
  window.clearTimeout(timer);
  timer = window.setTimeout(() => void refresh(), Math.max(10, t.expires_in - 60) * 1000);
  return { role: t.role, tenant_id: t.tenant_id };
}

async function problem(r: Response): Promise<ApiError> {
  let detail = `${r.status} ${r.statusText}`;
  try {
    const p = await r.json();
    if (p && typeof p.detail === "string") detail = p.detail;
  } catch {
    /* not JSON */
  }
  return new ApiError(r.status, detail);
}

export async function signIn(email: string, password: string): Promise<Session> {
  const r = await fetch(`${base}/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!r.ok) throw await problem(r);
  return keep(await r.json());
}

let refreshing: Promise<Session | null> | null = null;

/** Trades the stored refresh token for new tokens; `null` when the session is over. */
export function refresh(): Promise<Session | null> {
  refreshing ??= (async () => {
    const token = sessionStorage.getItem(REFRESH_KEY);
    if (!token) return null;
    try {
      const r = await fetch(`${base}/v1/auth/refresh`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refresh_token: token }),
      });
      if (!r.ok) {
        forget();
        onSignedOut();
        return null;
      }
      return keep(await r.json());
    } catch {
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

function forget() {
  access = null;
  window.clearTimeout(timer);
  sessionStorage.removeItem(REFRESH_KEY);
}

export async function signOut(): Promise<void> {
  const token = sessionStorage.getItem(REFRESH_KEY);
  forget();
  if (token) {
    await fetch(`${base}/v1/auth/logout`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refresh_token: token }),
    }).catch(() => undefined);
  }
  onSignedOut();
}

/** Calls the API with the bearer token; retries once after a silent refresh on 401. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await authed(method, path, body);
  return r.status === 204 ? (undefined as T) : ((await r.json()) as T);
}

/** Fetches a file the API serves (a CSV export) as a Blob, signed in like [`api`]. */
export async function download(path: string): Promise<Blob> {
  return (await authed("GET", path)).blob();
}

/** The response of an authorised call; a problem+json answer is thrown as [`ApiError`]. */
async function authed(method: string, path: string, body?: unknown): Promise<Response> {
  const send = () =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${access ?? ""}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  let r = await send();
  if (r.status === 401 && (await refresh())) r = await send();
  if (r.status === 401) {
    forget();
    onSignedOut();
  }
  if (!r.ok) throw await problem(r);
  return r;
}

/** Builds a query string from the defined values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : "";
}
