// Frontline's website chat widget. A shop pastes
//   <script src="https://HOST/widget.js" data-key="wk_…" async></script>
// into its site; this adds a launcher button and a chat panel (in a shadow root, so the
// page's CSS and ours never meet) where a visitor talks to the shop's AI receptionist.
// Plain DOM, no framework. Text from the visitor or the server is only ever set as text.
//
// API base: the script's `data-api` attribute, else `chat_api_base` (in AWS the chat has
// its own HTTP API, template.yaml's ChatApi), else `api_base`, from the `config.json`
// next to the script ("" means the script's own origin). The session ({session_id,
// token}) is kept in sessionStorage under `frontline-chat:{key}` so the chat survives a
// page change; every answer carries a fresh token, which replaces the stored one.

import css from "./widget.css?inline";
import { call, ChatError, formatPhone, uuid, type ChatMessage, type ChatState } from "./api";
import { focusables, h, text } from "./dom";

// `currentScript` is only set while this file's top level runs: capture it now.
const SCRIPT =
  (document.currentScript as HTMLScriptElement | null) ??
  document.querySelector<HTMLScriptElement>('script[data-key][src*="widget.js"]');

const EXPIRED = "Your chat expired — start a new one.";
const OFFLINE = "Couldn't reach the shop — check your connection.";
const TOO_MANY = "Too many messages — please wait a minute.";

type Stored = { session_id: string; token: string; open?: boolean };

/** Where the API is: `data-api`, else config.json's `api_base`, else the script's origin. */
async function apiBase(script: HTMLScriptElement): Promise<string> {
  const src = script.src || location.href;
  const origin = new URL(src, location.href).origin;
  const resolve = (b: string) => new URL(b.trim() || origin, src).href.replace(/\/+$/, "");
  const attr = script.getAttribute("data-api");
  if (attr !== null) return resolve(attr);
  try {
    const r = await fetch(new URL("config.json", src), { cache: "no-store", credentials: "omit" });
    if (r.ok) {
      const c = await r.json();
      if (c && typeof c.chat_api_base === "string") return resolve(c.chat_api_base);
      if (c && typeof c.api_base === "string") return resolve(c.api_base);
    }
  } catch {
    /* no config: same origin as the script */
  }
  return origin;
}

function icon(): SVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const p = document.createElementNS(ns, "path");
  p.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
  svg.append(p);
  return svg;
}

