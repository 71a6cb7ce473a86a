// Analytics: jobs and emergencies per week, the service mix, missed calls, booking rate and
// the revenue estimate, drawn with Chart.js.

import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  Tooltip,
} from "chart.js";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, qs } from "../api";
import { money, percent } from "../format";
import type { Analytics as Data } from "../types";
import { Empty, Loaded, useLoad } from "../ui";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Legend, Tooltip);

export function Analytics() {
  const [weeks, setWeeks] = useState(12);
  const load = useLoad(() => api<Data>("GET", `/v1/owner/analytics${qs({ weeks })}`), [weeks]);
  return (
    <section aria-labelledby="an-title">
      <div class="title-row">
        <h1 id="an-title">Analytics</h1>
        <label>
          Period{" "}
          <select value={weeks} onChange={(e) => setWeeks(Number(e.currentTarget.value))}>
            <option value={4}>4 weeks</option>
            <option value={12}>12 weeks</option>
            <option value={26}>26 weeks</option>
            <option value={52}>52 weeks</option>
          </select>
        </label>
      </div>
      <Loaded
        load={load}
        what="analytics"
        render={(d) => (
          <>
            <div class="tiles">
              <Tile name="Calls" value={String(d.calls)} />
              <Tile name="Booking rate" value={percent(d.booking_rate)} />
              <Tile name="Missed calls" value={percent(d.missed_call_rate)} hint="hung up before any outcome" />
              <Tile name="Emergencies" value={String(d.emergencies)} />
              <Tile name="Revenue estimate" value={money(d.revenue_estimate)} hint="invoiced, else the middle of the price range" />
            </div>
            <div class="grid two">
              <div class="card">
                <h2>Jobs per week</h2>
                <WeeklyChart d={d} />
              </div>
              <div class="card">
                <h2>Service mix</h2>
                {d.service_mix.length === 0 ? <Empty>No jobs in this period.</Empty> : <MixChart d={d} />}
              </div>
            </div>
            {d.leads_by_channel.length > 0 && (
              <div class="card">
                <h2>Leads by channel</h2>
                <ul class="list">
                  {d.leads_by_channel.map((c) => (
                    <li key={c.channel}>
                      {CHANNELS[c.channel] ?? c.channel}: {c.leads} leads, {c.booked} booked
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {d.top_zip_codes.length > 0 && (
              <div class="card">
                <h2>Where the work is</h2>
                <ul class="list">
                  {d.top_zip_codes.map((z) => (
                    <li key={z.zip}>
                      {z.zip}: {z.jobs} jobs
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </>
        )}
      />
    </section>
  );
}

/** How the owner names each channel a lead came in on. */
const CHANNELS: Record<string, string> = { voice: "Phone calls", sms: "Texts", chat: "Website chat" };

function Tile({ name, value, hint }: { name: string; value: string; hint?: string }) {
  return (
    <div class="tile" title={hint}>
      <span class="muted">{name}</span>
      <strong>{value}</strong>
    </div>
  );
}

function useChart(make: (canvas: HTMLCanvasElement) => Chart, deps: unknown[]) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = make(ref.current);
    return () => chart.destroy();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return ref;
}

function WeeklyChart({ d }: { d: Data }) {
  const ref = useChart(
    (c) =>
      new Chart(c, {
        type: "bar",
        data: {
          labels: d.jobs_per_week.map((w) => w.week_start.slice(5)),
          datasets: [
            { label: "Jobs", data: d.jobs_per_week.map((w) => w.jobs), backgroundColor: "#2563eb" },
            { label: "Emergencies", data: d.jobs_per_week.map((w) => w.emergencies), backgroundColor: "#dc2626" },
          ],
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      }),
    [d],
  );
  return (
    <div class="chart">
      <canvas ref={ref} role="img" aria-label={`Jobs per week: ${d.jobs_per_week.map((w) => `${w.week_start} ${w.jobs}`).join(", ")}`} />
    </div>
  );
}

function MixChart({ d }: { d: Data }) {
  const colours = ["#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d"];
  const ref = useChart(
    (c) =>
      new Chart(c, {
        type: "doughnut",
        data: {
          labels: d.service_mix.map((s) => s.label),
          datasets: [{ data: d.service_mix.map((s) => s.jobs), backgroundColor: d.service_mix.map((_, i) => colours[i % colours.length]) }],
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: "bottom" } } },
      }),
    [d],
  );
  return (
    <div class="chart">
      <canvas ref={ref} role="img" aria-label={`Service mix: ${d.service_mix.map((s) => `${s.label} ${s.jobs}`).join(", ")}`} />
    </div>
  );
}
