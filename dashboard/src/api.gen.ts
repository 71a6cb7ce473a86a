// Generated from dashboard/openapi.json by scripts/api-types.mjs: do not edit.
// Frontline API 0.1.0

export interface ApiSchemas {
/**
 * Emergencies after hours: always alert the on-call owner; `transfer` also puts the
 * caller through (when the emergency policy transfers at all).
 */
AfterHoursEmergency: ("transfer" | "notify")
AfterHoursPolicy: AfterHoursPolicy
/**
 * Ordinary work after hours: book the next business day, or take a message for a
 * callback when the business opens.
 */
AfterHoursRoutine: ("book" | "take_message")
Analytics: Analytics
Appointment: Appointment
AppointmentPatch: AppointmentPatch
/**
 * Where an appointment is in its life. Office moves: `booked` → `completed` →
 * `invoiced`; `booked` → `cancelled` or `no_show`. The receptionist's own: `held` (a
 * time offered on the phone, locked until the caller says yes), `released` (a held time
 * turned down), `rescheduled` (the old appointment of a job moved to another time).
 */
AppointmentStatus: (("held" | "booked" | "completed" | "invoiced" | "cancelled" | "no_show" | "released") | "rescheduled")
AuditRow: AuditRow
/**
 * Who wrote a chat line.
 */
Author: ("visitor" | "receptionist")
AuthorizationUrl: AuthorizationUrl
Availability: Availability
BookingRules: BookingRules
BusyBlock: BusyBlock
CalendarStatus: CalendarStatus
CallCustomer: CallCustomer
CallSummary: CallSummary
CallView: CallView
/**
 * How a callback was resolved.
 */
CallbackOutcome: ("called_back" | "booked" | "left_voicemail" | "no_answer" | "not_needed" | "wrong_number")
CallbackTask: CallbackTask
ChannelCount: ChannelCount
ChatLine: ChatLine
ChatState: ChatState
Closure: Closure
CredentialRow: CredentialRow
Customer: Customer
CustomerExport: CustomerExport
CustomerInput: CustomerInput
CustomerPatch: CustomerPatch
CustomerRef: CustomerRef
DaySchedule: DaySchedule
DlqDepth: DlqDepth
Erased: Erased
GeneralSettings: GeneralSettings
Health: Health
ImportRequest: ImportRequest
Imported: Imported
IssuedKey: IssuedKey
JobRun: JobRun
Lifecycle: Lifecycle
LineCellRequest: LineCellRequest
LineCodeRequest: LineCodeRequest
LinePinRequest: LinePinRequest
LineSettings: LineSettings
LoginRequest: LoginRequest
Me: Me
MergeRequest: MergeRequest
Merged: Merged
NewAppointment: NewAppointment
NewCredential: NewCredential
NewLogin: NewLogin
NewTenant: NewTenant
NewUser: NewUser
NewWidgetKey: NewWidgetKey
Note: Note
NotificationRow: NotificationRow
NumberMoved: NumberMoved
NumberRouteInput: NumberRouteInput
OfferedSlot: OfferedSlot
OpenSpan: OpenSpan
PageOfAppointment: PageOfAppointment
PageOfAuditRow: PageOfAuditRow
PageOfCallSummary: PageOfCallSummary
PageOfCallbackTask: PageOfCallbackTask
PageOfCredentialRow: PageOfCredentialRow
PageOfCustomer: PageOfCustomer
PageOfNotificationRow: PageOfNotificationRow
PageOfTenantView: PageOfTenantView
PageOfTimelineEntry: PageOfTimelineEntry
PageOfUserRow: PageOfUserRow
PageOfWidgetKey: PageOfWidgetKey
Problem: Problem
QueueDepth: QueueDepth
Reason: Reason
RefreshRequest: RefreshRequest
RescheduleRequest: RescheduleRequest
ResetAccepted: ResetAccepted
ResetConfirm: ResetConfirm
ResetRequest: ResetRequest
ResolveCallback: ResolveCallback
Resource: Resource
/**
 * Dashboard and API roles.
 */
Role: ("owner" | "staff" | "admin")
RotateCredential: RotateCredential
RowError: RowError
ScheduledJob: ScheduledJob
SchedulingSettings: SchedulingSettings
ServiceCount: ServiceCount
ServiceOffering: ServiceOffering
/**
 * The service taxonomy (shared with the evaluation data and the tenant's catalogue).
 */
ServiceType: ("leak_repair" | "burst_pipe" | "frozen_pipe" | "flooding" | "water_heater" | "tankless_install" | "drain_clog" | "sewer_backup" | "no_water" | "toilet_repair" | "faucet_repair" | "sump_pump" | "gas_smell" | "co_alarm" | "no_heat" | "no_ac" | "hvac_repair" | "maintenance" | "sparking_outlet" | "burning_smell" | "panel_repair" | "power_outage" | "electrical_repair" | "handyman" | "estimate" | "inspection" | "other")
Session: Session
StartChat: StartChat
StatusChange: StatusChange
TenantStatus: ("active" | "suspended" | "lockdown")
TenantView: TenantView
TimelineEntry: TimelineEntry
Today: Today
TurnRecord: TurnRecord
Usage: Usage
UsageRow: UsageRow
UserPatch: UserPatch
UserRow: UserRow
VisitorMessage: VisitorMessage
Voicemail: Voicemail
WeekCount: WeekCount
WeeklyHours: WeeklyHours1
WidgetKey: WidgetKey
ZipCount: ZipCount
}
/**
 * What happens outside business hours.
 */
