// Calendar: a day view with one column per technician or van, and a week view of days by
// technician; a job's details with complete, reschedule (to a free slot) and cancel; a
// new job the office took by hand (NewJob).

import { useState } from "preact/hooks";
import { api, qs } from "../api";
import { addDays, dateTime, day, label, localDate, minuteOfDay, phone, startOfLocalDay, time, weekStart } from "../format";
import type { Appointment, Page, Scheduling, Slot } from "../types";
import { Badge, Dialog, Empty, ErrorNote, Loaded, message, useLoad } from "../ui";
import { FreeTimes, type Availability } from "./FreeTimes";
import { NewJob } from "./NewJob";

type Data = { jobs: Appointment[]; settings: Scheduling };

const ACTIVE = new Set(["booked", "completed", "invoiced", "no_show"]);

export function Calendar() {
  const [view, setView] = useState<"day" | "week">("day");
  const [date, setDate] = useState(localDate());
  const [open, setOpen] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const from = view === "day" ? date : weekStart(date);
  const days = view === "day" ? 1 : 7;
  const load = useLoad<Data>(async () => {
    const [page, settings] = await Promise.all([
      api<Page<Appointment>>(
        "GET",
        `/v1/crm/appointments${qs({
          from: startOfLocalDay(from).toISOString(),
          to: startOfLocalDay(addDays(from, days)).toISOString(),
          limit: 500,
        })}`,
      ),
      api<Scheduling>("GET", "/v1/owner/settings/scheduling"),
    ]);
    return { jobs: page.items.filter((j) => ACTIVE.has(j.status)), settings };
  }, [from, days]);
  const step = (n: number) => setDate(addDays(date, n * days));
  return (
    <section aria-labelledby="cal-title">
      <div class="title-row">
        <h1 id="cal-title">Calendar</h1>
        <div class="toolbar" role="group" aria-label="Calendar controls">
          <button type="button" onClick={() => step(-1)} aria-label={`Previous ${view}`}>
            ‹
          </button>
          <input type="date" aria-label="Date" value={date} onChange={(e) => e.currentTarget.value && setDate(e.currentTarget.value)} />
          <button type="button" onClick={() => step(1)} aria-label={`Next ${view}`}>
            ›
          </button>
          <button type="button" onClick={() => setDate(localDate())}>
            Today
          </button>
          <button type="button" disabled={!load.data} onClick={() => setAdding(true)}>
            New job
          </button>
          <div class="segmented" role="radiogroup" aria-label="View">
            {(["day", "week"] as const).map((v) => (
              <button key={v} type="button" role="radio" aria-checked={view === v} onClick={() => setView(v)}>
                {v === "day" ? "Day" : "Week"}
              </button>
            ))}
          </div>
        </div>
      </div>
      <Loaded
        load={load}
        what="the calendar"
        render={(d) => (view === "day" ? <DayView date={date} data={d} open={setOpen} /> : <WeekView from={from} data={d} open={setOpen} />)}
      />
      {adding && load.data && (
        <NewJob
          date={date}
          settings={load.data.settings}
          onClose={(booked) => {
            setAdding(false);
            if (booked) {
              setDate(localDate(new Date(booked.start)));
              setOpen(booked.id);
              void load.reload();
            }
          }}
        />
      )}
      {open && (
        <JobDetail
          id={open}
          resources={load.data?.settings.resources ?? []}
          onClose={(changed) => {
            setOpen(null);
            if (changed) void load.reload();
          }}
        />
      )}
    </section>
  );
}

