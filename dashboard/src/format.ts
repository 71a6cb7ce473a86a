// Display helpers: times in the business's own zone, phone numbers, labels.

let zone = "America/Chicago";

/** Sets the business's IANA time zone (from its scheduling settings). */
export function setZone(tz: string) {
  zone = tz;
}

export function getZone() {
  return zone;
}

const fmt = (opts: Intl.DateTimeFormatOptions) => (iso: string) =>
  new Intl.DateTimeFormat("en-US", { timeZone: zone, ...opts }).format(new Date(iso));

export const time = (iso: string) => fmt({ hour: "numeric", minute: "2-digit" })(iso);
export const day = (iso: string) => fmt({ weekday: "short", month: "short", day: "numeric" })(iso);
export const dateTime = (iso: string) =>
  fmt({ weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" })(iso);

/** `YYYY-MM-DD` of an instant in the business's zone. */
export function localDate(d: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(d);
  return parts;
}

/** Adds whole days to a `YYYY-MM-DD` date. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Monday of the week holding `date`. */
export function weekStart(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  return addDays(date, -((d.getUTCDay() + 6) % 7));
}

/** The UTC instant of local midnight starting `date` in the business's zone. */
export function startOfLocalDay(date: string): Date {
  // Guess UTC midnight, then correct by the zone's offset at that instant (twice, for
  // days when the offset changes).
  let t = new Date(`${date}T00:00:00Z`).getTime();
  for (let i = 0; i < 2; i++) {
    const shown = new Date(new Date(t).toLocaleString("en-US", { timeZone: zone }) + " UTC");
    const want = new Date(`${date}T00:00:00Z`);
    t += want.getTime() - shown.getTime();
  }
  return new Date(t);
}

/** Minutes after local midnight of an instant. */
export function minuteOfDay(iso: string): number {
  const p = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const h = Number(p.find((x) => x.type === "hour")?.value ?? 0);
  const m = Number(p.find((x) => x.type === "minute")?.value ?? 0);
  return h * 60 + m;
}

/** `+19135550142` → `(913) 555-0142`. */
export function phone(e164: string | null | undefined): string {
  if (!e164) return "";
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}

/** `faucet_repair` → `faucet repair`. */
export const label = (s: string | null | undefined) => (s ?? "").replace(/_/g, " ");

export const ago = (iso: string) => {
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return day(iso);
};

export const money = (n: number) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(n);

export const percent = (x: number) => `${Math.round(x * 100)}%`;
