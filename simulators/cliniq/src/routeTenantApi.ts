import { z } from 'zod';
import { changeView } from './createChangeFeed.js';
import type { TenantStore } from './createTenantStore.js';
import { failure, type Outcome, success } from './errors.js';
import { parseLocal } from './localTime.js';
import { type Patient, slotView } from './tenantRecords.js';

export interface TenantRequest {
  method: string;
  /** Path segments after `/t/{tenant}/api/v1`, already URI-decoded. */
  segments: readonly string[];
  query: URLSearchParams;
  /** Parsed JSON body of a POST; `undefined` otherwise. */
  body: unknown;
}

const maxWindowDays = 31;
const defaultPageSize = 25;
const maxPageSize = 100;

const holdBody = z.object({
  slotId: z.string().min(1),
  externalRef: z.string().min(1).max(128),
});
const confirmBody = z.object({ patient: z.unknown(), note: z.string().max(1000).optional() });
const bookingBody = holdBody.extend(confirmBody.shape);
const patientSchema = z.object({
  personalIdentityNumber: z.string().regex(/^\d{12}$/, 'expected 12 digits, yyyymmddnnnn'),
  firstName: z.string().trim().min(1),
  lastName: z.string().trim().min(1),
  email: z.email().optional(),
  phone: z.string().min(1).optional(),
});

function invalid(message: string) {
  return failure(400, 'invalid_request', message);
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): Outcome<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return success(200, parsed.data);
  const issue = parsed.error.issues[0];
  return invalid(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}

/** Cliniq reports the first bad patient field by name, with its own error code and 422. */
function parsePatient(value: unknown): Outcome<Patient> {
  const parsed = patientSchema.safeParse(value);
  if (parsed.success) return success(200, parsed.data);
  const issue = parsed.error.issues[0];
  const field = typeof issue?.path[0] === 'string' ? issue.path[0] : 'patient';
  return failure(422, 'invalid_patient', `patient.${field}: ${issue?.message ?? 'invalid'}`, field);
}

/**
 * Cliniq's list envelope: 1-based `page`, `pageSize` silently capped at 100. Only the page's
 * items go through `view`, so a long listing formats no more than it answers.
 */
function paginate<T, V = T>(
  items: readonly T[],
  query: URLSearchParams,
  view: (item: T) => V = (item) => item as unknown as V,
) {
  const pageText = query.get('page') ?? '1';
  const sizeText = query.get('pageSize') ?? String(defaultPageSize);
  if (!/^[1-9]\d*$/.test(pageText)) return invalid('page must be a positive integer');
  if (!/^[1-9]\d*$/.test(sizeText)) return invalid('pageSize must be a positive integer');
  const page = Number(pageText);
  const pageSize = Math.min(Number(sizeText), maxPageSize);
  return success(200, {
    data: items.slice((page - 1) * pageSize, page * pageSize).map(view),
    page,
    pageSize,
    totalPages: Math.ceil(items.length / pageSize),
    totalItems: items.length,
  });
}

/** Repeated (`?clinicId=a&clinicId=b`) and comma-separated (`?clinicId=a,b`) both work. */
function listParam(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
}

function listSlots(store: TenantStore, query: URLSearchParams) {
  const fromText = query.get('from');
  const toText = query.get('to');
  if (fromText === null || toText === null) return invalid('from and to are required');
  const from = parseLocal(fromText);
  const to = parseLocal(toText);
  if (!from || !to) {
    return invalid('from and to must be local times yyyy-MM-ddTHH:mm:ss without offset');
  }
  if (to <= from) return invalid('to must be after from');
  if (to > from.plus({ days: maxWindowDays })) {
    return invalid(`the window from..to must be at most ${maxWindowDays} days`);
  }
  const slots = store.listSlots({
    from,
    to,
    clinicIds: listParam(query, 'clinicId'),
    serviceCode: query.get('serviceCode') ?? undefined,
    practitionerId: query.get('practitionerId') ?? undefined,
  });
  return paginate(slots, query, slotView);
}

/**
 * `GET /changes`: the tenant's changes after a sequence number (`afterSequence`, what a client
 * that follows the feed sends) or since a local time (`since`, to start from a moment), exactly
 * one of the two, in the list envelope plus `latestSequence`, the newest change's number: a client
 * starts following from the present with it, and with it notices a feed that started over.
 */
