import { invalid } from './errors.js';
import { idempotent } from './idempotent.js';
import { type Operation, ok } from './operation.js';
import { asObject, type Fields, optionalString } from './readFields.js';
import { formatTime } from './time.js';

const nameFields = [
  'given_name',
  'family_name',
  'company_name',
  'email_address',
  'phone_number',
] as const;
const copied = [...nameFields, 'nickname', 'reference_id', 'note', 'birthday'] as const;
const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * `POST /v2/customers` [CreateCustomer]: needs one of the name, email or phone fields; repeats
 * with the same `idempotency_key` answer the first customer.
 */
export const createCustomer: Operation = (store, { body }) => {
  const request = asObject(body ?? {}, '');
  const key = optionalString(request, 'idempotency_key', 'idempotency_key', 45);
  const values: Fields = {};
  for (const field of copied) {
    const value = optionalString(request, field, field, field === 'note' ? 4096 : 255);
    if (value !== undefined) values[field] = value;
  }
  if (!nameFields.some((field) => values[field])) {
    throw invalid(
      'MISSING_REQUIRED_PARAMETER',
      'At least one of given_name, family_name, company_name, email_address or phone_number is required.',
    );
  }
  if (typeof values.email_address === 'string' && !email.test(values.email_address)) {
    throw invalid('INVALID_EMAIL_ADDRESS', 'The email address is not valid.', 'email_address');
  }
  if (request.address !== undefined) values.address = asObject(request.address, 'address');
  return idempotent(store, 'CreateCustomer', key, request, () => {
    const now = formatTime(store.clock().getTime());
    const customer = {
      id: store.nextId('CUSTOMER'),
      created_at: now,
      updated_at: now,
      ...values,
      preferences: { email_unsubscribed: false },
      creation_source: 'THIRD_PARTY',
      version: 0,
    };
    store.customers.set(customer.id, customer);
    return ok({ customer });
  });
};