export interface AfterHoursPolicy {
/**
 * Emergencies after hours: always alert the on-call owner; `transfer` also puts the
 * caller through (when the emergency policy transfers at all).
 */
emergencies: ("transfer" | "notify")
/**
 * Ordinary work after hours: book the next business day, or take a message for a
 * callback when the business opens.
 */
routine: ("book" | "take_message")
}
/**
 * `GET /v1/owner/analytics`.
 */
export interface Analytics {
/**
 * Calls that ended `booked` or `rescheduled` over calls that were leads (everything
 * but `not_a_lead`), 0–1.
 */
booking_rate: number
calls: number
/**
 * Calls triaged as emergencies.
 */
emergencies: number
/**
 * First local day counted (a Monday) and the day after the last; the last week is
 * next week, as booked so far.
 */
from: string
/**
 * Jobs booked to start in each local week (Monday first), oldest first; cancelled
 * and moved jobs left out.
 */
jobs_per_week: WeekCount[]
/**
 * Leads and bookings per channel the customer came in on (`voice`, `sms`, `chat`:
 * the website widget), in that order; a channel with no conversation is left out.
 */
leads_by_channel: ChannelCount[]
/**
 * Calls abandoned before an outcome over all calls, 0–1.
 */
missed_call_rate: number
/**
 * Sum of each kept job's price: the invoiced amount when there is one, else the
 * middle of its service's price range. Whole US dollars.
 */
revenue_estimate: number
/**
 * Jobs per service type, most first.
 */
service_mix: ServiceCount[]
to: string
/**
 * ZIP codes of kept jobs' addresses, most first (at most 10).
 */
top_zip_codes: ZipCount[]
}
export interface WeekCount {
emergencies: number
jobs: number
week_start: string
}
/**
 * One channel's conversations in the range.
 */
export interface ChannelCount {
/**
 * Of those, how many ended `booked` or `rescheduled`.
 */
booked: number
/**
 * `voice`, `sms` or `chat`.
 */
channel: string
/**
 * Conversations that were leads (every outcome but `not_a_lead`).
 */
leads: number
}
export interface ServiceCount {
jobs: number
label: string
service: string
}
export interface ZipCount {
jobs: number
zip: string
}
/**
 * One appointment of a job: `GET /v1/crm/appointments` and `…/{appointment_id}`, the
 * reminders, the calendar sync and the owner's day all read this one shape.
 */
export interface Appointment {
address?: (string | null)
/**
 * Invoiced amount, whole US dollars.
 */
amount?: (number | null)
/**
 * The job's Google Calendar state (`synced`, `failed`, `removed`) when the tenant is
 * connected.
 */
calendar_sync?: (string | null)
/**
 * The call or text conversation that booked it.
 */
call_sid?: (string | null)
customer: CustomerRef
end: string
id: string
/**
 * The job this appointment belongs to (stable across reschedules; the calendar
 * event follows it). `None` means the appointment's own id.
 */
job_id?: (string | null)
/**
 * In the order written; never replaced.
 */
notes: Note[]
/**
 * The technician or van (a resource id).
 */
resource: string
/**
 * The service taxonomy (shared with the evaluation data and the tenant's catalogue).
 */
service: ("leak_repair" | "burst_pipe" | "frozen_pipe" | "flooding" | "water_heater" | "tankless_install" | "drain_clog" | "sewer_backup" | "no_water" | "toilet_repair" | "faucet_repair" | "sump_pump" | "gas_smell" | "co_alarm" | "no_heat" | "no_ac" | "hvac_repair" | "maintenance" | "sparking_outlet" | "burning_smell" | "panel_repair" | "power_outage" | "electrical_repair" | "handyman" | "estimate" | "inspection" | "other")
/**
 * `[start, end)`, UTC.
 */
start: string
/**
 * Where an appointment is in its life. Office moves: `booked` → `completed` →
 * `invoiced`; `booked` → `cancelled` or `no_show`. The receptionist's own: `held` (a
 * time offered on the phone, locked until the caller says yes), `released` (a held time
 * turned down), `rescheduled` (the old appointment of a job moved to another time).
 */
status: (("held" | "booked" | "completed" | "invoiced" | "cancelled" | "no_show" | "released") | "rescheduled")
updated_at?: (string | null)
}
/**
 * The customer an appointment is for, as it was booked.
 */
export interface CustomerRef {
id: string
name: string
/**
 * E.164.
 */
phone: string
}
/**
 * A note on a job or callback: who wrote it (a login's email, or `receptionist`) and
 * when (RFC 3339).
 */
export interface Note {
at: string
by: string
text: string
}
/**
 * `PATCH /v1/crm/appointments/{appointment_id}` body.
 */
export interface AppointmentPatch {
/**
 * The invoiced amount, whole US dollars (with `invoiced`).
 */
amount?: (number | null)
/**
 * A note to add (1–2,000 characters); notes are kept in order, never replaced.
 */
note?: (string | null)
/**
 * The next status (see [`AppointmentStatus::can_become`]).
 */
status?: ((("held" | "booked" | "completed" | "invoiced" | "cancelled" | "no_show" | "released") | "rescheduled") | null)
}
/**
 * One audit record: `actor` (`user:{email}`, `call:{CallSid}`), `action`, `target`,
 * `at` (RFC 3339).
 */
export interface AuditRow {
action: string
actor: string
at: string
target: string
}
/**
 * `POST /v1/owner/integrations/google/connect`: where to send the owner to consent.
 */
export interface AuthorizationUrl {
/**
 * Google's consent page, with PKCE and a single-use `state`.
 */
authorization_url: string
}
/**
 * `GET /v1/owner/availability`.
 */
