// Shapes of the API's answers (see GET /v1/openapi.json and the README).

export type CallSummary = {
  call_sid: string;
  started_at: string;
  caller: string;
  customer_id: string | null;
  outcome: string;
  emergency: boolean;
  service: string;
  channel: "voice" | "sms";
  duration_s: number | null;
};

export type CustomerRef = { id?: string; name: string | null; phone: string; address?: string | null };

export type Appointment = {
  id: string;
  start: string;
  end: string;
  resource: string;
  resource_name?: string;
  status: string;
  service: string;
  service_label?: string;
  customer: CustomerRef;
  address: string | null;
  call_sid?: string | null;
  notes?: { at: string; by: string; text: string }[];
  amount?: number | null;
  job_id?: string | null;
};

export type Callback = {
  id: string;
  status: string;
  reason: string;
  note: string;
  phone: string;
  name: string | null;
  call_sid: string | null;
  created_at: string;
  outcome: string | null;
};

export type Today = {
  date: string;
  time_zone: string;
  summary: string;
  generated_at: string;
  emergencies: CallSummary[];
  today: Appointment[];
  tomorrow: Appointment[];
  callbacks: Callback[];
  recent_calls: CallSummary[];
};

export type CallView = {
  call_sid: string;
  started_at: string;
  caller: string;
  outcome: string;
  status: string;
  emergency: boolean;
  life_safety: boolean;
  service: string;
  intent: string;
  confidence: number;
  reasons: { code: string; evidence: string }[];
  customer: CustomerRef | null;
  appointment: Appointment | null;
  message: string | null;
  transcript: { speaker: string; text: string; at: string }[];
  recording_url?: string | null;
};

export type Customer = {
  id: string;
  name: string | null;
  phone: string;
  other_phones: string[];
  email: string | null;
  address: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
  last_job_at: string | null;
};

export type TimelineItem = { kind: string; at: string; id: string; summary: string; status?: string; direction?: string };

export type Span = { open: string; close: string };
export type ServiceSetting = { service: string; label: string; duration_min: number; price_low: number; price_high: number };
export type Scheduling = {
  time_zone: string;
  hours: { days: Span[][] };
  services: ServiceSetting[];
  resources: { id: string; name: string }[];
  booking: {
    closures: { from: string; to: string; name: string }[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
};

export type General = {
  emergency_keywords: string[];
  owner_name: string;
  owner_cell: string;
  owner_email: string | null;
  alert_sla_s: number;
  transcript_retention_days: number;
};

export type Slot = { start: string; end: string; resource: string; spoken: string };

export type Analytics = {
  from: string;
  to: string;
  jobs_per_week: { week_start: string; jobs: number; emergencies: number }[];
  service_mix: { service: string; label: string; jobs: number }[];
  emergencies: number;
  calls: number;
  booking_rate: number;
  missed_call_rate: number;
  revenue_estimate: number;
  top_zip_codes: { zip: string; jobs: number }[];
};

export type Page<T> = { items: T[]; next: string | null };
