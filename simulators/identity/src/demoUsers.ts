import { createHash, timingSafeEqual } from 'node:crypto';
import { Scope } from '@booking/server-kit';

/** What a user is to the platform, which decides the API scopes they may be granted. */
export type Role = 'patient' | 'staff';

/** The booking API's scopes each role may be granted; a client asking for more gets only these. */
export const roleScopes: Readonly<Record<Role, readonly Scope[]>> = {
  // A patient finds times and books, sees and cancels their own reservations.
  patient: [Scope.AvailabilityRead, Scope.ReservationsRead, Scope.ReservationsWrite],
  // Vården's support staff help any patient: `admin` reaches every application's reservations.
  staff: [Scope.AvailabilityRead, Scope.ReservationsRead, Scope.ReservationsWrite, Scope.Admin],
};

/** A person who can sign in. Development data: the passwords are public. */
export interface DemoUser {
  /** What they type in "Username"; also their subject (`sub`) in every token. */
  readonly username: string;
  readonly password: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly role: Role;
}

/**
 * The people of `npm start` and the tests, all with the password `demo`. No personal identity
 * numbers: a token names a user by `sub` and name only.
 */
export const demoUsers: readonly DemoUser[] = [
  {
    username: 'astrid',
    password: 'demo',
    givenName: 'Astrid',
    familyName: 'Lindqvist',
    role: 'patient',
  },
  {
    username: 'selma',
    password: 'demo',
    givenName: 'Selma',
    familyName: 'Nyström',
    role: 'patient',
  },
  { username: 'staff', password: 'demo', givenName: 'Karin', familyName: 'Ek', role: 'staff' },
];

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * The user these credentials sign in, or undefined. The password is compared in constant time
 * (by digest), so a wrong one takes as long whatever its length or first differing character.
 */
export function checkCredentials(
  users: readonly DemoUser[],
  username: string,
  password: string,
): DemoUser | undefined {
  const user = users.find((u) => u.username === username.trim().toLowerCase());
  const matches = timingSafeEqual(digest(password), digest(user?.password ?? ''));
  return user && matches ? user : undefined;
}
