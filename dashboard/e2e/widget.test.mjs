// Browser tests of the website chat widget (dist/widget.js) on the local runner's demo
// host page, `/_local/widget-demo.html` (a "Bristol Plumbing" page embedding
// <script src="/widget.js" data-key="wk_…" async>), driven by playwright-core in
// Debian's Chromium against the running local stack (started by scripts/browser-tests.sh).
// Playwright's role and CSS locators pierce the widget's open shadow root.
//
// Env: BASE_URL (http://127.0.0.1:PORT), SCREENSHOT_DIR, CHROMIUM (default /usr/bin/chromium).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { launch } from "./browser.mjs";

const require = createRequire(import.meta.url);
const BASE = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const SHOTS = process.env.SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), "frontline-shots-"));
const DEMO = `${BASE}/_local/widget-demo.html`;
const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 844 };
const REPLY_TIMEOUT = 30_000;

let browser;

async function newPage(viewport = DESKTOP) {
  const page = await browser.newPage({ viewport, timezoneId: "America/Chicago" });
  page.setDefaultTimeout(20_000);
  await page.goto(DEMO);
  await page.getByRole("heading", { name: "Bristol Plumbing" }).first().waitFor();
  return page;
}

const launcher = (page) => page.getByRole("button", { name: /^chat with/i });
const dialog = (page) => page.getByRole("dialog", { name: /^chat with/i });
const composer = (page) => page.getByLabel("Message", { exact: true });
const quickReplies = (page) => page.getByRole("group", { name: "Suggested replies" }).getByRole("button");

/** Where focus is inside the widget: "dialog", "launcher" or null. */
function focusIn(page) {
  return page.evaluate(() => {
    const root = document.querySelector("#frontline-chat")?.shadowRoot;
    const active = root?.activeElement;
    if (!root || !active) return null;
    if (root.querySelector('[role="dialog"]')?.contains(active)) return "dialog";
    if (active.matches("button[aria-expanded]")) return "launcher";
    return null;
  });
}

/** The conversation as shown, one "from: text" line per message. */
function transcript(page) {
  return page.evaluate(() =>
    Array.from(document.querySelector("#frontline-chat").shadowRoot.querySelectorAll('[role="log"] .msg')).map(
      (m) => `${m.classList.contains("visitor") ? "visitor" : "receptionist"}: ${m.querySelector(".text").textContent}`,
    ),
  );
}

function receptionistCount(page) {
  return page.evaluate(
    () => document.querySelector("#frontline-chat").shadowRoot.querySelectorAll('[role="log"] .msg.receptionist').length,
  );
}

async function lastReceptionist(page) {
  const lines = (await transcript(page)).filter((l) => l.startsWith("receptionist: "));
  return (lines.at(-1) ?? "").slice("receptionist: ".length);
}

/** Waits for a new receptionist message (more than `before`) with no request in flight. */
async function waitForReply(page, before) {
  try {
    await page.waitForFunction(
      (n) => {
        const root = document.querySelector("#frontline-chat")?.shadowRoot;
        const panel = root?.querySelector('[role="dialog"]');
        if (!panel || panel.dataset.busy === "true") return false;
        const failed = Array.from(root.querySelectorAll('[role="alert"]')).some((a) => a.textContent.trim());
        return failed || root.querySelectorAll('[role="log"] .msg.receptionist').length > n;
      },
      before,
      { timeout: REPLY_TIMEOUT },
    );
  } catch (e) {
    throw new Error(`no reply from the receptionist:\n${(await transcript(page)).join("\n")}`, { cause: e });
  }
  const alerts = (await page.getByRole("alert").allInnerTexts()).filter((t) => t.trim());
  assert.deepEqual(alerts, [], `the widget shows no error:\n${(await transcript(page)).join("\n")}`);
}

async function say(page, text) {
  const before = await receptionistCount(page);
  await composer(page).fill(text);
  await composer(page).press("Enter");
  await waitForReply(page, before);
}

/** Opens the panel and starts a chat with the given mobile number. */
async function startChat(page, phone) {
  await launcher(page).click();
  await dialog(page).waitFor();
  await page.getByLabel(/mobile number/i).fill(phone);
  await page.getByRole("button", { name: "Start chat" }).click();
  await composer(page).waitFor();
  await page.locator("#frontline-chat").locator('[role="log"] .msg.receptionist').first().waitFor({ timeout: REPLY_TIMEOUT });
}

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test("widget.js is small", async () => {
  const r = await fetch(`${BASE}/widget.js`);
  assert.equal(r.status, 200);
  const body = Buffer.from(await r.arrayBuffer());
  const gz = gzipSync(body, { level: 9 }).length;
  console.log(`widget.js: ${body.length} bytes, ${gz} bytes gzipped`);
  assert.ok(gz < 30 * 1024, `widget.js is ${gz} bytes gzipped (limit 30 kB)`);
});

