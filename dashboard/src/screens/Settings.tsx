// Settings: business hours, services and durations, holidays, emergency keywords,
// notification contacts and retention, with a preview of the free times callers would be
// offered, your own owner's-line phone and PIN, and (owner only) the website chat keys and
// the shop's logins. Staff see the rest read-only; the API refuses their changes too.

import { useEffect, useRef, useState } from "preact/hooks";
import { api, qs } from "../api";
import { addDays, day, localDate, time } from "../format";
import type { General, NewWidgetKey, Page, Scheduling, ServiceType, Slot, Span, WidgetKey } from "../types";
import { Empty, ErrorNote, Loaded, Loading, message, useChange, useLoad } from "../ui";
import { Logins } from "./Logins";
import { OwnerLine } from "./OwnerLine";

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export function Settings({ owner }: { owner: boolean }) {
  const sched = useLoad(() => api<Scheduling>("GET", "/v1/owner/settings/scheduling"), []);
  const general = useLoad(() => api<General>("GET", "/v1/owner/settings"), []);
  const [saved, setSaved] = useState(0);
  return (
    <section aria-labelledby="set-title">
      <h1 id="set-title">Settings</h1>
      {!owner && <p class="banner warn">Only the owner can change settings.</p>}
      <div class="grid two">
        <Loaded
          load={sched}
          what="scheduling settings"
          render={(s) => (
            <SchedulingForm
              initial={s}
              owner={owner}
              onSaved={() => {
                setSaved((n) => n + 1);
                void sched.reload();
              }}
            />
          )}
        />
        <div>
          <Loaded load={sched} what="services" render={(s) => <Preview settings={s} version={saved} />} />
          <Loaded load={general} what="notification settings" render={(g) => <GeneralForm initial={g} owner={owner} onSaved={() => void general.reload()} />} />
        </div>
      </div>
      <OwnerLine owner={owner} />
      {owner && <WebsiteChat />}
      {owner && <Logins />}
    </section>
  );
}