export interface Availability {
closure?: (Closure | null)
date: string
/**
 * The service's duration, minutes.
 */
duration_min: number
/**
 * The service taxonomy (shared with the evaluation data and the tenant's catalogue).
 */
service: ("leak_repair" | "burst_pipe" | "frozen_pipe" | "flooding" | "water_heater" | "tankless_install" | "drain_clog" | "sewer_backup" | "no_water" | "toilet_repair" | "faucet_repair" | "sump_pump" | "gas_smell" | "co_alarm" | "no_heat" | "no_ac" | "hvac_repair" | "maintenance" | "sparking_outlet" | "burning_smell" | "panel_repair" | "power_outage" | "electrical_repair" | "handyman" | "estimate" | "inspection" | "other")
slots: OfferedSlot[]
}
/**
 * Days the business takes no jobs, inclusive (a holiday is a one-day closure).
 */
export interface Closure {
from: string
/**
 * "Thanksgiving", "Vacation".
 */
name: string
to: string
}
/**
 * A start the receptionist would offer.
 */
export interface OfferedSlot {
arrival_window_end: string
end: string
resource: string
/**
 * As the receptionist says it ("Thursday between 9 and 11 in the morning").
 */
spoken: string
/**
 * RFC 3339.
 */
start: string
}
/**
 * The tenant's scheduling settings (hours and the service catalogue live on [`Tenant`]).
 * Validated on write by [`Tenant::validate_scheduling`].
 */
export interface BookingRules {
after_hours?: AfterHoursPolicy1
/**
 * The arrival window promised to customers, minutes from the booked start
 * ("between 9 and 11"); 0 reads back an exact time.
 */
arrival_window_min?: number
/**
 * Wrap-up time held after every job, minutes.
 */
buffer_min: number
/**
 * Holidays and closures: no job is booked on these days.
 */
closures?: Closure[]
/**
 * How far ahead callers may book, days.
 */
horizon_days: number
/**
 * Minimum notice before a job may start, minutes.
 */
lead_time_min: number
/**
 * Most jobs one resource takes in a day (0: no limit).
 */
max_jobs_per_day?: number
/**
 * Offered start times are multiples of this many minutes past the hour.
 */
start_step_min: number
/**
 * Travel time held between jobs (after the buffer), minutes.
 */
travel_min?: number
}
/**
 * What happens outside business hours.
 */
export interface AfterHoursPolicy1 {
/**
 * Emergencies after hours: always alert the on-call owner; `transfer` also puts the
 * caller through (when the emergency policy transfers at all).
 */
emergencies: ("transfer" | "notify")
/**
 * Ordinary work after hours: book the next business day, or take a message for a
 * callback when the business opens.
 */
routine: ("book" | "take_message")
}
/**
 * Time the owner's Google Calendar holds busy on a resource.
 */
export interface BusyBlock {
end: string
resource: string
/**
 * Always `google`.
 */
source: string
/**
 * RFC 3339.
 */
start: string
}
/**
 * `GET /v1/owner/integrations/google`: the connection (its `status` is
 * `not_connected` when there is none) and the upcoming jobs not in the calendar yet.
 */
export interface CalendarStatus {
calendar_id: string
connected_at?: (string | null)
connected_by?: (string | null)
jobs_not_in_calendar: number
last_error?: (string | null)
last_error_at?: (string | null)
last_import_at?: (string | null)
last_sync_at?: (string | null)
provider: string
resource: string
/**
 * `connected`, `failing` (retrying), `reconnect_needed` (access revoked), or
 * `not_connected`.
 */
status: string
unsynced_job_ids: string[]
}
export interface CallCustomer {
address?: (string | null)
name?: (string | null)
phone: string
}
/**
 * A call in lists (no transcript).
 */
export interface CallSummary {
call_sid: string
caller: string
/**
 * `voice`, `sms` or `chat` (a text conversation is stored as a call with a `tx_` id,
 * a website chat with a `ch_` id).
 */
channel: string
customer_id?: (string | null)
/**
 * Call length, seconds, from Twilio's status callback (`CallDuration`).
 */
duration_s?: (number | null)
emergency: boolean
outcome: string
service: string
started_at: string
}
/**
 * `GET /v1/crm/calls/{call_sid}`: the call, its outcome, triage reasons and transcript.
 */
export interface CallView {
appointment?: (Appointment | null)
call_sid: string
caller: string
confidence: number
customer: CallCustomer
emergency: boolean
intent?: (string | null)
language: string
life_safety: boolean
message?: (string | null)
outcome?: (string | null)
reasons: Reason[]
service: string
started_at: string
status?: (string | null)
transcript: TurnRecord[]
/**
 * The caller's voicemail, when one was left.
 */
voicemail?: (Voicemail | null)
}
/**
 * One reason a decision was taken: a code and the words that triggered it.
 */
export interface Reason {
code: string
evidence: string
}
/**
 * One transcript line (caller speech is redacted and bounded before it is kept).
 */
export interface TurnRecord {
at: string
speaker: string
text: string
}
/**
 * A call's voicemail as the office sees it.
 */
export interface Voicemail {
/**
 * The authenticated route that plays it (`GET`, WAV).
 */
audio: string
/**
 * Length, seconds.
 */
duration_s?: (number | null)
/**
 * RFC 3339.
 */
recorded_at?: (string | null)
/**
 * Twilio's `RecordingSid` (`RE…`).
 */
recording_sid: string
/**
 * Twilio's `RecordingUrl` (never fetched by the browser: see `audio`).
 */
recording_url?: (string | null)
/**
 * Twilio's transcription, when it has come.
 */
transcription?: (string | null)
}
/**
 * A callback task as the queue shows it.
 */