test("a visitor books a visit through the chat widget", async () => {
  const page = await newPage();
  const alerts = [];
  page.on("dialog", (d) => {
    alerts.push(d.message());
    void d.dismiss();
  });
  try {
    // Keyboard: the launcher opens the dialog with focus inside, Tab stays inside,
    // Escape closes it and gives focus back to the launcher.
    await launcher(page).click();
    await dialog(page).waitFor();
    assert.equal(await launcher(page).getAttribute("aria-expanded"), "true");
    assert.equal(await focusIn(page), "dialog", "focus moved into the chat panel");
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("Tab");
      assert.equal(await focusIn(page), "dialog", `focus stays in the panel after ${i + 1} Tab`);
    }
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("Shift+Tab");
      assert.equal(await focusIn(page), "dialog", `focus stays in the panel after ${i + 1} Shift+Tab`);
    }
    await page.keyboard.press("Escape");
    await dialog(page).waitFor({ state: "hidden" });
    assert.equal(await focusIn(page), "launcher", "Escape gives focus back to the launcher");
    assert.equal(await launcher(page).getAttribute("aria-expanded"), "false");
    await page.keyboard.press("Enter");
    await dialog(page).waitFor();
    assert.equal(await focusIn(page), "dialog");
    await page.getByLabel(/mobile number/i).fill("+19135550188");
    await page.getByRole("button", { name: "Start chat" }).click();
    await page.locator("#frontline-chat").locator('[role="log"] .msg.receptionist').first().waitFor({ timeout: REPLY_TIMEOUT });
    await composer(page).waitFor();
    await page.waitForFunction(() => document.querySelector("#frontline-chat").shadowRoot.querySelector('[role="dialog"]').dataset.busy !== "true");

    // The conversation: answer whatever the receptionist asks last.
    await say(page, "my kitchen faucet is dripping and I'd like someone to fix it");
    const sent = new Set();
    let booked = false;
    for (let turn = 0; turn < 8 && !booked; turn++) {
      const last = await lastReceptionist(page);
      if (/you're booked/i.test(last)) {
        booked = true;
        break;
      }
      if ((await quickReplies(page).count()) > 0) {
        const before = await receptionistCount(page);
        await quickReplies(page).first().click();
        await waitForReply(page, before);
        assert.equal(await quickReplies(page).filter({ hasText: /^Tomorrow morning$/ }).count(), 0, "old quick replies are gone");
      } else if (/name/i.test(last) && !sent.has("name")) {
        sent.add("name");
        await say(page, "Dana Whitfield");
      } else if (/address/i.test(last) && !sent.has("address")) {
        sent.add("address");
        await say(page, "12 Elm Street, Merriam");
      } else if (/\b(when|time|day|morning|afternoon)\b/i.test(last) && !sent.has("time")) {
        sent.add("time");
        await say(page, "Tomorrow morning");
      } else {
        await say(page, "yes");
      }
    }
    let lines = await transcript(page);
    assert.ok(booked, `the chat booked a visit:\n${lines.join("\n")}`);
    assert.ok(lines.some((l) => l === "visitor: Dana Whitfield"), lines.join("\n"));

    // The session is kept for this tab only, under the widget's key.
    const key = await page.evaluate(() => document.querySelector("script[data-key]").dataset.key);
    const stored = await page.evaluate((k) => JSON.parse(sessionStorage.getItem(`frontline-chat:${k}`)), key);
    assert.match(stored?.session_id ?? "", /^cs_/, JSON.stringify(stored));
    assert.ok(stored.token, "a token is stored");

    // Screenshots with the panel open, at desktop and phone widths; on a phone the panel
    // takes the whole screen.
    mkdirSync(SHOTS, { recursive: true });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SHOTS, "widget-desktop.png") });
    const desk = await dialog(page).boundingBox();
    assert.ok(desk && desk.width >= 320 && desk.width <= 420, `desktop panel: ${JSON.stringify(desk)}`);
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SHOTS, "widget-phone.png") });
    const box = await dialog(page).boundingBox();
    assert.ok(box && box.width >= 380, `phone panel fills the width: ${JSON.stringify(box)}`);
    assert.ok(box.height >= PHONE.height - 2, `phone panel fills the height: ${JSON.stringify(box)}`);
    await page.setViewportSize(DESKTOP);

    // Accessibility: axe-core over the page, the widget's shadow root included.
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const violations = await page.evaluate(async () =>
      (await window.axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.length,
        targets: v.nodes.slice(0, 3).map((n) => n.target),
      })),
    );
    if (violations.length) console.log("axe:", JSON.stringify(violations, null, 2));
    const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(bad, [], "no serious or critical accessibility violations");

    // The booking offers "That works": the visitor accepts and the receptionist closes.
    const before = await receptionistCount(page);
    await quickReplies(page).filter({ hasText: "That works" }).click();
    await waitForReply(page, before);
    await page.locator("#frontline-chat").getByText("This chat has ended.").waitFor();
    lines = await transcript(page);

    // A reload keeps the conversation, and the panel (open before) opens again.
    await page.reload();
    await dialog(page).waitFor();
    await page
      .locator("#frontline-chat")
      .locator('[role="log"] .msg.visitor', { hasText: "Dana Whitfield" })
      .waitFor({ timeout: REPLY_TIMEOUT });
    assert.deepEqual(await transcript(page), lines, "the restored conversation is the same");
    assert.deepEqual(alerts, [], "no alert() ran");
  } finally {
    await page.close();
  }
});

test("visitor text is shown as text, never as HTML", async () => {
  const page = await newPage();
  const alerts = [];
  page.on("dialog", (d) => {
    alerts.push(d.message());
    void d.dismiss();
  });
  try {
    await startChat(page, "+19135550178");
    const html = "<img src=x onerror=alert(1)><b>bold</b>";
    await say(page, html);
    const shown = await page.evaluate(() => {
      const log = document.querySelector("#frontline-chat").shadowRoot.querySelector('[role="log"]');
      return {
        visitor: Array.from(log.querySelectorAll(".msg.visitor")).map((m) => m.textContent),
        elements: log.querySelectorAll("b, img, script, iframe").length,
      };
    });
    assert.ok(
      shown.visitor.some((t) => t.includes("<b>bold</b>") && t.includes("<img src=x onerror=alert(1)>")),
      JSON.stringify(shown),
    );
    assert.equal(shown.elements, 0, "no element was made from the text");
    await page.waitForTimeout(300);
    assert.deepEqual(alerts, [], "no alert() ran");
  } finally {
    await page.close();
  }
});
