// Customer import and the CSV exports (owner only, on Customers). An import reads the
// file in the browser (Papa Parse) to show its columns and first rows; the owner maps
// columns to fields; "Check" asks the API for a dry run (what would be created, updated,
// skipped, and each row's error), and only "Import" writes. Exports download the API's
// CSV (formulas neutralised there) with the signed-in token.

import Papa from "papaparse";
import { useState } from "preact/hooks";
import { api, download } from "../api";
import type { ImportRequest, Imported } from "../types";
import { Dialog, ErrorNote, message } from "../ui";

/** The fields an import fills, in the API's names, with what the owner sees. */
const FIELDS: [string, string][] = [
  ["name", "Full name"],
  ["first_name", "First name"],
  ["last_name", "Last name"],
  ["phone", "Phone"],
  ["email", "Email"],
  ["address", "Address (one line)"],
  ["street", "Street"],
  ["city", "City"],
  ["state", "State"],
  ["zip", "ZIP"],
  ["notes", "Notes"],
];

const PREVIEW_ROWS = 5;

/** A column whose header already names the field, ignoring case, spaces and underscores. */
function guess(field: string, headers: string[]): string {
  const squash = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, "");
  return headers.find((h) => squash(h) === squash(field)) ?? "";
}

export function Exports() {
  const [error, setError] = useState<string | null>(null);
  const save = async (kind: "customers" | "appointments" | "calls") => {
    setError(null);
    try {
      const blob = await download(`/v1/crm/export/${kind}`);
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = `${kind}.csv`;
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (e) {
      setError(message(e));
    }
  };
  return (
    <div class="toolbar" role="group" aria-label="Export as CSV">
      {(["customers", "appointments", "calls"] as const).map((k) => (
        <button key={k} type="button" onClick={() => void save(k)}>
          Export {k}
        </button>
      ))}
      {error && <ErrorNote error={error} />}
    </div>
  );
}

export function ImportCustomers({ onClose }: { onClose: (imported: boolean) => void }) {
  const [csv, setCsv] = useState("");
  const [headers, setHeaders] = useState<string[]>([]);
  const [rows, setRows] = useState<Record<string, string>[]>([]);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [result, setResult] = useState<Imported | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const read = async (file: File | undefined) => {
    setError(null);
    setResult(null);
    if (!file) return;
    const text = await file.text();
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true, preview: PREVIEW_ROWS });
    const hs = parsed.meta.fields ?? [];
    if (hs.length === 0) {
      setError("That file has no header row. The first line should name the columns.");
      return;
    }
    setCsv(text);
    setHeaders(hs);
    setRows(parsed.data);
    setMapping(Object.fromEntries(FIELDS.map(([f]) => [f, guess(f, hs)]).filter(([, h]) => h)));
  };
  const send = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const body: ImportRequest = { csv, mapping, dry_run: dryRun };
      setResult(await api<Imported>("POST", "/v1/crm/import/customers", body));
      if (!dryRun) setDone(true);
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  const mapped = FIELDS.filter(([f]) => mapping[f]);
  return (
    <Dialog title="Import customers" onClose={() => onClose(done)}>
      <div class="stack">
        <label>
          CSV file (a header row, then one customer a row)
          <input type="file" accept=".csv,text/csv" onChange={(e) => void read(e.currentTarget.files?.[0])} />
        </label>
        {headers.length > 0 && (
          <fieldset class="stack">
            <legend>Which column holds what</legend>
            {FIELDS.map(([f, label]) => (
              <label key={f}>
                {label}
                <select
                  value={mapping[f] ?? ""}
                  onChange={(e) => {
                    const h = e.currentTarget.value;
                    setResult(null);
                    setMapping((m) => {
                      const next = { ...m };
                      if (h) next[f] = h;
                      else delete next[f];
                      return next;
                    });
                  }}
                >
                  <option value="">(not in the file)</option>
                  {headers.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </fieldset>
        )}
        {rows.length > 0 && mapped.length > 0 && (
          <div class="week-scroll">
            <table class="table" aria-label="First rows as they will be read">
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  {mapped.map(([f, label]) => (
                    <th key={f} scope="col">
                      {label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i}>
                    <th scope="row">{i + 1}</th>
                    {mapped.map(([f]) => (
                      <td key={f}>{r[mapping[f]] ?? ""}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {error && <ErrorNote error={error} />}
        {result && (
          <div role="status" aria-live="polite" class="stack">
            <p class="state ok">
              {result.dry_run ? "Checked, nothing written: " : "Imported: "}
              {result.rows} rows · {result.created} new · {result.updated} updated · {result.unchanged} unchanged · {result.skipped} skipped
            </p>
            {result.errors.length > 0 && (
              <ul class="list" aria-label="Rows with errors">
                {result.errors.slice(0, 50).map((e) => (
                  <li key={`${e.row}-${e.field}`}>
                    Row {e.row}, {e.field}: {e.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        {headers.length > 0 && !done && (
          <div class="actions">
            <button type="button" disabled={busy} onClick={() => void send(true)}>
              Check
            </button>
            <button type="button" class="primary" disabled={busy || !result?.dry_run} onClick={() => void send(false)}>
              Import
            </button>
          </div>
        )}
      </div>
    </Dialog>
  );
}
