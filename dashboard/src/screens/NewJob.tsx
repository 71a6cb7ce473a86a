// New job: the office books a job taken by hand (POST /v1/crm/appointments). Pick a
// customer on file (or add one), a service, a day, then one of that day's free times:
// the same locks and customer text as a phone booking, so a taken time is refused (409)
// and the free times are read again.

import { useState } from "preact/hooks";
import { api, qs } from "../api";
import { localDate, phone } from "../format";
import type { Appointment, Customer, NewAppointment, Page, Scheduling, ServiceType, Slot } from "../types";
import { Dialog, Empty, ErrorNote, message, useLoad } from "../ui";
import { FreeTimes, type Availability } from "./FreeTimes";

export function NewJob({
  date,
  settings,
  onClose,
}: {
  date: string;
  settings: Scheduling;
  onClose: (booked: Appointment | null) => void;
}) {
  const [query, setQuery] = useState("");
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [adding, setAdding] = useState(false);
  const [service, setService] = useState<ServiceType | "">(settings.services[0]?.service ?? "");
  const [day, setDay] = useState(date < localDate() ? localDate() : date);
  const [error, setError] = useState<string | null>(null);
  const found = useLoad(
    async () => (query.trim().length < 2 ? null : api<Page<Customer>>("GET", `/v1/crm/customers${qs({ q: query.trim(), limit: 8 })}`)),
    [query],
  );
  const slots = useLoad(
    async () =>
      customer && service
        ? api<Availability>("GET", `/v1/owner/availability${qs({ date: day, service })}`)
        : null,
    [customer?.id, service, day],
  );
  const book = async (s: Slot) => {
    if (!customer || !service) return;
    const body: NewAppointment = { customer_id: customer.id, service: service as ServiceType, start: s.start, resource: s.resource };
    try {
      onClose(await api<Appointment>("POST", "/v1/crm/appointments", body));
    } catch (e) {
      setError(message(e));
      void slots.reload();
    }
  };
  return (
    <Dialog title="New job" onClose={() => onClose(null)}>
      <div class="stack">
        {customer ? (
          <p>
            For <strong>{customer.name ?? phone(customer.phone)}</strong> · {phone(customer.phone)}
            {customer.address ? ` · ${customer.address}` : ""}{" "}
            <button type="button" class="ghost" onClick={() => setCustomer(null)}>
              Change
            </button>
          </p>
        ) : adding ? (
          <AddCustomer onAdded={setCustomer} onCancel={() => setAdding(false)} />
        ) : (
          <fieldset class="stack">
            <legend>Customer</legend>
            <label>
              Find a customer by name or phone
              <input type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
            </label>
            {found.data && found.data.items.length === 0 && <Empty>No customer matches.</Empty>}
            {found.data && found.data.items.length > 0 && (
              <ul class="slots" aria-label="Matching customers">
                {found.data.items.map((c) => (
                  <li key={c.id}>
                    <button type="button" onClick={() => setCustomer(c)}>
                      {c.name ?? "No name"} · {phone(c.phone)}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <button type="button" class="ghost" onClick={() => setAdding(true)}>
              New customer
            </button>
          </fieldset>
        )}
        {customer && (
          <fieldset class="stack">
            <legend>When</legend>
            <label>
              Service
              <select value={service} onChange={(e) => setService(e.currentTarget.value as ServiceType)}>
                {settings.services.map((s) => (
                  <option key={s.service} value={s.service}>
                    {s.label} ({s.duration_min} min)
                  </option>
                ))}
              </select>
            </label>
            <label>
              Day
              <input type="date" value={day} onChange={(e) => e.currentTarget.value && setDay(e.currentTarget.value)} />
            </label>
            {error && <ErrorNote error={error} />}
            <FreeTimes slots={slots} resources={settings.resources} verb="Book" onPick={(s) => void book(s)} />
          </fieldset>
        )}
      </div>
    </Dialog>
  );
}

/** A new customer's name, phone and address (POST /v1/crm/customers). */
function AddCustomer({ onAdded, onCancel }: { onAdded: (c: Customer) => void; onCancel: () => void }) {
  const [name, setName] = useState("");
  const [tel, setTel] = useState("");
  const [address, setAddress] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="stack"
      onSubmit={(e) => {
        e.preventDefault();
        api<Customer>("POST", "/v1/crm/customers", { name: name.trim(), phone: tel.trim(), address: address.trim() || null })
          .then(onAdded)
          .catch((err) => setError(message(err)));
      }}
    >
      <fieldset class="stack">
        <legend>New customer</legend>
        <label>
          Name
          <input required maxLength={120} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Phone
          <input required type="tel" value={tel} onInput={(e) => setTel(e.currentTarget.value)} />
        </label>
        <label>
          Address
          <input maxLength={300} value={address} onInput={(e) => setAddress(e.currentTarget.value)} />
        </label>
        {error && <ErrorNote error={error} />}
        <div class="actions">
          <button type="submit">Add customer</button>
          <button type="button" class="ghost" onClick={onCancel}>
            Back to search
          </button>
        </div>
      </fieldset>
    </form>
  );
}