function SchedulingForm({ initial, owner, onSaved }: { initial: Scheduling; owner: boolean; onSaved: () => void }) {
  const [s, setS] = useState<Scheduling>(() => structuredClone(initial));
  const [status, setStatus] = useState<{ ok?: string; error?: string }>({});
  const update = (f: (draft: Scheduling) => void) =>
    setS((old) => {
      const next = structuredClone(old);
      f(next);
      return next;
    });
  const save = async (e: Event) => {
    e.preventDefault();
    setStatus({});
    try {
      await api("PUT", "/v1/owner/settings/scheduling", s);
      setStatus({ ok: "Saved. New calls use these hours and services now." });
      onSaved();
    } catch (err) {
      setStatus({ error: message(err) });
    }
  };
  const setSpan = (d: number, i: number, k: keyof Span, v: string) =>
    update((x) => {
      x.hours.days[d][i][k] = v.length === 5 ? `${v}:00` : v;
    });
  return (
    <form class="card stack" onSubmit={save} aria-labelledby="hours-title">
      <fieldset disabled={!owner}>
        <h2 id="hours-title">Business hours</h2>
        <table class="table hours">
          <tbody>
            {WEEKDAYS.map((name, d) => {
              const spans = s.hours.days[d] ?? [];
              return (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>
                    {spans.length === 0 && <span class="muted">Closed </span>}
                    {spans.map((sp, i) => (
                      <span key={i} class="span">
                        <input
                          type="time"
                          aria-label={`${name} opens`}
                          value={sp.open.slice(0, 5)}
                          onChange={(e) => setSpan(d, i, "open", e.currentTarget.value)}
                        />
                        –
                        <input
                          type="time"
                          aria-label={`${name} closes`}
                          value={sp.close.slice(0, 5)}
                          onChange={(e) => setSpan(d, i, "close", e.currentTarget.value)}
                        />
                        <button
                          type="button"
                          class="ghost"
                          aria-label={`Remove ${name} hours ${sp.open.slice(0, 5)}–${sp.close.slice(0, 5)}`}
                          onClick={() => update((x) => void x.hours.days[d].splice(i, 1))}
                        >
                          ✕
                        </button>
                      </span>
                    ))}
                    <button
                      type="button"
                      class="ghost"
                      aria-label={`Add hours on ${name}`}
                      onClick={() =>
                        update((x) => {
                          x.hours.days[d] = [...(x.hours.days[d] ?? []), { open: "08:00:00", close: "17:00:00" }];
                        })
                      }
                    >
                      + hours
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>

        <h2>Services and durations</h2>
        <table class="table services">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Minutes</th>
              <th scope="col">Price from</th>
              <th scope="col">to</th>
            </tr>
          </thead>
          <tbody>
            {s.services.map((sv, i) => (
              <tr key={sv.service}>
                <th scope="row">{sv.label}</th>
                {(
                  [
                    ["duration_min", "minutes", 15, 15],
                    ["price_low", "lowest price", 0, 1],
                    ["price_high", "highest price", 0, 1],
                  ] as const
                ).map(([field, what, min, step]) => (
                  <td key={field}>
                    <input
                      type="number"
                      min={min}
                      step={step}
                      aria-label={`${sv.label} ${what}`}
                      value={sv[field]}
                      onChange={(e) => update((x) => void (x.services[i][field] = Number(e.currentTarget.value)))}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>

        <h2>Holidays and closures</h2>
        <ul class="list closures">
          {s.booking.closures.map((c, i) => (
            <li key={i}>
              <input
                aria-label="Closure name"
                value={c.name}
                onChange={(e) => update((x) => void (x.booking.closures[i].name = e.currentTarget.value))}
              />
              <input
                type="date"
                aria-label={`${c.name} from`}
                value={c.from}
                onChange={(e) => update((x) => void (x.booking.closures[i].from = e.currentTarget.value))}
              />
              <input
                type="date"
                aria-label={`${c.name} to`}
                value={c.to}
                onChange={(e) => update((x) => void (x.booking.closures[i].to = e.currentTarget.value))}
              />
              <button type="button" class="ghost" aria-label={`Remove ${c.name}`} onClick={() => update((x) => void x.booking.closures.splice(i, 1))}>
                ✕
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          onClick={() =>
            update((x) => {
              const d = addDays(localDate(), 7);
              x.booking.closures.push({ from: d, to: d, name: "Closed" });
            })
          }
        >
          Add a closure
        </button>
        {status.error && <ErrorNote error={status.error} />}
        {status.ok && (
          <p class="state ok" role="status">
            {status.ok}
          </p>
        )}
        <button type="submit" class="primary">
          Save hours and services
        </button>
      </fieldset>
    </form>
  );
}

/** The free times a caller would be offered on a day, for one service. */
function Preview({ settings, version }: { settings: Scheduling; version: number }) {
  const [date, setDate] = useState(addDays(localDate(), 1));
  const [service, setService] = useState(settings.services[0]?.service ?? "");
  const slots = useLoad(
    () => api<{ slots: Slot[]; closure: { name: string } | null; duration_min: number }>("GET", `/v1/owner/availability${qs({ date, service })}`),
    [date, service, version],
  );
  return (
    <div class="card" aria-labelledby="preview-title">
      <h2 id="preview-title">Availability preview</h2>
      <div class="filters">
        <label>
          Day
          <input type="date" value={date} onChange={(e) => e.currentTarget.value && setDate(e.currentTarget.value)} />
        </label>
        <label>
          Service
          <select value={service} onChange={(e) => setService(e.currentTarget.value as ServiceType)}>
            {settings.services.map((s) => (
              <option key={s.service} value={s.service}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {slots.error ? (
        <ErrorNote error={slots.error} retry={() => void slots.reload()} />
      ) : !slots.data ? (
        <Loading what="free times" />
      ) : slots.data.slots.length === 0 ? (
        <Empty>{slots.data.closure ? `Closed: ${slots.data.closure.name}.` : "No free time that day."}</Empty>
      ) : (
        <>
          <p class="muted" data-testid="slot-count">
            {slots.data.slots.length} start times · first {time(slots.data.slots[0].start)} · last{" "}
            {time(slots.data.slots[slots.data.slots.length - 1].start)}
          </p>
          <ul class="slots" aria-label="Free start times">
            {slots.data.slots.map((s) => (
              <li key={s.start + s.resource}>{time(s.start)}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function GeneralForm({ initial, owner, onSaved }: { initial: General; owner: boolean; onSaved: () => void }) {
  const [g, setG] = useState<General>(initial);
  const [keywords, setKeywords] = useState(initial.emergency_keywords.join(", "));
  const [status, setStatus] = useState<{ ok?: string; error?: string }>({});
  const save = async (e: Event) => {
    e.preventDefault();
    setStatus({});
    const body: General = {
      ...g,
      owner_email: g.owner_email?.trim() || null,
      emergency_keywords: keywords
        .split(",")
        .map((k) => k.trim())
        .filter(Boolean),
    };
    try {
      await api("PUT", "/v1/owner/settings", body);
      setStatus({ ok: "Saved." });
      onSaved();
    } catch (err) {
      setStatus({ error: message(err) });
    }
  };
  return (
    <form class="card stack" onSubmit={save} aria-labelledby="general-title">
      <fieldset disabled={!owner}>
        <h2 id="general-title">Emergencies and notifications</h2>
        <label>
          Extra emergency phrases (comma separated)
          <textarea value={keywords} onInput={(e) => setKeywords(e.currentTarget.value)} placeholder="e.g. water in the basement, no heat" />
        </label>
        <label>
          Owner's first name (the receptionist says it)
          <input value={g.owner_name} onInput={(e) => setG({ ...g, owner_name: e.currentTarget.value })} />
        </label>
        <label>
          Owner's cell (emergency and new-lead texts)
          <input type="tel" value={g.owner_cell} onInput={(e) => setG({ ...g, owner_cell: e.currentTarget.value })} />
        </label>
        <label>
          Owner's email (alert fallback and daily digest)
          <input type="email" value={g.owner_email ?? ""} onInput={(e) => setG({ ...g, owner_email: e.currentTarget.value })} />
        </label>
        <label>
          Phone the owner when an emergency text is not delivered within (seconds)
          <input
            type="number"
            min={15}
            max={600}
            value={g.alert_sla_s}
            onInput={(e) => setG({ ...g, alert_sla_s: Number(e.currentTarget.value) })}
          />
        </label>
        <label>
          Keep transcripts and texts for (days)
          <input
            type="number"
            min={30}
            max={3650}
            value={g.transcript_retention_days}
            onInput={(e) => setG({ ...g, transcript_retention_days: Number(e.currentTarget.value) })}
          />
        </label>
        {status.error && <ErrorNote error={status.error} />}
        {status.ok && (
          <p class="state ok" role="status">
            {status.ok}
          </p>
        )}
        <button type="submit" class="primary">
          Save notification settings
        </button>
      </fieldset>
    </form>
  );
}

/** The website chat widget's keys (owner only: staff get 403): make one for the shop's
 * site, copy its snippet, rotate or revoke it. */
function WebsiteChat() {
  const keys = useLoad(() => api<Page<WidgetKey>>("GET", "/v1/owner/widget-keys"), []);
  const [address, setAddress] = useState("");
  const { busy, setBusy, error, setError, news, setNews, change } = useChange(keys.reload);

  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNews("");
    const body: NewWidgetKey = { origins: address.split(/[\s,]+/).filter(Boolean) };
    if (body.origins.length === 0) {
      setError("Enter your website's address, like https://www.yourshop.com.");
      return;
    }
    setBusy(true);
    try {
      const k = await api<WidgetKey>("POST", "/v1/owner/widget-keys", body);
      setAddress("");
      setNews(`Chat key created for ${k.origins.join(", ")}. Copy its snippet below into your website.`);
      await keys.reload();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const rotate = (k: WidgetKey) => {
    const sites = k.origins.join(", ");
    if (!confirm(`Replace the chat key for ${sites}? The current snippet stops working within a minute; paste the new one into your website.`)) return;
    void change(async () => {
      await api<WidgetKey>("POST", `/v1/owner/widget-keys/${encodeURIComponent(k.key)}/rotate`);
      return `New chat key made for ${sites}. Paste its snippet into your website: the old one no longer works.`;
    });
  };
  const revoke = (k: WidgetKey) => {
    const sites = k.origins.join(", ");
    if (!confirm(`Revoke the chat key for ${sites}? The chat button on that website stops working within a minute.`)) return;
    void change(async () => {
      await api<void>("DELETE", `/v1/owner/widget-keys/${encodeURIComponent(k.key)}`);
      return `Chat key for ${sites} revoked.`;
    });
  };

  // Active keys first, each group newest first (the API lists newest first).
  const sorted = (items: WidgetKey[]) => [...items.filter((k) => !k.revoked_at), ...items.filter((k) => k.revoked_at)];

  return (
    <section class="card stack website-chat" aria-labelledby="chat-title">
      <h2 id="chat-title">Website chat</h2>
      <p class="muted">
        Paste the snippet into your shop's website to add the receptionist as a chat button there: it answers your visitors just as it answers
        callers.
      </p>
      <form class="key-form" onSubmit={create}>
        <label class="grow">
          Your website's address
          <input
            value={address}
            onInput={(e) => setAddress(e.currentTarget.value)}
            placeholder="https://www.yourshop.com"
            aria-describedby="chat-origins-hint"
            autocomplete="url"
            spellcheck={false}
          />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          Create chat key
        </button>
      </form>
      <p id="chat-origins-hint" class="muted hint">
        Starts with https://. For several addresses, separate them with commas or spaces.
      </p>
      {error && <ErrorNote error={error} />}
      <div role="status" aria-live="polite">
        {news && <p class="state ok">{news}</p>}
      </div>
      <Loaded
        load={keys}
        what="website chat keys"
        empty={(p) => p.items.length === 0}
        render={(p) => (
          <ul class="list widget-keys" aria-label="Chat keys">
            {sorted(p.items).map((k) => (
              <KeyItem key={k.key} k={k} busy={busy} onRotate={() => rotate(k)} onRevoke={() => revoke(k)} onNews={setNews} />
            ))}
          </ul>
        )}
      />
    </section>
  );
}

function KeyItem({
  k,
  busy,
  onRotate,
  onRevoke,
  onNews,
}: {
  k: WidgetKey;
  busy: boolean;
  onRotate: () => void;
  onRevoke: () => void;
  onNews: (text: string) => void;
}) {
  const snippet = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = window.setTimeout(() => setCopied(false), 3000);
    return () => window.clearTimeout(t);
  }, [copied]);
  const sites = k.origins.join(", ");

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(k.snippet);
      setCopied(true);
      onNews(`Copied the snippet for ${sites}.`);
      return;
    } catch {
      /* no clipboard access: select the text instead */
    }
    const ta = snippet.current;
    if (!ta) return;
    ta.focus();
    ta.select();
    let done = false;
    try {
      done = document.execCommand("copy");
    } catch {
      done = false;
    }
    if (done) {
      setCopied(true);
      onNews(`Copied the snippet for ${sites}.`);
    } else {
      onNews("The snippet is selected: press Ctrl+C (⌘C on a Mac) to copy it.");
    }
  };

  if (k.revoked_at) {
    return (
      <li class="widget-key revoked muted">
        <div class="key-head">
          <strong>{sites}</strong>
          <span>
            Revoked {day(k.revoked_at)}
            {k.replaced_by && " · replaced by a new key"}
          </span>
        </div>
        <code class="key-id">{k.key}</code>
      </li>
    );
  }
  return (
    <li class="widget-key">
      <div class="key-head">
        <strong>{sites}</strong>
        <span class="muted">Created {day(k.created_at)}</span>
      </div>
      <code class="key-id muted">{k.key}</code>
      <textarea
        ref={snippet}
        class="snippet"
        readOnly
        rows={2}
        value={k.snippet}
        aria-label={`Snippet for ${sites}`}
        onFocus={(e) => e.currentTarget.select()}
      />
      <div class="actions">
        <button type="button" aria-label={`Copy snippet for ${sites}`} onClick={() => void copy()}>
          Copy snippet
        </button>
        {copied && (
          <span class="badge ok copied" aria-hidden="true">
            Copied
          </span>
        )}
        <button type="button" disabled={busy} aria-label={`Rotate chat key for ${sites}`} onClick={onRotate}>
          Rotate
        </button>
        <button type="button" class="danger" disabled={busy} aria-label={`Revoke chat key for ${sites}`} onClick={onRevoke}>
          Revoke
        </button>
      </div>
    </li>
  );
}