function boot(script: HTMLScriptElement, key: string): void {
  const base = apiBase(script);
  const storeKey = `frontline-chat:${key}`;

  // ---- stored session ----------------------------------------------------------------
  let stored: Stored | null = null;
  try {
    const s = JSON.parse(sessionStorage.getItem(storeKey) ?? "null");
    if (s && typeof s.session_id === "string" && typeof s.token === "string") stored = s;
  } catch {
    /* storage blocked or garbage: start fresh */
  }
  const save = () => {
    try {
      if (stored) sessionStorage.setItem(storeKey, JSON.stringify(stored));
      else sessionStorage.removeItem(storeKey);
    } catch {
      /* storage blocked: the chat just won't survive a page change */
    }
  };
  const forget = () => {
    stored = null;
    save();
  };

  // ---- DOM -----------------------------------------------------------------------------
  const host = h("div", { id: "frontline-chat" });
  const root = host.attachShadow({ mode: "open" });
  // A constructed sheet is not "inline style" to the page's CSP; fall back to <style>.
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = h("style");
    style.textContent = css;
    root.append(style);
  }

  const launcherLabel = h("span", {}, "Chat with us");
  const launcher = h(
    "button",
    { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "fc-panel" },
    icon(),
    launcherLabel,
  );

  const title = h("h2", { id: "fc-title" }, "Chat with us");
  const closeBtn = h("button", { type: "button", class: "close", "aria-label": "Close chat" }, "×");

  // Start: the visitor's mobile number.
  const note = h("p", { class: "note", hidden: true }, EXPIRED);
  const phone = h("input", {
    id: "fc-phone",
    type: "tel",
    autocomplete: "tel",
    inputmode: "tel",
    maxlength: "40",
    required: true,
    "aria-describedby": "fc-start-error",
  });
  const startErr = h("div", { id: "fc-start-error", class: "alert", role: "alert" });
  const startBtn = h("button", { type: "submit", class: "primary" }, "Start chat");
  const startForm = h(
    "form",
    { class: "view start", novalidate: true },
    h("p", {}, "Hi! Tell us what's going on — our receptionist can answer questions and book a visit."),
    note,
    h("label", { for: "fc-phone" }, "Your mobile number — so the shop can text you confirmations"),
    phone,
    startErr,
    startBtn,
  );

  // Chat: emergency banner, the conversation, quick replies, the composer.
  const bannerLink = h("a", { href: "tel:" });
  const banner = h("div", { class: "banner", hidden: true }, bannerLink);
  const log = h("div", {
    id: "fc-log",
    class: "log",
    role: "log",
    "aria-live": "polite",
    "aria-label": "Conversation",
    tabindex: "0",
  });
  const typing = h("div", { class: "typing", role: "img", "aria-label": "The receptionist is typing" }, "…");
  const quick = h("div", { class: "quick", role: "group", "aria-label": "Suggested replies" });
  const chatErr = h("div", { class: "alert", role: "alert" });
  const msg = h("textarea", { id: "fc-msg", rows: "1", maxlength: "500", autocomplete: "off" });
  const sendBtn = h("button", { type: "submit", class: "send" }, "Send");
  const composer = h(
    "form",
    { class: "composer" },
    h("label", { for: "fc-msg" }, "Message"),
    h("div", { class: "row" }, msg, sendBtn),
  );
  const newBtn = h("button", { type: "button", class: "primary" }, "Start a new chat");
  const ended = h("div", { class: "ended", hidden: true }, h("p", {}, "This chat has ended."), newBtn);
  const chatView = h("div", { class: "view chat", hidden: true }, banner, log, quick, chatErr, composer, ended);

  const panel = h(
    "div",
    {
      id: "fc-panel",
      class: "panel",
      role: "dialog",
      "aria-modal": "true",
      "aria-labelledby": "fc-title",
      hidden: true,
      "data-view": "start",
    },
    h("div", { class: "head" }, title, closeBtn),
    startForm,
    chatView,
  );
  const wrap = h("div", { class: "fc" }, panel, launcher);
  root.append(wrap);

  // ---- state ---------------------------------------------------------------------------
  let busy = false;
  let emergency = false;
  let shown: ChatMessage[] = [];
  let nodes: HTMLElement[] = [];
  let pendingNode: HTMLElement | null = null;
  let retry: { text: string; id: string } | null = null;
  let lastQuick: string[] = [];

  const isOpen = () => !panel.hidden;
  const inPanel = () => {
    const a = root.activeElement;
    return !!a && panel.contains(a);
  };
  const scrollLog = () => {
    log.scrollTop = log.scrollHeight;
  };
  const setError = (el: HTMLElement, s: string) => text(el, s);

  function showView(v: "start" | "chat") {
    startForm.hidden = v !== "start";
    chatView.hidden = v !== "chat";
    panel.dataset.view = v;
  }

  function focusInside() {
    const target = !startForm.hidden
      ? phone
      : !ended.hidden
        ? newBtn
        : !msg.disabled
          ? msg
          : log;
    target.focus({ preventScroll: true });
  }

  function open(focus = true) {
    if (isOpen()) return;
    panel.hidden = false;
    wrap.classList.add("open");
    launcher.setAttribute("aria-expanded", "true");
    if (stored) {
      stored.open = true;
      save();
    }
    scrollLog();
    if (focus) focusInside();
  }

  function close() {
    if (!isOpen()) return;
    panel.hidden = true;
    wrap.classList.remove("open");
    launcher.setAttribute("aria-expanded", "false");
    if (stored) {
      stored.open = false;
      save();
    }
    launcher.focus();
  }

  function setBusy(b: boolean) {
    busy = b;
    msg.disabled = b;
    sendBtn.disabled = b;
    panel.dataset.busy = String(b);
    if (b) {
      log.append(typing);
      scrollLog();
    } else typing.remove();
  }

  function bubble(m: ChatMessage, pending = false): HTMLElement {
    const visitor = m.from === "visitor";
    return h(
      "div",
      { class: `msg ${visitor ? "visitor" : "receptionist"}${pending ? " pending" : ""}` },
      h("span", { class: "sr" }, visitor ? "You: " : "Receptionist: "),
      h("span", { class: "text" }, String(m.text ?? "")),
    );
  }

  /** Shows the whole conversation, touching only what changed (the log is a live region). */
  function renderMessages(list: ChatMessage[]) {
    typing.remove();
    let i = 0;
    while (i < shown.length && i < list.length && shown[i].from === list[i].from && shown[i].text === list[i].text) i++;
    for (const n of nodes.splice(i)) n.remove();
    for (const m of list.slice(i)) {
      if (pendingNode && m.from === "visitor" && pendingNode.querySelector(".text")?.textContent === m.text) {
        // The visitor's own message, already on screen: just confirm it.
        pendingNode.classList.remove("pending");
        if (log.lastChild !== pendingNode) log.append(pendingNode);
        nodes.push(pendingNode);
        pendingNode = null;
      } else {
        const n = bubble(m);
        log.append(n);
        nodes.push(n);
      }
    }
    pendingNode?.remove();
    pendingNode = null;
    shown = list.slice();
    scrollLog();
  }

  function renderQuick(list: string[]) {
    lastQuick = list;
    quick.replaceChildren(
      ...list.map((q) => {
        const b = h("button", { type: "button" }, q);
        b.addEventListener("click", () => void send(q));
        return b;
      }),
    );
  }

  function setEnded(b: boolean) {
    composer.hidden = b;
    ended.hidden = !b;
  }

  function resetChat() {
    shown = [];
    nodes = [];
    pendingNode = null;
    retry = null;
    emergency = false;
    log.replaceChildren();
    renderQuick([]);
    banner.hidden = true;
    setError(chatErr, "");
    setEnded(false);
  }

  /** Takes in an answer from the API: keeps the new token and shows the state. */
  function apply(s: ChatState) {
    stored = { session_id: s.session_id, token: s.token, open: isOpen() };
    save();
    const shop = typeof s.shop_name === "string" ? s.shop_name.trim() : "";
    const label = shop ? `Chat with ${shop}` : "Chat with us";
    text(title, label);
    text(launcherLabel, label);
    emergency ||= s.emergency === true;
    if (emergency && s.shop_phone) {
      bannerLink.href = `tel:${String(s.shop_phone).replace(/[^\d+]/g, "")}`;
      bannerLink.replaceChildren(`Call ${shop || "the shop"} now`, h("span", { class: "num" }, formatPhone(s.shop_phone)));
      banner.hidden = false;
    }
    renderMessages(s.messages);
    const q = Array.isArray(s.quick_replies) ? s.quick_replies : [];
    renderQuick(s.ended ? [] : q.filter((x): x is string => typeof x === "string" && x.trim() !== "").slice(0, 8));
    setEnded(s.ended === true);
    showView("chat");
    // The buttons and the composer change the log's height: keep the newest line in view.
    scrollLog();
  }

  /** Shows what went wrong; a 401 means the session is gone: back to the phone form. */
  function failed(e: unknown, where: HTMLElement) {
    const status = e instanceof ChatError ? e.status : -1;
    // 401: the token expired; 404: the session is not there (a stale tab). Either way the
    // stored session is useless: back to the phone form.
    if (status === 401 || status === 404) {
      forget();
      resetChat();
      note.hidden = false;
      showView("start");
      if (isOpen() && inPanel()) phone.focus();
      return;
    }
    setError(
      where,
      status === 0
        ? OFFLINE
        : status === 429
          ? TOO_MANY
          : e instanceof ChatError
            ? e.detail
            : "Something went wrong — please try again.",
    );
  }

  async function send(raw: string) {
    const t = raw.trim();
    if (!t || busy || !stored) return;
    if (t.length > 500) {
      setError(chatErr, "Messages can be up to 500 characters.");
      return;
    }
    // Resending the same text after a failure reuses its id: the API answers it once.
    const id = retry && retry.text === t ? retry.id : uuid();
    retry = { text: t, id };
    const hadFocus = inPanel();
    const quickBefore = lastQuick;
    renderQuick([]);
    setError(chatErr, "");
    pendingNode?.remove();
    pendingNode = bubble({ from: "visitor", text: t, at: new Date().toISOString() }, true);
    log.append(pendingNode);
    msg.value = "";
    autosize();
    setBusy(true);
    try {
      const s = stored;
      const state = await call(
        await base,
        "POST",
        `/v1/chat/sessions/${encodeURIComponent(s.session_id)}/messages`,
        { text: t, message_id: id },
        s.token,
      );
      retry = null;
      apply(state);
    } catch (e) {
      pendingNode?.remove();
      pendingNode = null;
      const gone = e instanceof ChatError && e.status === 401;
      failed(e, chatErr);
      // Nothing typed is lost: after an error it waits in the composer, and after an
      // expired session it is there when the new chat opens.
      if (!msg.value) msg.value = t;
      autosize();
      if (!gone) renderQuick(quickBefore);
    } finally {
      setBusy(false);
      if (hadFocus && isOpen() && !inPanel()) focusInside();
    }
  }

  async function start() {
    if (busy) return;
    const p = phone.value.trim();
    setError(startErr, "");
    phone.removeAttribute("aria-invalid");
    if (p.replace(/\D/g, "").length < 7) {
      setError(startErr, "Please enter your mobile number.");
      phone.setAttribute("aria-invalid", "true");
      phone.focus();
      return;
    }
    busy = true;
    startBtn.disabled = true;
    text(startBtn, "Starting…");
    try {
      const state = await call(await base, "POST", "/v1/chat/sessions", { key, phone: p });
      note.hidden = true;
      resetChat();
      apply(state);
      if (isOpen()) focusInside();
    } catch (e) {
      if (e instanceof ChatError && e.status === 400) phone.setAttribute("aria-invalid", "true");
      failed(e, startErr);
      if (isOpen()) phone.focus();
    } finally {
      busy = false;
      startBtn.disabled = false;
      text(startBtn, "Start chat");
    }
  }

  function autosize() {
    msg.style.height = "auto";
    if (msg.value) msg.style.height = `${Math.min(msg.scrollHeight + 2, 120)}px`;
  }

  // ---- events --------------------------------------------------------------------------
  launcher.addEventListener("click", () => (isOpen() ? close() : open()));
  closeBtn.addEventListener("click", close);
  startForm.addEventListener("submit", (e) => {
    e.preventDefault();
    void start();
  });
  composer.addEventListener("submit", (e) => {
    e.preventDefault();
    void send(msg.value);
  });
  msg.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void send(msg.value);
    }
  });
  msg.addEventListener("input", autosize);
  newBtn.addEventListener("click", () => {
    forget();
    resetChat();
    note.hidden = true;
    showView("start");
    phone.focus();
  });
  wrap.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && isOpen()) {
      e.preventDefault();
      e.stopPropagation();
      close();
      return;
    }
    if (e.key !== "Tab" || !isOpen() || !inPanel()) return;
    // Focus trap: Tab and Shift+Tab cycle through the panel.
    const items = focusables(panel);
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    const active = root.activeElement;
    if (e.shiftKey && active === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  });

  document.body.append(host);

  // ---- resume a stored session -----------------------------------------------------------
  if (stored) {
    const s = stored;
    showView("chat");
    setBusy(true);
    if (s.open) open(false);
    void (async () => {
      try {
        apply(await call(await base, "GET", `/v1/chat/sessions/${encodeURIComponent(s.session_id)}`, undefined, s.token));
      } catch (e) {
        failed(e, chatErr);
      } finally {
        // A page load never takes the visitor's focus (nor opens a phone's keyboard).
        setBusy(false);
      }
    })();
  }
}

function main(): void {
  if (!SCRIPT) return;
  const key = SCRIPT.getAttribute("data-key")?.trim();
  if (!key) {
    console.warn("Frontline chat: the widget's <script> tag needs a data-key attribute.");
    return;
  }
  if (document.getElementById("frontline-chat")) return; // already on the page
  boot(SCRIPT, key);
}

if (document.body) main();
else document.addEventListener("DOMContentLoaded", main, { once: true });
