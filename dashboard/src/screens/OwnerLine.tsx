// The owner's line (every login, in Settings): your cell, verified by a code texted to
// it, so calls and texts from it to the shop's number reach the owner's line ("what's on
// tomorrow?"); and a PIN for calling in from any other phone. The PIN is never shown.

import { useState } from "preact/hooks";
import { api } from "../api";
import { phone } from "../format";
import type { LineSettings } from "../types";
import { ErrorNote, Loaded, useChange, useLoad } from "../ui";

export function OwnerLine({ owner }: { owner: boolean }) {
  const line = useLoad(() => api<LineSettings>("GET", "/v1/auth/me/line"), []);
  const [cell, setCell] = useState("");
  const [code, setCode] = useState("");
  const [pin, setPin] = useState("");
  const { busy, error, news, change } = useChange(line.reload);
  const submit = (e: Event, act: () => Promise<string>) => {
    e.preventDefault();
    void change(act);
  };

  return (
    <section class="card stack owner-line" aria-labelledby="line-title">
      <h2 id="line-title">Your phone line</h2>
      <p class="muted">
        Call or text the shop's number from your verified cell and ask "what's on tomorrow?", "who's the 2 o'clock?" or "read me the callbacks".
        {owner ? " As an owner you can also cancel or move a job (you confirm twice)." : " Staff get read-only answers."}
      </p>
      <Loaded
        load={line}
        what="your phone line"
        render={(l) => (
          <div class="stack">
            <p>
              {l.cell ? (
                <>
                  Your cell: <strong>{phone(l.cell)}</strong> — {l.verified ? "verified" : "waiting for the code we texted"}.
                </>
              ) : (
                "No cell yet."
              )}{" "}
              Shop number to call: <strong>{phone(l.shop_number)}</strong>. PIN: {l.pin_set ? "set" : "not set"}.
            </p>
            <form
              class="row"
              onSubmit={(e) =>
                submit(e, async () => {
                  await api("PUT", "/v1/auth/me/line", { cell: cell.trim() });
                  setCell("");
                  return "We texted a six-digit code to that cell; enter it below.";
                })
              }
            >
              <label>
                Cell (+1…)
                <input type="tel" required autocomplete="tel" value={cell} onInput={(e) => setCell(e.currentTarget.value)} />
              </label>
              <button type="submit" disabled={busy}>
                Text me a code
              </button>
            </form>
            {l.cell && !l.verified && (
              <form
                class="row"
                onSubmit={(e) =>
                  submit(e, async () => {
                    await api("POST", "/v1/auth/me/line/verify", { code: code.trim() });
                    setCode("");
                    return "Verified: calls and texts from your cell reach the owner's line.";
                  })
                }
              >
                <label>
                  Code
                  <input inputMode="numeric" required pattern="[0-9]{6}" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
                </label>
                <button type="submit" class="primary" disabled={busy}>
                  Verify
                </button>
              </form>
            )}
            <form
              class="row"
              onSubmit={(e) =>
                submit(e, async () => {
                  await api("PUT", "/v1/auth/me/line/pin", { pin: pin.trim() });
                  setPin("");
                  return "PIN saved. From another phone, call the shop, say \"this is the owner\" or press star, then enter it.";
                })
              }
            >
              <label>
                PIN (4 to 6 digits)
                <input type="password" inputMode="numeric" required pattern="[0-9]{4,6}" autocomplete="new-password" value={pin} onInput={(e) => setPin(e.currentTarget.value)} />
              </label>
              <button type="submit" disabled={busy}>
                Set PIN
              </button>
            </form>
          </div>
        )}
      />
      {error && <ErrorNote error={error} />}
      <div role="status" aria-live="polite">
        {news && <p class="state ok">{news}</p>}
      </div>
    </section>
  );
}