export interface CallbackTask {
call_sid?: (string | null)
created_at: string
id: string
name?: (string | null)
note: string
outcome?: (string | null)
phone: string
/**
 * `missed_call`, `voicemail`, `handoff`, …
 */
reason: string
resolution_note?: (string | null)
resolved_at?: (string | null)
resolved_by?: (string | null)
/**
 * `open` or `done`.
 */
status: string
/**
 * The route that plays the caller's voicemail (`GET`, WAV), when they left one.
 */
voicemail?: (string | null)
}
/**
 * One line of the chat.
 */
export interface ChatLine {
/**
 * RFC 3339.
 */
at: string
/**
 * Who wrote a chat line.
 */
from: ("visitor" | "receptionist")
/**
 * Plain text (never HTML).
 */
text: string
}
/**
 * The whole chat as the widget draws it, with a fresh session token.
 */
export interface ChatState {
/**
 * The chat is an emergency: the owner was alerted; the widget shows "call now".
 */
emergency: boolean
/**
 * The receptionist has closed the chat.
 */
ended: boolean
/**
 * Seconds the token lives if the chat sits idle.
 */
expires_in: number
/**
 * Every line so far, oldest first.
 */
messages: ChatLine[]
/**
 * Answers to offer as buttons (plain text sent as the visitor's next message).
 */
quick_replies: string[]
/**
 * `cs_` and 32 hex digits.
 */
session_id: string
shop_name: string
/**
 * The shop's number (E.164), for the tap-to-call link.
 */
shop_phone: string
/**
 * Bearer token for this session's next request (HS256 JWT).
 */
token: string
}
/**
 * An API credential (integrator key) as stored and listed; never its value.
 */
export interface CredentialRow {
created_at: string
/**
 * Set when rotated or revoked: the key stops working at this instant.
 */
expires_at?: (string | null)
hash?: string
/**
 * Public id (`key_` + 12 hex digits of the hash).
 */
id: string
last_used_at?: (string | null)
name: string
/**
 * The credential that replaced this one, after a rotation.
 */
replaced_by?: (string | null)
/**
 * Dashboard and API roles.
 */
role: ("owner" | "staff" | "admin")
tenant_id: string
}
/**
 * A customer as the CRM shows it (`GET /v1/crm/customers/{customer_id}`); times RFC 3339.
 */
export interface Customer {
address?: (string | null)
created_at?: (string | null)
email?: (string | null)
id: string
last_job_at?: (string | null)
name?: (string | null)
notes?: (string | null)
/**
 * Numbers merged in from duplicates; calls and texts from them land here.
 */
other_phones: string[]
phone: string
updated_at?: (string | null)
}
/**
 * Everything held about one customer (a subject access request).
 */
export interface CustomerExport {
customer: Customer
exported_at: string
opted_out: boolean
/**
 * Every item that names the customer, as stored.
 */
records: unknown[]
}
/**
 * `POST /v1/crm/customers` body.
 */
export interface CustomerInput {
/**
 * One line: street, city, state and ZIP.
 */
address?: (string | null)
email?: (string | null)
/**
 * 1–120 characters.
 */
name: string
/**
 * Free text, at most 2,000 characters.
 */
notes?: (string | null)
/**
 * Any North American format (`(913) 555-0123`) or E.164.
 */
phone: string
}
/**
 * `PATCH /v1/crm/customers/{customer_id}` body: only the fields present change; `null`
 * clears an optional field.
 */
export interface CustomerPatch {
address?: (string | null)
email?: (string | null)
name?: (string | null)
notes?: (string | null)
phone?: (string | null)
}
/**
 * `GET /v1/owner/schedule`.
 */
export interface DaySchedule {
busy: BusyBlock[]
/**
 * The closure the day falls in, if any.
 */
closure?: (Closure | null)
date: string
items: ScheduledJob[]
time_zone: string
minItems?: 0
}
/**
 * A booked job as the day's schedule shows it.
 */
export interface ScheduledJob {
address?: (string | null)
/**
 * When the arrival window promised to the customer closes (RFC 3339).
 */
arrival_window_end: string
calendar_sync?: (string | null)
call_sid?: (string | null)
customer: CustomerRef
end: string
id: string
resource: string
resource_name?: (string | null)
/**
 * The service taxonomy (shared with the evaluation data and the tenant's catalogue).
 */
service: ("leak_repair" | "burst_pipe" | "frozen_pipe" | "flooding" | "water_heater" | "tankless_install" | "drain_clog" | "sewer_backup" | "no_water" | "toilet_repair" | "faucet_repair" | "sump_pump" | "gas_smell" | "co_alarm" | "no_heat" | "no_ac" | "hvac_repair" | "maintenance" | "sparking_outlet" | "burning_smell" | "panel_repair" | "power_outage" | "electrical_repair" | "handyman" | "estimate" | "inspection" | "other")
/**
 * The tenant's own name for the service.
 */
service_label: string
start: string
}
/**
 * A dead-letter queue's depth.
 */
export interface DlqDepth {
messages: number
name: string
}
/**
 * What an erasure did.
 */
export interface Erased {
/**
 * The customer's id.
 */
erased: string
records_redacted: number
}
/**
 * `GET`/`PUT /v1/owner/settings`: who is told, what counts as an emergency, how long
 * transcripts are kept.
 */
