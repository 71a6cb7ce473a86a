// The chat API as the widget calls it: JSON in, JSON (ChatState) out, problem+json errors.

// The shapes are the API's own, generated from its OpenAPI document (src/api.gen.ts).
import type { ChatLine, ChatState } from "../src/api.gen";

export type { ChatState };
export type ChatMessage = ChatLine;

/** A failed call: `status` 0 means the request never got an answer (network). */
export class ChatError extends Error {
  constructor(
    public status: number,
    public detail: string,
  ) {
    super(detail);
  }
}

export async function call(
  base: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  token?: string,
): Promise<ChatState> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  let r: Response;
  try {
    r = await fetch(base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    throw new ChatError(0, "");
  }
  let data: unknown = null;
  try {
    data = await r.json();
  } catch {
    /* not JSON */
  }
  if (!r.ok) {
    const d = (data as { detail?: unknown } | null)?.detail;
    throw new ChatError(r.status, typeof d === "string" && d ? d : `Something went wrong (${r.status}).`);
  }
  const s = data as ChatState | null;
  if (!s || typeof s.session_id !== "string" || !Array.isArray(s.messages)) {
    throw new ChatError(r.status, "The shop sent an unexpected answer.");
  }
  return s;
}

/** A fresh id for a visitor's message (the API answers a repeated id idempotently). */
export function uuid(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  let s = "";
  for (let i = 0; i < 32; i++) s += Math.floor(Math.random() * 16).toString(16);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${((parseInt(s[16], 16) & 3) | 8).toString(16)}${s.slice(17, 20)}-${s.slice(20)}`;
}

/** "+19135550100" → "(913) 555-0100"; other numbers are shown as given. */
export function formatPhone(p: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(p);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : p;
}
