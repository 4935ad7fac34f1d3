// Who may reach each workbench route (and /rules): this area's part of the expected-access table
// (src/access/route-access.ts). The roles mirror the action each route's guard asks for (src/access/can.ts).
import type { RouteAccess } from '../access/route-access.kinds.ts';

const REVIEW: RouteAccess = { roles: ['certification_staff'] }; // applications.review
const EXAMS: RouteAccess = { roles: ['certification_staff'] }; // exams.record
const SETTLE: RouteAccess = { roles: ['certification_staff'] }; // fees.settle
const FEE_REPORT: RouteAccess = { roles: ['certification_staff', 'dhcs_analyst'] }; // fees.report
const CERTIFICATIONS: RouteAccess = { roles: ['certification_staff', 'enforcement_staff'] }; // certifications.read, statewide
// documents.read: any signed-in person reaches the route (their own documents; 404 for anyone else's), staff all.
const DOCUMENTS: RouteAccess = { roles: ['certification_staff'], signedIn: true };
const RULES_READ: RouteAccess = { roles: ['certification_staff', 'enforcement_staff', 'dhcs_analyst', 'system_admin'] };
const RULES_EDIT: RouteAccess = { roles: ['certification_staff', 'system_admin'] };

export const WORKBENCH_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  'GET /workbench': REVIEW,
  'GET /workbench/applications/:id': REVIEW,
  'POST /workbench/applications/:id/approve': REVIEW,
  'POST /workbench/applications/:id/deny': REVIEW,
  'POST /workbench/applications/:id/revisions': REVIEW,
  'POST /workbench/applications/:id/verify-training': REVIEW,
  'POST /workbench/applications/:id/request-exam': EXAMS,
  'POST /workbench/applications/:id/authorize-exam': EXAMS,
  'POST /workbench/applications/:id/exam-result': EXAMS,
  'POST /workbench/applications/:id/fees/:feeId/settle': SETTLE,
  'GET /workbench/documents/:id': DOCUMENTS,
  'GET /workbench/fees': FEE_REPORT,
  'GET /workbench/fees.csv': FEE_REPORT,
  'POST /workbench/fees/:feeId/settle': SETTLE,
  'GET /workbench/exams': EXAMS,
  'POST /workbench/exams/import': EXAMS,
  'GET /workbench/certifications': CERTIFICATIONS,
  'GET /workbench/certifications/:id': CERTIFICATIONS,
  'GET /rules': RULES_READ,
  'POST /rules': RULES_EDIT,
};