export interface GeneralSettings {
/**
 * Seconds an emergency text may go undelivered before the owner is phoned (15–600).
 */
alert_sla_s: number
/**
 * Extra phrases this business treats as emergencies (2–60 characters each, at most
 * 50), matched in lower case.
 */
emergency_keywords: string[]
/**
 * E.164 or any North American format; receives emergency and new-lead texts.
 */
owner_cell: string
/**
 * Receives the alert email fallback and the daily digest's copy.
 */
owner_email?: (string | null)
/**
 * The owner's first name, as the receptionist says it.
 */
owner_name: string
/**
 * Days transcripts and text bodies are kept (30–3650).
 */
transcript_retention_days: number
}
/**
 * `GET /v1/admin/health`.
 */
export interface Health {
/**
 * RFC 3339.
 */
checked_at: string
dlq_messages: number
queues: QueueDepth[]
scheduled_jobs: JobRun[]
/**
 * `ok`, or `attention` when a dead-letter queue holds a message.
 */
status: string
}
/**
 * A queue's depth (SQS's approximate counts) and its dead-letter queue's.
 */
export interface QueueDepth {
dlq?: (DlqDepth | null)
/**
 * Why the queue could not be read (then the counts are 0).
 */
error?: (string | null)
/**
 * Received and not yet deleted.
 */
in_flight: number
messages: number
name: string
}
/**
 * A scheduled job's last run.
 */
export interface JobRun {
job: string
/**
 * RFC 3339.
 */
last_run: string
/**
 * What the run reported (counts, per job).
 */
summary: {
[k: string]: unknown
}
}
/**
 * `POST /v1/crm/import/customers` body.
 */
export interface ImportRequest {
/**
 * The CSV text, with a header row (RFC 4180; at most 10,000 data rows).
 */
csv: string
/**
 * Check every row and report what would happen; write nothing.
 */
dry_run?: boolean
/**
 * Target field (`name`, `phone`, `email`, `address`, `notes`, `first_name`,
 * `last_name`, `street`, `city`, `state`, `zip`) → CSV column header. Columns whose
 * header already names a field map themselves.
 */
mapping?: {
[k: string]: string
}
}
/**
 * What an import did (or, with `dry_run`, would do).
 */
export interface Imported {
created: number
dry_run: boolean
errors: RowError[]
/**
 * Data rows read.
 */
rows: number
/**
 * Rows not imported, each in `errors`.
 */
skipped: number
unchanged: number
updated: number
}
/**
 * One row's fate in an import.
 */
export interface RowError {
field: string
message: string
/**
 * 1-based data row number (the header is row 0), as a spreadsheet shows it minus one.
 */
row: number
}
/**
 * A key as issued: its value is shown this once.
 */
export interface IssuedKey {
credential: CredentialRow
key: string
/**
 * On a rotation: the old key's id and when it stops working.
 */
previous?: {
[k: string]: unknown
}
}
/**
 * Lifecycle settings; every field has a default, so older profiles read as before.
 */
export interface Lifecycle {
/**
 * Local hour (0–23) of the owner's daily digest; `None` turns it off. Default 7.
 */
digest_hour?: (number | null)
quiet_end?: string
/**
 * Local time customer texts stop (default 21:00) and start again (default 08:00). A
 * reminder whose send time falls inside is not sent (an earlier one already was).
 */
quiet_start?: string
/**
 * Hours before a job that the customer gets a reminder text (each 1 to 72). Default
 * `[24, 2]`.
 */
reminder_leads_h?: number[]
/**
 * Days call transcripts and text bodies are kept (default 365); older ones are
 * redacted by `retention-purge`.
 */
transcript_retention_days?: number
/**
 * Customers with no job for this many months get one win-back text per campaign;
 * `None` (default) turns the campaign off.
 */
winback_after_months?: (number | null)
}
/**
 * `PUT /v1/auth/me/line` body: the login's own cell for the owner's line.
 */
export interface LineCellRequest {
/**
 * E.164 (`+19135550100`); a code is texted to it.
 */
cell: string
}
/**
 * `POST /v1/auth/me/line/verify` body: the code texted to the cell.
 */
export interface LineCodeRequest {
/**
 * Six digits, valid for 10 minutes, spent once.
 */
code: string
}
/**
 * `PUT /v1/auth/me/line/pin` body.
 */
export interface LinePinRequest {
/**
 * 4 to 6 digits; stored only as an argon2 hash.
 */
pin: string
}
/**
 * `GET /v1/auth/me/line`: the signed-in login's line settings (never the PIN).
 */
export interface LineSettings {
/**
 * The login's cell (E.164), verified or waiting for its code.
 */
cell?: (string | null)
/**
 * Whether a PIN is set (for calling in from another phone).
 */
pin_set: boolean
/**
 * The shop's number to call (E.164).
 */
shop_number: string
/**
 * Whether calls and texts from `cell` reach the owner's line.
 */
verified: boolean
}
/**
 * `POST /v1/auth/login` body.
 */
export interface LoginRequest {
email: string
password: string
}
/**
 * `GET /v1/auth/me`: who the bearer is.
 */
export interface Me {
/**
 * The login's email, or an API key's id.
 */
email: string
/**
 * Dashboard and API roles.
 */
role: ("owner" | "staff" | "admin")
tenant_id: string
}
/**
 * `POST /v1/crm/customers/{customer_id}/merge` body.
 */
export interface MergeRequest {
/**
 * The duplicate customer to fold into the path's customer; it is removed afterwards.
 */
duplicate_id: string
}
/**
 * What a merge did.
 */
export interface Merged {
/**
 * The kept customer, after the merge.
 */
customer?: (Customer | null)
/**
 * How many timeline items moved to it.
 */
moved: number
/**
 * The duplicate's id, now gone.
 */
removed: string
}
/**
 * `POST /v1/crm/appointments` body: a job the office took by hand, for a customer on
 * file. Its length is the service's (the tenant's services list, else 60 minutes); the
 * slot must be free (no other job or calendar block), in the future and within a year.
 */
