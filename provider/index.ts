/**
 * cloudlink-tenancy: the library's public surface for production code. It does not load the
 * sandbox (that is `cloudlink-tenancy/sandbox`) nor the command line (`cloudlink-tenancy/cli`,
 * which carries the `sandbox` and `demo` commands); a test checks the module graph.
 */
export * from './model/types.js';
export * from './model/live.js';
export * from './api/client-types.js';
export { ExitCode } from './cli/io.js';
export { loadTenancy, parseCanonicalTenancy } from './load/index.js';
export type { LoadResult } from './load/index.js';
export { tenancyDocumentSchema, tenancySchema } from './model/schema.js';
export { createCloudLinkClient, clientOptionsFromEnv, CloudLinkError } from './api/index.js';
export type { CloudLinkClient, ClientOptions } from './api/index.js';
export { readSnapshot } from './engine/snapshot.js';
export { verifyPrincipal, principalMismatch } from './engine/principal.js';
export { diffTenancy, hasChanges, summarize } from './engine/plan/diff.js';
export { loadSelection, planTenancy, applyTenancy, driftTenancy } from './engine/reconcile.js';
export type { LoadRequest, Loaded, PlanRequest, ApplyRequest, ApplyOutcome, Planned, Refused, Drifted } from './engine/reconcile.js';
export { readPlanFile, writePlanFile, checkSavedPlan } from './engine/planfile.js';
export { applyPlan } from './engine/apply/apply.js';
export type { ApplyReport, ApplyHooks, ApplyOptions, ChangeResult, ApplyVerb } from './engine/apply/apply.js';
export { buildDriftReport } from './engine/drift/report.js';
export type { DriftReport } from './engine/drift/types.js';
export { selectAccounts, parseShard } from './engine/select.js';
export type * from './engine/types.js';
export { PLAN_FORMAT_VERSION } from './engine/types.js';
export { renderPlanText } from './report/plan-text.js';
export { renderPlanMarkdown } from './report/plan-markdown.js';

// The console's bulk-import template (CSV and Excel) and the Orders page.
export { readUsersTemplate, parseUsersTemplate } from './load/users-csv.js';
export { parseUsersXlsx } from './load/users-xlsx.js';
export { TEMPLATE_COLUMNS } from './load/users-template.js';
export type { UsersTemplateOptions, UsersTemplateResult } from './load/users-template.js';
export { canonicalRole } from './model/schema.js';
export { orderRows } from './report/orders-rows.js';
export type { OrderRow, OrdersFilter, OrdersFacts } from './report/orders-rows.js';
export type { RetryEvent } from './api/transport.js';
