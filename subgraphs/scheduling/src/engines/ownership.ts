/**
 * Who may see and change a reservation. A reservation belongs to the client application that made
 * it and, when that client acted for a signed-in end user, to that user too:
 *
 * - an end user (a caller with a subject) reaches only reservations made for them;
 * - a backend client of the application (no subject: client-credentials token or API key) reaches
 *   every reservation of its application, its end users' included;
 * - another application reaches none; `admin` reaches all.
 *
 * Reservations made before subjects were recorded (subject null) belong to the application alone.
 */
export function mayAccess(
  caller: { clientId: string; subject: string | null; admin: boolean },
  reservation: { client_id: string; subject: string | null },
): boolean {
  if (caller.admin) return true;
  if (reservation.client_id !== caller.clientId) return false;
  return caller.subject === null || reservation.subject === caller.subject;
}