export interface NewAppointment {
/**
 * The customer (`POST /v1/crm/customers` first for a new one).
 */
customer_id: string
/**
 * The technician or van (a resource id); the tenant's first when left out.
 */
resource?: (string | null)
/**
 * The service taxonomy (shared with the evaluation data and the tenant's catalogue).
 */
service: ("leak_repair" | "burst_pipe" | "frozen_pipe" | "flooding" | "water_heater" | "tankless_install" | "drain_clog" | "sewer_backup" | "no_water" | "toilet_repair" | "faucet_repair" | "sump_pump" | "gas_smell" | "co_alarm" | "no_heat" | "no_ac" | "hvac_repair" | "maintenance" | "sparking_outlet" | "burning_smell" | "panel_repair" | "power_outage" | "electrical_repair" | "handyman" | "estimate" | "inspection" | "other")
/**
 * The start, RFC 3339 (e.g. a `start` from `GET /v1/owner/availability`).
 */
start: string
}
/**
 * `POST /v1/admin/tenants/{tenant_id}/credentials` body.
 */
export interface NewCredential {
/**
 * What the key is for ("QuickBooks sync"), 1–80 characters.
 */
name: string
/**
 * Dashboard and API roles.
 */
role?: ("owner" | "staff" | "admin")
}
/**
 * A login made by [`create_user`].
 */
export interface NewLogin {
email: string
/**
 * Dashboard and API roles.
 */
role: ("owner" | "staff" | "admin")
}
/**
 * `POST /v1/admin/tenants` body.
 */
export interface NewTenant {
/**
 * Lower-case letters, digits and dashes, 3–40 characters; never changes.
 */
id: string
/**
 * As spoken in the greeting.
 */
name: string
owner_cell: string
/**
 * The owner's login.
 */
owner_email: string
owner_name: string
/**
 * 10–256 characters.
 */
owner_password: string
/**
 * The Twilio number (E.164) that will route to this tenant.
 */
phone: string
plan?: string
/**
 * Cities served, lower case.
 */
service_area?: string[]
/**
 * The service catalogue; an estimate visit when omitted (the owner edits it later).
 */
services?: ServiceOffering[]
/**
 * IANA zone (`America/Chicago`).
 */
time_zone: string
/**
 * Spoken to wrong-number callers ("plumbing").
 */
trades: string
}
export interface ServiceOffering {
/**
 * Time on site, minutes.
 */
duration_min: number
/**
 * How the receptionist names the job ("water heater service").
 */
label: string
price_high: number
/**
 * Typical price range, whole US dollars.
 */
price_low: number
/**
 * The service taxonomy (shared with the evaluation data and the tenant's catalogue).
 */
service: ("leak_repair" | "burst_pipe" | "frozen_pipe" | "flooding" | "water_heater" | "tankless_install" | "drain_clog" | "sewer_backup" | "no_water" | "toilet_repair" | "faucet_repair" | "sump_pump" | "gas_smell" | "co_alarm" | "no_heat" | "no_ac" | "hvac_repair" | "maintenance" | "sparking_outlet" | "burning_smell" | "panel_repair" | "power_outage" | "electrical_repair" | "handyman" | "estimate" | "inspection" | "other")
}
/**
 * `POST /v1/auth/users` body: a new owner or staff login in the caller's tenant.
 */
export interface NewUser {
email: string
/**
 * 10 to 256 characters.
 */
password: string
/**
 * Dashboard and API roles.
 */
role: ("owner" | "staff" | "admin")
}
/**
 * `POST /v1/owner/widget-keys`: the origins of the shop's site.
 */
export interface NewWidgetKey {
/**
 * 1 to 10 origins, e.g. `https://bristolplumbing.example`.
 */
origins: string[]
}
/**
 * One notification as the owner's audit trail shows it.
 */
export interface NotificationRow {
attempts: number
body: string
/**
 * `sms-owner-0`, `sms-customer-1`, `voice-owner-0` (the fallback call).
 */
channel: string
created_at: string
event_id: string
/**
 * Delivery status callbacks in the order they moved the status.
 */
history: StatusChange[]
/**
 * `emergency_alert`, `booking_confirmed`, …
 */
kind: string
last_error?: (string | null)
/**
 * Masked (`+1913•••0199`).
 */
recipient: string
/**
 * sending, retry, unconfirmed, sent, delivered, undelivered, failed, suppressed.
 */
status: string
updated_at: string
}
/**
 * One delivery status a callback reported.
 */
export interface StatusChange {
at: string
error_code?: (string | null)
status: string
}
/**
 * A number moved to a tenant.
 */
export interface NumberMoved {
previous_number: string
tenant: TenantView
}
/**
 * A tenant as the operator lists it.
 */
export interface TenantView {
id: string
name: string
phone: string
plan: string
status: ("active" | "suspended" | "lockdown")
time_zone: string
}
/**
 * `PUT /v1/admin/tenants/{tenant_id}/number` body.
 */
export interface NumberRouteInput {
/**
 * The Twilio number (E.164) that now routes to the tenant; the old one stops.
 */
phone: string
}
/**
 * One open span, local wall-clock time, `open < close`.
 */
export interface OpenSpan {
close: string
open: string
}
/**
 * One page of a list and the opaque cursor of the next (`None` at the end).
 */
export interface PageOfAppointment {
items: Appointment[]
next?: (string | null)
minItems?: 0
}
/**
 * One page of a list and the opaque cursor of the next (`None` at the end).
 */
