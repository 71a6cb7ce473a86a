// A day's free times for a service (GET /v1/owner/availability) as buttons: the
// reschedule form and the new-job form pick a time from the same list.

import { time } from "../format";
import type { Slot } from "../types";
import { Empty, ErrorNote, Loading, type Load } from "../ui";

/** What `GET /v1/owner/availability` answers. */
export type Availability = { slots: Slot[]; closure: { name: string } | null };

/** The first twelve free times; `verb` starts each button ("Book"), `onPick` takes one. */
export function FreeTimes({
  slots,
  resources,
  verb,
  onPick,
}: {
  slots: Load<Availability | null>;
  resources: { id: string; name: string }[];
  verb?: string;
  onPick: (s: Slot) => void;
}) {
  if (slots.loading && !slots.data) return <Loading what="free times" />;
  if (slots.error) return <ErrorNote error={slots.error} />;
  if (slots.data && slots.data.slots.length === 0) {
    return <Empty>{slots.data.closure ? `Closed: ${slots.data.closure.name}.` : "No free time that day."}</Empty>;
  }
  return (
    <ul class="slots" aria-label="Free times">
      {slots.data?.slots.slice(0, 12).map((s) => (
        <li key={s.start + s.resource}>
          <button type="button" onClick={() => onPick(s)}>
            {verb ? `${verb} ` : ""}
            {time(s.start)} · {resources.find((r) => r.id === s.resource)?.name ?? s.resource}
          </button>
        </li>
      ))}
    </ul>
  );
}
