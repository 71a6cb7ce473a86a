// Today: the emergency banner, today's jobs as a timeline, the callback queue and recent
// calls, refreshed every 15 seconds with the time of the last successful refresh shown.

import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { ago, label, phone, time } from "../format";
import type { Appointment, Callback, CallSummary, Today } from "../types";
import { Badge, Dialog, Empty, ErrorNote, Loading, message, Outcome, useLoad } from "../ui";
import { CallDetail } from "./Calls";
import { VoicemailPlayer } from "./Voicemail";

/** How often Today refreshes itself, milliseconds. */
export const POLL_MS = 15_000;

const OUTCOMES = [
  ["called_back", "Called back"],
  ["booked", "Booked a job"],
  ["left_voicemail", "Left a voicemail"],
  ["no_answer", "No answer"],
  ["not_needed", "Not needed"],
  ["wrong_number", "Wrong number"],
] as const;

export function TodayScreen() {
  const load = useLoad(() => api<Today>("GET", "/v1/owner/today"), []);
  const [updated, setUpdated] = useState<Date | null>(null);
  const [call, setCall] = useState<string | null>(null);
  const [resolving, setResolving] = useState<Callback | null>(null);

  useEffect(() => {
    if (load.data && !load.error) setUpdated(new Date());
  }, [load.data, load.error]);
  useEffect(() => {
    const t = window.setInterval(() => void load.reload(), POLL_MS);
    return () => window.clearInterval(t);
  }, [load.reload]);

  const d = load.data;
  return (
    <section aria-labelledby="today-title">
      <div class="title-row">
        <h1 id="today-title">Today</h1>
        <p class="updated" aria-live="polite">
          {updated ? `Updated ${updated.toLocaleTimeString("en-US", { hour: "numeric", minute: "2-digit", second: "2-digit" })}` : ""}
          {load.loading && d ? " · refreshing…" : ""}
        </p>
      </div>
      {load.error && <ErrorNote error={load.error} retry={() => void load.reload()} />}
      {!d && !load.error && <Loading what="today" />}
      {d && (
        <>
          {d.emergencies.length > 0 && <EmergencyBanner calls={d.emergencies} open={setCall} />}
          <p class="summary">{d.summary}</p>
          <div class="grid">
            <div class="card">
              <h2>Today's jobs</h2>
              <JobTimeline jobs={d.today} empty="No jobs left on today's schedule." />
              <h3>Tomorrow</h3>
              <JobTimeline jobs={d.tomorrow} empty="Nothing booked for tomorrow yet." />
            </div>
            <div class="card">
              <h2>
                Callbacks <Badge kind={d.callbacks.length ? "warn" : "muted"}>{d.callbacks.length}</Badge>
              </h2>
              {d.callbacks.length === 0 ? (
                <Empty>No one is waiting for a call back.</Empty>
              ) : (
                <ul class="list callbacks">
                  {d.callbacks.map((c) => (
                    <li key={c.id}>
                      <div>
                        <strong>{c.name || phone(c.phone)}</strong> <Badge kind="warn">{label(c.reason)}</Badge>
                        <div class="muted">
                          {c.note || "No message left."} · {ago(c.created_at)}
                        </div>
                        {c.voicemail && <VoicemailPlayer vm={{ audio: c.voicemail }} />}
                      </div>
                      <div class="actions">
                        <a class="button" href={`tel:${c.phone}`}>
                          Call back
                        </a>
                        <button type="button" onClick={() => setResolving(c)}>
                          Resolve
                        </button>
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <div class="card">
              <h2>Recent calls</h2>
              <RecentCalls calls={d.recent_calls} open={setCall} />
            </div>
          </div>
        </>
      )}
      {call && (
        <Dialog title="Call" onClose={() => setCall(null)}>
          <CallDetail sid={call} />
        </Dialog>
      )}
      {resolving && (
        <Resolve
          callback={resolving}
          onDone={() => {
            setResolving(null);
            void load.reload();
          }}
        />
      )}
    </section>
  );
}

function EmergencyBanner({ calls, open }: { calls: CallSummary[]; open: (sid: string) => void }) {
  return (
    <div class="banner emergency" role="alert">
      <strong>
        {calls.length === 1 ? "1 emergency call today" : `${calls.length} emergency calls today`}
      </strong>
      <ul>
        {calls.map((c) => (
          <li key={c.call_sid}>
            {label(c.service)} · {phone(c.caller)} · {time(c.started_at)} ·{" "}
            <button type="button" class="link" onClick={() => open(c.call_sid)}>
              details
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function JobTimeline({ jobs, empty }: { jobs: Appointment[]; empty: string }) {
  if (jobs.length === 0) return <Empty>{empty}</Empty>;
  return (
    <ol class="timeline">
      {jobs.map((j) => (
        <li key={j.id}>
          <time dateTime={j.start}>{time(j.start)}</time>
          <div>
            <strong>{j.service_label ?? label(j.service)}</strong> · {j.customer.name ?? phone(j.customer.phone)}
            <div class="muted">
              {j.address ?? "No address"} · {j.resource_name ?? j.resource}
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}

export function RecentCalls({ calls, open }: { calls: CallSummary[]; open: (sid: string) => void }) {
  if (calls.length === 0) return <Empty>No calls yet.</Empty>;
  return (
    <ul class="list calls">
      {calls.map((c) => (
        <li key={c.call_sid}>
          <button type="button" class="row" onClick={() => open(c.call_sid)}>
            <span>
              {c.channel === "sms" ? "Text" : "Call"} from {phone(c.caller)}
              {c.emergency && (
                <>
                  {" "}
                  <Badge kind="danger">emergency</Badge>
                </>
              )}
            </span>
            <span class="muted">
              {label(c.service)} · {ago(c.started_at)}
            </span>
            <Outcome outcome={c.outcome} />
          </button>
        </li>
      ))}
    </ul>
  );
}

function Resolve({ callback, onDone }: { callback: Callback; onDone: () => void }) {
  const [outcome, setOutcome] = useState<string>("called_back");
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      await api("POST", `/v1/owner/callbacks/${encodeURIComponent(callback.id)}/resolve`, {
        outcome,
        note: note.trim() || undefined,
      });
      onDone();
    } catch (err) {
      setError(message(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Resolve: ${callback.name || phone(callback.phone)}`} onClose={onDone}>
      <form onSubmit={submit} class="stack">
        <label>
          Outcome
          <select value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
            {OUTCOMES.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          Note (optional)
          <textarea maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
        {error && <ErrorNote error={error} />}
        <button type="submit" class="primary" disabled={busy}>
          Mark resolved
        </button>
      </form>
    </Dialog>
  );
}