export interface PageOfAuditRow {
items: AuditRow[]
next?: (string | null)
minItems?: 0
}
/**
 * One page of a list and the opaque cursor of the next (`None` at the end).
 */
export interface PageOfCallSummary {
items: CallSummary[]
next?: (string | null)
minItems?: 0
}
/**
 * One page of a list and the opaque cursor of the next (`None` at the end).
 */
export interface PageOfCallbackTask {
items: CallbackTask[]
next?: (string | null)
minItems?: 0
}
/**
 * One page of a list and the opaque cursor of the next (`None` at the end).
 */
export interface PageOfCredentialRow {
items: CredentialRow[]
next?: (string | null)
minItems?: 0
}
/**
 * One page of a list and the opaque cursor of the next (`None` at the end).
 */
export interface PageOfCustomer {
items: Customer[]
next?: (string | null)
minItems?: 0
}
/**
 * One page of a list and the opaque cursor of the next (`None` at the end).
 */
export interface PageOfNotificationRow {
items: NotificationRow[]
next?: (string | null)
minItems?: 0
}
/**
 * One page of a list and the opaque cursor of the next (`None` at the end).
 */
export interface PageOfTenantView {
items: TenantView[]
next?: (string | null)
minItems?: 0
}
/**
 * One page of a list and the opaque cursor of the next (`None` at the end).
 */
export interface PageOfTimelineEntry {
items: TimelineEntry[]
next?: (string | null)
minItems?: 0
}
/**
 * One entry of a customer's timeline.
 */
export interface TimelineEntry {
/**
 * RFC 3339.
 */
at: string
direction?: (string | null)
/**
 * CallSid, appointment id, or the message's sort key time.
 */
id: string
/**
 * `call`, `text` or `appointment`.
 */
kind: string
status?: (string | null)
/**
 * One line: the call's outcome and service, the text's body, the job's service and
 * status.
 */
summary: string
}
/**
 * One page of a list and the opaque cursor of the next (`None` at the end).
 */
export interface PageOfUserRow {
items: UserRow[]
next?: (string | null)
minItems?: 0
}
/**
 * One of a tenant's users as the API lists them.
 */
export interface UserRow {
/**
 * Disabled logins cannot sign in or refresh.
 */
disabled: boolean
email: string
/**
 * Dashboard and API roles.
 */
role: ("owner" | "staff" | "admin")
}
/**
 * One page of a list and the opaque cursor of the next (`None` at the end).
 */
export interface PageOfWidgetKey {
items: WidgetKey[]
next?: (string | null)
minItems?: 0
}
/**
 * A tenant's widget key as stored and listed (`GET /v1/owner/widget-keys`).
 */
export interface WidgetKey {
/**
 * RFC 3339.
 */
created_at: string
/**
 * `wk_` and 32 lower-case hex digits: the `data-key` of the snippet.
 */
key: string
/**
 * Origins (`https://host[:port]`, lower-case, no path) whose pages may use the key.
 */
origins: string[]
/**
 * The key that replaced this one on rotation.
 */
replaced_by?: (string | null)
/**
 * RFC 3339, when the owner revoked or rotated it; a revoked key opens no chat.
 */
revoked_at?: (string | null)
/**
 * The snippet to paste into the site, for this key (set when listed).
 */
snippet?: string
}
/**
 * RFC 9457 problem details
 */
export interface Problem {
/**
 * What is wrong; names the field at fault (`booking.lead_time_min: …`)
 */
detail: string
status: number
title: string
type: string
}
/**
 * `POST /v1/auth/refresh` and `/v1/auth/logout` body.
 */
export interface RefreshRequest {
/**
 * The `refresh_token` of the last sign-in or refresh.
 */
refresh_token: string
}
/**
 * `POST /v1/crm/appointments/{appointment_id}/reschedule` body: the office moves a
 * booked job. The length stays the same; the slot must be free (no other job or
 * calendar block) and in the future.
 */
export interface RescheduleRequest {
/**
 * The technician or van (a resource id); the job's own when left out.
 */
resource?: (string | null)
/**
 * The new start, RFC 3339 (e.g. a `start` from `GET /v1/owner/availability`).
 */
start: string
}
/**
 * `202` to a password reset request, whether or not the login exists (no account
 * discovery).
 */
export interface ResetAccepted {
detail: string
}
/**
 * `POST /v1/auth/password-reset/confirm` body.
 */
export interface ResetConfirm {
/**
 * The new password, 10 to 256 characters.
 */
password: string
/**
 * The token from the reset email.
 */
token: string
}
/**
 * `POST /v1/auth/password-reset` body.
 */
export interface ResetRequest {
email: string
}
/**
 * `POST /v1/owner/callbacks/{callback_id}/resolve` body.
 */
export interface ResolveCallback {
/**
 * At most 2,000 characters.
 */
note?: (string | null)
/**
 * How a callback was resolved.
 */
outcome: ("called_back" | "booked" | "left_voicemail" | "no_answer" | "not_needed" | "wrong_number")
}
export interface Resource {
id: string
name: string
}
/**
 * `POST /v1/admin/credentials/{credential_id}/rotate` body.
 */
export interface RotateCredential {
/**
 * Hours the old key keeps working (0–168, default 24).
 */
overlap_hours?: number
}
/**
 * `GET`/`PUT /v1/owner/settings/scheduling`: hours, catalogue, resources and rules.
 */