function DayView({ date, data, open }: { date: string; data: Data; open: (id: string) => void }) {
  const weekday = (new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7;
  const spans = data.settings.hours.days[weekday] ?? [];
  const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const jobMins = data.jobs.flatMap((j) => [minuteOfDay(j.start), minuteOfDay(j.end)]);
  const first = Math.min(...spans.map((s) => toMin(s.open)), ...jobMins, 8 * 60);
  const last = Math.max(...spans.map((s) => toMin(s.close)), ...jobMins, 17 * 60);
  const startH = Math.floor(first / 60);
  const endH = Math.ceil(last / 60);
  const hours = Array.from({ length: endH - startH }, (_, i) => startH + i);
  const px = 56; // height of an hour, CSS pixels
  return (
    <div class="day-view" style={{ "--cols": data.settings.resources.length }}>
      <p class="muted">
        {day(`${date}T12:00:00Z`)} · {spans.length ? spans.map((s) => `${s.open.slice(0, 5)}–${s.close.slice(0, 5)}`).join(", ") : "closed"}
      </p>
      <div class="day-grid">
        <div class="hours" aria-hidden="true">
          <div class="col-head" />
          {hours.map((h) => (
            <div key={h} class="hour" style={{ height: `${px}px` }}>
              {h % 12 || 12}
              {h < 12 ? "a" : "p"}
            </div>
          ))}
        </div>
        {data.settings.resources.map((r) => {
          const jobs = data.jobs.filter((j) => j.resource === r.id);
          return (
            <div key={r.id} class="tech-col" role="group" aria-label={r.name}>
              <div class="col-head">{r.name}</div>
              <div class="col-body" style={{ height: `${hours.length * px}px` }}>
                {jobs.length === 0 && <p class="state empty">No jobs</p>}
                {jobs.map((j) => {
                  const top = ((minuteOfDay(j.start) - startH * 60) / 60) * px;
                  const h = Math.max(28, ((new Date(j.end).getTime() - new Date(j.start).getTime()) / 3_600_000) * px);
                  return (
                    <button
                      key={j.id}
                      type="button"
                      class={`job ${j.status}`}
                      style={{ top: `${top}px`, height: `${h}px` }}
                      onClick={() => open(j.id)}
                    >
                      <strong>
                        {time(j.start)} {label(j.service)}
                      </strong>
                      <span>{j.customer.name ?? phone(j.customer.phone)}</span>
                    </button>
                  );
                })}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

function WeekView({ from, data, open }: { from: string; data: Data; open: (id: string) => void }) {
  const dates = Array.from({ length: 7 }, (_, i) => addDays(from, i));
  return (
    <div class="week-scroll">
      <table class="table week">
        <thead>
          <tr>
            <th scope="col">Technician</th>
            {dates.map((d) => (
              <th key={d} scope="col">
                {day(`${d}T12:00:00Z`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.settings.resources.map((r) => (
            <tr key={r.id}>
              <th scope="row">{r.name}</th>
              {dates.map((d) => {
                const jobs = data.jobs.filter((j) => j.resource === r.id && localDate(new Date(j.start)) === d);
                return (
                  <td key={d}>
                    {jobs.map((j) => (
                      <button key={j.id} type="button" class={`job chip ${j.status}`} onClick={() => open(j.id)}>
                        {time(j.start)} {label(j.service)}
                      </button>
                    ))}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {data.jobs.length === 0 && <Empty>No jobs this week.</Empty>}
    </div>
  );
}

function JobDetail({
  id,
  resources,
  onClose,
}: {
  id: string;
  resources: { id: string; name: string }[];
  onClose: (changed: boolean) => void;
}) {
  const [current, setCurrent] = useState(id);
  const [note, setNote] = useState("");
  const [changed, setChanged] = useState(false);
  const [moving, setMoving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useLoad(() => api<Appointment>("GET", `/v1/crm/appointments/${encodeURIComponent(current)}`), [current]);
  /** Sends a change; `true` when it was saved. */
  const patch = async (body: Record<string, unknown>, confirmText?: string) => {
    if (confirmText && !confirm(confirmText)) return false;
    try {
      await api("PATCH", `/v1/crm/appointments/${encodeURIComponent(current)}`, body);
      setChanged(true);
      setError(null);
      await load.reload();
      return true;
    } catch (e) {
      setError(message(e));
      return false;
    }
  };
  return (
    <Dialog title="Job" onClose={() => onClose(changed)}>
      <Loaded
        load={load}
        what="the job"
        render={(a) => (
          <div class="stack">
            <p>
              <strong>{a.service_label ?? label(a.service)}</strong> <Badge kind={a.status === "booked" ? "ok" : "muted"}>{label(a.status)}</Badge>
            </p>
            <dl class="facts">
              <dt>When</dt>
              <dd>
                {dateTime(a.start)} – {time(a.end)}
              </dd>
              <dt>Customer</dt>
              <dd>
                {a.customer.name ?? "Unknown"} · <a href={`tel:${a.customer.phone}`}>{phone(a.customer.phone)}</a>
              </dd>
              <dt>Address</dt>
              <dd>{a.address ?? "No address"}</dd>
              <dt>Technician</dt>
              <dd>{resources.find((r) => r.id === a.resource)?.name ?? a.resource}</dd>
              {a.amount != null && (
                <>
                  <dt>Amount</dt>
                  <dd>${a.amount}</dd>
                </>
              )}
            </dl>
            {a.notes && a.notes.length > 0 && (
              <ul class="notes">
                {a.notes.map((n, i) => (
                  <li key={i}>
                    {n.text} <span class="muted">({n.by}, {dateTime(n.at)})</span>
                  </li>
                ))}
              </ul>
            )}
            <form
              class="note-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (note.trim()) void patch({ note: note.trim() }).then((saved) => saved && setNote(""));
              }}
            >
              <label class="grow">
                Add a note for this job
                <input maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
              </label>
              <button type="submit">Add note</button>
            </form>
            {error && <ErrorNote error={error} />}
            {a.status === "booked" && !moving && (
              <div class="actions">
                <button type="button" onClick={() => setMoving(true)}>
                  Reschedule
                </button>
                <button type="button" onClick={() => void patch({ status: "completed" })}>
                  Mark completed
                </button>
                <button
                  type="button"
                  class="danger"
                  onClick={() => void patch({ status: "cancelled" }, "Cancel this job? The customer gets a text.")}
                >
                  Cancel job
                </button>
              </div>
            )}
            {moving && (
              <Reschedule
                job={a}
                resources={resources}
                onMoved={(newId) => {
                  setMoving(false);
                  setChanged(true);
                  setCurrent(newId);
                }}
                onCancel={() => setMoving(false)}
              />
            )}
          </div>
        )}
      />
    </Dialog>
  );
}

function Reschedule({
  job,
  resources,
  onMoved,
  onCancel,
}: {
  job: Appointment;
  resources: { id: string; name: string }[];
  onMoved: (id: string) => void;
  onCancel: () => void;
}) {
  const [date, setDate] = useState(localDate(new Date(job.start)));
  const [error, setError] = useState<string | null>(null);
  const slots = useLoad(
    () => api<Availability>("GET", `/v1/owner/availability${qs({ date, service: job.service })}`),
    [date],
  );
  const move = async (s: Slot) => {
    try {
      const moved = await api<Appointment>("POST", `/v1/crm/appointments/${encodeURIComponent(job.id)}/reschedule`, {
        start: s.start,
        resource: s.resource,
      });
      onMoved(moved.id);
    } catch (e) {
      setError(message(e));
      void slots.reload();
    }
  };
  return (
    <fieldset class="stack">
      <legend>Move to another time</legend>
      <label>
        Day
        <input type="date" value={date} onChange={(e) => e.currentTarget.value && setDate(e.currentTarget.value)} />
      </label>
      {error && <ErrorNote error={error} />}
      <FreeTimes slots={slots} resources={resources} onPick={(s) => void move(s)} />
      <button type="button" class="ghost" onClick={onCancel}>
        Keep the current time
      </button>
    </fieldset>
  );
}
