// The kinds of entry in the expected-access table, shared by the table (route-access.ts) and each domain's part of it.
import type { Role } from './roles.ts';

/** Who may reach a route: everyone, or signed-in actors holding one of `roles` (any signed-in person with `signedIn`). */
export type RouteAccess = { public: true } | { roles: readonly Role[]; signedIn?: true };

export const PUBLIC: RouteAccess = { public: true };
/** Any signed-in person, whatever their roles. */
export const SIGNED_IN: RouteAccess = { roles: [], signedIn: true };