export interface SchedulingSettings {
booking: BookingRules1
hours: WeeklyHours
lifecycle?: Lifecycle1
resources: Resource[]
services: ServiceOffering[]
/**
 * IANA zone, e.g. `America/Chicago`.
 */
time_zone: string
}
/**
 * The tenant's scheduling settings (hours and the service catalogue live on [`Tenant`]).
 * Validated on write by [`Tenant::validate_scheduling`].
 */
export interface BookingRules1 {
after_hours?: AfterHoursPolicy1
/**
 * The arrival window promised to customers, minutes from the booked start
 * ("between 9 and 11"); 0 reads back an exact time.
 */
arrival_window_min?: number
/**
 * Wrap-up time held after every job, minutes.
 */
buffer_min: number
/**
 * Holidays and closures: no job is booked on these days.
 */
closures?: Closure[]
/**
 * How far ahead callers may book, days.
 */
horizon_days: number
/**
 * Minimum notice before a job may start, minutes.
 */
lead_time_min: number
/**
 * Most jobs one resource takes in a day (0: no limit).
 */
max_jobs_per_day?: number
/**
 * Offered start times are multiples of this many minutes past the hour.
 */
start_step_min: number
/**
 * Travel time held between jobs (after the buffer), minutes.
 */
travel_min?: number
}
/**
 * Opening hours: `days`, Monday first, each a list of open spans.
 */
export interface WeeklyHours {
/**
 * @minItems 7
 * @maxItems 7
 */
days: [OpenSpan[], OpenSpan[], OpenSpan[], OpenSpan[], OpenSpan[], OpenSpan[], OpenSpan[]]
}
/**
 * Lifecycle settings; every field has a default, so older profiles read as before.
 */
export interface Lifecycle1 {
/**
 * Local hour (0–23) of the owner's daily digest; `None` turns it off. Default 7.
 */
digest_hour?: (number | null)
quiet_end?: string
/**
 * Local time customer texts stop (default 21:00) and start again (default 08:00). A
 * reminder whose send time falls inside is not sent (an earlier one already was).
 */
quiet_start?: string
/**
 * Hours before a job that the customer gets a reminder text (each 1 to 72). Default
 * `[24, 2]`.
 */
reminder_leads_h?: number[]
/**
 * Days call transcripts and text bodies are kept (default 365); older ones are
 * redacted by `retention-purge`.
 */
transcript_retention_days?: number
/**
 * Customers with no job for this many months get one win-back text per campaign;
 * `None` (default) turns the campaign off.
 */
winback_after_months?: (number | null)
}
/**
 * A signed-in session: what `login` and `refresh` answer (RFC 6749 §5.1 names).
 */
export interface Session {
access_token: string
/**
 * Seconds.
 */
expires_in: number
/**
 * Seconds.
 */
refresh_expires_in: number
refresh_token: string
/**
 * Dashboard and API roles.
 */
role: ("owner" | "staff" | "admin")
tenant_id: string
token_type: string
}
/**
 * `POST /v1/chat/sessions`.
 */
export interface StartChat {
/**
 * The widget key (`wk_…`, the snippet's `data-key`).
 */
key: string
/**
 * The visitor's mobile number (`(913) 555-0199`, `+19135550199`): it identifies the
 * customer and receives the booking texts.
 */
phone: string
}
/**
 * `GET /v1/owner/today`: the tenant's local today and tomorrow.
 */
export interface Today {
/**
 * Open callbacks, oldest first.
 */
callbacks: CallbackTask[]
/**
 * The tenant's local date.
 */
date: string
/**
 * Today's emergency calls.
 */
emergencies: CallSummary[]
/**
 * RFC 3339.
 */
generated_at: string
/**
 * Today's calls, newest first, at most 20.
 */
recent_calls: CallSummary[]
/**
 * A few sentences to read aloud.
 */
summary: string
/**
 * IANA zone the day is counted in.
 */
time_zone: string
today: Appointment[]
tomorrow: Appointment[]
}
/**
 * `GET /v1/admin/usage`: `[from, to)` and a row per tenant.
 */
export interface Usage {
/**
 * RFC 3339.
 */
from: string
items: UsageRow[]
/**
 * Always `null`: every tenant is on one page.
 */
next?: (string | null)
to: string
minItems?: 0
}
/**
 * One tenant's use of the platform in a month.
 */
export interface UsageRow {
/**
 * Calls and conversations that booked or moved a job.
 */
bookings: number
/**
 * Voice calls.
 */
calls: number
/**
 * Billed minutes: each call's started minutes (Twilio bills a started minute).
 */
minutes: number
tenant_id: string
/**
 * Text conversations (and website chats).
 */
text_conversations: number
/**
 * Text messages in and out.
 */
texts: number
}
/**
 * `PATCH /v1/auth/users/{email}` body: a login's role, or whether it is disabled. Either
 * change signs the login out everywhere (its refresh tokens die at once).
 */
export interface UserPatch {
/**
 * A disabled login cannot sign in or refresh until enabled again.
 */
disabled?: (boolean | null)
/**
 * `owner` or `staff`.
 */
role?: (("owner" | "staff" | "admin") | null)
}
/**
 * `POST /v1/chat/sessions/{session_id}/messages`.
 */
export interface VisitorMessage {
/**
 * The widget's id for this message (1 to 64 characters, a UUID): the same id again
 * is answered as before and changes nothing.
 */
message_id: string
/**
 * 1 to 500 characters, shown and kept as plain text.
 */
text: string
}
/**
 * Open spans for each weekday, Monday first. A closed day has none.
 */
export interface WeeklyHours1 {
/**
 * @minItems 7
 * @maxItems 7
 */
days: [OpenSpan[], OpenSpan[], OpenSpan[], OpenSpan[], OpenSpan[], OpenSpan[], OpenSpan[]]
}
