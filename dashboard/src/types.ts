// Shapes of the API's answers: the generated types of the OpenAPI document
// (src/api.gen.ts, from openapi.json; `bash scripts/api-types.sh` refreshes both), under
// the names the screens use. Where a screen reads one list for two answers (the calendar
// shows /v1/crm/appointments and /v1/owner/schedule items alike), the type says so.

import type * as Api from "./api.gen";

export type ServiceType = Api.ApiSchemas["ServiceType"];
export type CallSummary = Api.CallSummary;
export type CustomerRef = Api.CustomerRef & { address?: string | null };
/** An appointment; a day's schedule item also carries its resource's and service's names. */
export type Appointment = Omit<Api.Appointment, "notes" | "job_id" | "amount" | "updated_at"> &
  Partial<Pick<Api.Appointment, "notes" | "job_id" | "amount" | "updated_at">> &
  Partial<Pick<Api.ScheduledJob, "resource_name" | "service_label" | "arrival_window_end">>;
export type Callback = Api.CallbackTask;
export type Today = Api.Today;
/** A call; `recording_url` is not served yet (voicemail recording is issue 27). */
export type CallView = Api.CallView;
export type Voicemail = Api.Voicemail;
export type Customer = Api.Customer;
export type TimelineItem = Api.TimelineEntry;
export type ServiceSetting = Api.ServiceOffering;
export type Span = Api.OpenSpan;
/** The scheduling settings; the API always sends `booking.closures` (empty when none). */
export type Scheduling = Omit<Api.SchedulingSettings, "booking"> & {
  booking: Api.BookingRules & { closures: Api.Closure[] };
};
export type General = Api.GeneralSettings;
export type Slot = Api.OfferedSlot;
export type NewAppointment = Api.NewAppointment;
export type UserRow = Api.UserRow;
export type UserPatch = Api.UserPatch;
export type Me = Api.Me;
export type LineSettings = Api.LineSettings;
export type ImportRequest = Api.ImportRequest;
export type Imported = Api.Imported;
export type NotificationRow = Api.NotificationRow;
export type Analytics = Api.Analytics;
/** A page of a list; the API always sends `next` (`null` at the end). */
export type Page<T> = { items: T[]; next: string | null };
/** A website chat key; the API always sends `revoked_at`, `replaced_by` and `snippet`
 * (the `<script>` tag to paste, empty once the key is revoked). */
export type WidgetKey = Required<Api.WidgetKey>;
export type NewWidgetKey = Api.NewWidgetKey;
