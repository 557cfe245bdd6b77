import { type Operation, ok } from './operation.js';

/** `GET /v2/bookings/business-booking-profile` [RetrieveBusinessBookingProfile]. */
export const retrieveBusinessBookingProfile: Operation = (store) =>
  ok({
    business_booking_profile: {
      seller_id: store.seller.merchantId,
      created_at: '2024-02-01T08:00:00Z',
      booking_enabled: true,
      customer_timezone_choice: 'BUSINESS_LOCATION_TIMEZONE',
      booking_policy: 'ACCEPT_ALL',
      allow_user_cancel: true,
      business_appointment_settings: {
        location_types: ['BUSINESS_LOCATION'],
        alignment_time: { 15: 'QUARTER_HOURLY', 30: 'HALF_HOURLY', 60: 'HOURLY' }[
          store.seller.slotIntervalMinutes
        ],
        min_booking_lead_time_seconds: 0,
        max_booking_lead_time_seconds: 31_536_000,
        any_team_member_booking_enabled: true,
        multiple_service_booking_enabled: true,
        cancellation_window_seconds: 86_400,
        cancellation_policy: 'CUSTOM_POLICY',
        cancellation_policy_text: 'Avbokning senast 24 timmar före besöket.',
      },
      support_seller_level_writes: true,
    },
  });
