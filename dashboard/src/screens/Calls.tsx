// Calls and texts: filters, the list, and one call's transcript, triage reasons, outcome
// and voicemail (played through the API with the signed-in token, never Twilio's URL).

import { useState } from "preact/hooks";
import { api, qs } from "../api";
import { dateTime, label, phone } from "../format";
import type { CallSummary, CallView, Page } from "../types";
import { Badge, Dialog, Empty, Loaded, Outcome, useLoad } from "../ui";
import { Sent } from "./Sent";
import { VoicemailPlayer } from "./Voicemail";

const OUTCOMES = [
  "booked",
  "emergency_dispatched",
  "rescheduled",
  "cancelled",
  "faq_answered",
  "message_taken",
  "transferred",
  "not_a_lead",
  "abandoned",
];

export function Calls() {
  const [days, setDays] = useState(7);
  const [channel, setChannel] = useState("");
  const [outcome, setOutcome] = useState("");
  const [emergency, setEmergency] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [more, setMore] = useState<CallSummary[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const load = useLoad(async () => {
    const from = new Date(Date.now() - days * 86_400_000).toISOString();
    const page = await api<Page<CallSummary>>(
      "GET",
      `/v1/crm/calls${qs({ from, to: new Date(Date.now() + 60_000).toISOString(), outcome, emergency: emergency || undefined, limit: 50 })}`,
    );
    setMore([]);
    setNext(page.next);
    return { page, from };
  }, [days, outcome, emergency]);
  const loadMore = async () => {
    if (!next || !load.data) return;
    const page = await api<Page<CallSummary>>(
      "GET",
      `/v1/crm/calls${qs({ from: load.data.from, outcome, emergency: emergency || undefined, limit: 50, cursor: next })}`,
    );
    setMore((m) => [...m, ...page.items]);
    setNext(page.next);
  };
  return (
    <section aria-labelledby="calls-title">
      <h1 id="calls-title">Calls &amp; texts</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label>
          Period
          <select value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
            <option value={1}>Last 24 hours</option>
            <option value={7}>Last 7 days</option>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
          </select>
        </label>
        <label>
          Channel
          <select value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>
            <option value="">Calls, texts and chats</option>
            <option value="voice">Calls</option>
            <option value="sms">Texts</option>
            <option value="chat">Website chat</option>
          </select>
        </label>
        <label>
          Outcome
          <select value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
            <option value="">Any</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {label(o)}
              </option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={emergency} onChange={(e) => setEmergency(e.currentTarget.checked)} />
          Emergencies only
        </label>
      </form>
      <Loaded
        load={load}
        what="calls"
        render={({ page }) => {
          const items = [...page.items, ...more].filter((c) => !channel || c.channel === channel);
          if (items.length === 0) return <Empty>No calls or texts match these filters.</Empty>;
          return (
            <>
              <table class="table calls">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">From</th>
                    <th scope="col" class="type">Type</th>
                    <th scope="col">Service</th>
                    <th scope="col">Outcome</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((c) => (
                    <tr key={c.call_sid}>
                      <td>
                        <button type="button" class="link" onClick={() => setOpen(c.call_sid)}>
                          {dateTime(c.started_at)}
                        </button>
                      </td>
                      <td>{phone(c.caller)}</td>
                      <td class="type">
                        {c.channel === "sms"
                          ? "Text"
                          : c.channel === "chat"
                            ? "Website chat"
                            : `Call${c.duration_s ? ` · ${Math.round(c.duration_s / 60) || 1} min` : ""}`}
                      </td>
                      <td>
                        {label(c.service)} {c.emergency && <Badge kind="danger">emergency</Badge>}
                      </td>
                      <td>
                        <Outcome outcome={c.outcome} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {next && (
                <button type="button" onClick={() => void loadMore()}>
                  Show more
                </button>
              )}
            </>
          );
        }}
      />
      {open && (
        <Dialog title="Call" onClose={() => setOpen(null)}>
          <CallDetail sid={open} />
        </Dialog>
      )}
    </section>
  );
}

/** One call or text conversation: who, outcome, why (triage reasons), transcript. */
export function CallDetail({ sid }: { sid: string }) {
  const load = useLoad(() => api<CallView>("GET", `/v1/crm/calls/${encodeURIComponent(sid)}`), [sid]);
  return (
    <Loaded
      load={load}
      what="the call"
      render={(c) => (
        <div class="call-detail">
          <p>
            <Outcome outcome={c.outcome ?? "in_progress"} /> {c.emergency && <Badge kind="danger">emergency</Badge>}{" "}
            {c.life_safety && <Badge kind="danger">life safety</Badge>}
          </p>
          <dl class="facts">
            <dt>When</dt>
            <dd>{dateTime(c.started_at)}</dd>
            <dt>Caller</dt>
            <dd>
              {c.customer?.name ? `${c.customer.name}, ` : ""}
              <a href={`tel:${c.caller}`}>{phone(c.caller)}</a>
            </dd>
            {c.customer?.address && (
              <>
                <dt>Address</dt>
                <dd>{c.customer.address}</dd>
              </>
            )}
            <dt>Service</dt>
            <dd>
              {label(c.service)} ({label(c.intent)}, {Math.round(c.confidence * 100)}% sure)
            </dd>
            {c.appointment && (
              <>
                <dt>Job</dt>
                <dd>
                  {dateTime(c.appointment.start)} · {c.appointment.status}
                </dd>
              </>
            )}
            {c.message && (
              <>
                <dt>Message</dt>
                <dd>{c.message}</dd>
              </>
            )}
            <dt>Voicemail</dt>
            <dd>{c.voicemail ? <VoicemailPlayer vm={c.voicemail} /> : <span class="muted">No voicemail for this call.</span>}</dd>
          </dl>
          <h3>Why it was triaged this way</h3>
          {c.reasons.length === 0 ? (
            <Empty>No triage signals.</Empty>
          ) : (
            <ul class="reasons">
              {c.reasons.map((r, i) => (
                <li key={i}>
                  <Badge kind={c.emergency ? "danger" : "muted"}>{label(r.code)}</Badge> “{r.evidence}”
                </li>
              ))}
            </ul>
          )}
          <Sent filter={{ call_sid: c.call_sid }} />
          <h3>Transcript</h3>
          {c.transcript.length === 0 ? (
            <Empty>No transcript (kept for the retention period only).</Empty>
          ) : (
            <ol class="transcript">
              {c.transcript.map((t, i) => (
                <li key={i} class={t.speaker}>
                  <span class="speaker">{t.speaker === "agent" ? "Receptionist" : "Caller"}</span>
                  <span>{t.text}</span>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    />
  );
}