function listChanges(store: TenantStore, query: URLSearchParams) {
  const afterText = query.get('afterSequence');
  const sinceText = query.get('since');
  if ((afterText === null) === (sinceText === null)) {
    return invalid('exactly one of afterSequence and since is required');
  }
  let found: ReturnType<TenantStore['changes']['since']> | undefined;
  if (afterText !== null) {
    if (!/^(0|[1-9]\d{0,15})$/.test(afterText)) {
      return invalid('afterSequence must be a non-negative integer');
    }
    found = store.changes.after(Number(afterText));
    if (!found) {
      return failure(
        410,
        'changes_expired',
        `Changes after ${afterText} are no longer kept; start again from latestSequence.`,
      );
    }
  } else {
    const since = parseLocal(sinceText ?? '');
    if (!since) return invalid('since must be a local time yyyy-MM-ddTHH:mm:ss without offset');
    found = store.changes.since(since);
  }
  const latestSequence = store.changes.latestSequence;
  const page = paginate(found, query, changeView);
  return page.ok ? success(200, { ...page.body, latestSequence }) : page;
}

function clinics(store: TenantStore) {
  return store.tenant.clinics.map((clinic) => ({
    id: clinic.id,
    name: clinic.name,
    address: { ...clinic.address },
    geo: { ...clinic.geo },
    timezone: 'Europe/Stockholm',
    serviceCodes: store.tenant.services
      .map((s) => s.code)
      .filter((code) => clinic.practitioners.some((p) => p.serviceCodes.includes(code))),
  }));
}

function practitioners(store: TenantStore, query: URLSearchParams) {
  const clinicIds = listParam(query, 'clinicId');
  return store.practitioners
    .filter((p) => clinicIds.length === 0 || clinicIds.includes(p.clinicId))
    .map((p) => ({
      id: p.id,
      clinicId: p.clinicId,
      name: p.name,
      title: p.title,
      serviceCodes: [...p.serviceCodes],
      slotMinutes: p.slotMinutes,
    }));
}

function byExternalRef<T>(query: URLSearchParams, find: (externalRef: string) => T[]) {
  const externalRef = query.get('externalRef');
  if (!externalRef) return invalid('externalRef is required');
  return success(200, { data: find(externalRef) });
}

function createHold(store: TenantStore, body: unknown) {
  const parsed = parseBody(holdBody, body);
  if (!parsed.ok) return parsed;
  return store.createHold(parsed.body.slotId, parsed.body.externalRef);
}

function confirmHold(store: TenantStore, holdId: string, body: unknown) {
  const parsed = parseBody(confirmBody, body);
  if (!parsed.ok) return parsed;
  const patient = parsePatient(parsed.body.patient);
  if (!patient.ok) return patient;
  return store.confirmHold(holdId, patient.body, parsed.body.note);
}

function createBooking(store: TenantStore, body: unknown) {
  const parsed = parseBody(bookingBody, body);
  if (!parsed.ok) return parsed;
  const patient = parsePatient(parsed.body.patient);
  if (!patient.ok) return patient;
  const { slotId, externalRef, note } = parsed.body;
  return store.createBooking(slotId, externalRef, patient.body, note);
}

/**
 * The tenant API's routes. Runs synchronously once the body is read, which is what makes the
 * store's check-and-set on a slot safe under concurrent requests.
 */
export function routeTenantApi(store: TenantStore, request: TenantRequest): Outcome<unknown> {
  const { method, segments, query, body } = request;
  const [resource, id, action, ...rest] = segments;
  const route = `${method} ${resource ?? ''}${id === undefined ? '' : '/:id'}${action === undefined ? '' : `/${action}`}`;
  if (rest.length > 0) return failure(404, 'not_found', 'No such resource.');
  switch (route) {
    case 'GET clinics':
      return paginate(clinics(store), query);
    case 'GET practitioners':
      return paginate(practitioners(store, query), query);
    case 'GET services':
      return paginate(
        store.tenant.services.map((s) => ({ ...s })),
        query,
      );
    case 'GET slots':
      return listSlots(store, query);
    case 'GET slots/:id':
      return store.getSlot(id!);
    case 'POST holds':
      return createHold(store, body);
    case 'GET holds':
      return byExternalRef(query, store.findHolds);
    case 'GET holds/:id':
      return store.getHold(id!);
    case 'DELETE holds/:id':
      return store.releaseHold(id!);
    case 'POST holds/:id/confirm':
      return confirmHold(store, id!, body);
    case 'POST bookings':
      return createBooking(store, body);
    case 'GET bookings':
      return byExternalRef(query, store.findBookings);
    case 'GET bookings/:id':
      return store.getBooking(id!);
    case 'DELETE bookings/:id':
      return store.cancelBooking(id!);
    case 'GET changes':
      return listChanges(store, query);
  }
  const known = [
    'clinics',
    'practitioners',
    'services',
    'slots',
    'slots/:id',
    'holds',
    'holds/:id',
    'holds/:id/confirm',
    'bookings',
    'bookings/:id',
    'changes',
  ];
  return known.includes(route.slice(route.indexOf(' ') + 1))
    ? failure(405, 'method_not_allowed', `${method} is not allowed here.`)
    : failure(404, 'not_found', 'No such resource.');
}
