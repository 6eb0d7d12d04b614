/**
 * The zod schemas of the desired state: `tenancyDocumentSchema` is one YAML file as users
 * write it (the JSON Schema in `schemas/` is generated from it), `tenancySchema` is the
 * canonical model (`Tenancy`) that the loader produces and cdktf writes to `tenancy.json`.
 *
 * Messages say what is wrong and how to fix it; the loader prefixes them with
 * `file:line:col` and the path of the offending field.
 */
import { z } from 'zod';
import { BCP47_PATTERN, ISO_COUNTRIES } from './countries.js';
import { countryFromName } from './country-names.js';
import { isValidEmail, normalizeEmail } from './email.js';
import { isRecord } from './is-record.js';

/** The only apiVersion this release reads. */
export const API_VERSION = 'tenancy.cloudlink/v1';

/**
 * A well-formed integration type: lowercase letters and digits in dash-separated words (e.g.
 * `miteam-meetings`, `micollab`). Which types exist comes from the service's catalogue
 * (`GET /integrations`), which the plan checks; offline, only the form is checked.
 */
export const INTEGRATION_TYPE_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Account keys: lower-case letters, digits and hyphens, starting with a letter or digit. */
export const ACCOUNT_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The message for a missing or mistyped field: "X is required" or "X must be ...". */
const typeError = (what: string, expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `${what} is required; add it as ${expected}` : `${what} must be ${expected}, not ${JSON.stringify(issue.input)}`;

const nonEmpty = (what: string) =>
  z.string({ error: typeError(what, 'a text value') }).trim().min(1, { error: `${what} must not be empty` });

/**
 * A name kept exactly as written (not trimmed): CloudLink stores names as given, so a live name
 * with surrounding spaces, imported in quotes, must compare equal to its declaration. Blank is refused.
 */
const exactName = (what: string) =>
  z.string({ error: typeError(what, 'a text value') }).regex(/\S/, { error: `${what} must not be empty` });

const countryField = z.string({ error: typeError('country', 'a two-letter ISO 3166 code such as "CA"') }).superRefine((value, ctx) => {
  if (ISO_COUNTRIES.has(value)) return;
  const upper = value.trim().toUpperCase();
  const hint = ISO_COUNTRIES.has(upper) ? upper : countryFromName(value);
  ctx.addIssue({
    code: 'custom',
    message: `"${value}" is not an ISO 3166 alpha-2 country code; use two capital letters${hint ? `: did you mean "${hint}"?` : ' such as "CA" or "DE"'}`,
  });
});

const languageField = z.string({ error: typeError('language', 'a BCP 47 tag such as "en-US"') }).superRefine((value, ctx) => {
  if (BCP47_PATTERN.test(value)) return;
  const fixed = value.replace('_', '-').replace(/^([A-Za-z]{2,3})-([A-Za-z]{2})$/, (_m, l: string, r: string) => `${l.toLowerCase()}-${r.toUpperCase()}`);
  ctx.addIssue({
    code: 'custom',
    message: `"${value}" is not a BCP 47 language tag; write language-REGION${BCP47_PATTERN.test(fixed) ? `: did you mean "${fixed}"?` : ' such as "en-US" or "de-DE"'}`,
  });
});

const emailField = z.string({ error: typeError('email', 'an e-mail address') }).superRefine((value, ctx) => {
  if (isValidEmail(normalizeEmail(value))) return;
  ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid e-mail address; write it as name@domain.example` });
});

/** Tag ids the tool writes itself (`cloudlink-tenancy`, the lock tag `cloudlink-tenancy-lock`, any later one): never declared. */
export const RESERVED_TAG_PREFIX = 'cloudlink-tenancy';

/**
 * Tag ids refused because JSON and JavaScript objects cannot carry them faithfully (`__proto__`
 * is dropped or changes an object's prototype). Other object-method names (`constructor`,
 * `toString`) are ordinary tag ids: every tag map is a null-prototype object and compared by own keys.
 */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__']);

/**
 * Why a declared tag id is refused, or undefined when it may be declared: the tool's own ids
 * (any id starting with `cloudlink-tenancy`, in any case) and prototype keys.
 */
export function tagIdProblem(tagId: string): string | undefined {
  if (tagId.trim().toLowerCase().startsWith(RESERVED_TAG_PREFIX)) {
    return `tag id "${tagId}" is reserved: the tool writes the tags starting with "${RESERVED_TAG_PREFIX}" itself (identity, protection, lock); use another tag id`;
  }
  if (PROTOTYPE_KEYS.has(tagId)) return `tag id "${tagId}" is not allowed (JSON tooling drops or misreads it); use another tag id`;
  if (tagId.trim() === '') return 'a tag id must not be empty';
  return undefined;
}

const tagIdField = z.string().superRefine((value, ctx) => {
  const problem = tagIdProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * Declared tags: tag id to text. Checked on the raw object first, since a record drops a
 * `__proto__` key silently; the result has no prototype, so no tag id can meet an inherited one.
 */
export const tagsField = z
  .custom<Record<string, unknown>>(isRecord, { error: 'tags must be a map of tag id to text, e.g. "tags: { tier: gold }"' })
  .superRefine((value, ctx) => {
    for (const key of Object.keys(value)) {
      const problem = tagIdProblem(key);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [key] });
    }
  })
  .pipe(z.record(tagIdField, z.string({ error: 'tag values must be text; quote numbers and booleans' })))
  .transform((tags) => Object.assign(Object.create(null) as Record<string, string>, tags));

/** How the JSON Schema describes tags (the refinements above, as far as JSON Schema can say them). */
export const TAGS_JSON_SCHEMA = {
  type: 'object',
  propertyNames: {
    type: 'string',
    minLength: 1,
    not: { enum: [...PROTOTYPE_KEYS] },
    pattern: `^(?!\\s*${[...RESERVED_TAG_PREFIX].map((c) => (/[a-z]/.test(c) ? `[${c.toUpperCase()}${c}]` : c)).join('')})`,
  },
  additionalProperties: { type: 'string' },
} as const;

/** The roles of the console, as the canonical model spells them. */
export const USER_ROLES = ['User', 'Account Admin'] as const;

/**
 * The canonical role for what a person wrote, matched like the console: without regard to case,
 * spaces, hyphens or underscores ("account admin", "ACCOUNT_ADMIN"); blank is User. Undefined when unknown.
 */
export function canonicalRole(raw: string): (typeof USER_ROLES)[number] | undefined {
  const key = raw.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  if (key === '' || key === 'user') return 'User';
  if (key === 'account admin') return 'Account Admin';
  return undefined;
}

/** The same rule as a JSON Schema pattern (JSON Schema has no case-insensitive flag). */
const ROLE_PATTERN = '^\\s*([Uu][Ss][Ee][Rr]|[Aa][Cc][Cc][Oo][Uu][Nn][Tt][\\s_-]+[Aa][Dd][Mm][Ii][Nn])\\s*$';

const roleError = (issue: { input?: unknown }) => `role ${JSON.stringify(issue.input)} is unknown; use "User" or "Account Admin" (any case)`;
/** A role as a person writes it (checked without regard to case). */
export const roleInputSchema = z
  .string({ error: roleError })
  .refine((value) => value.trim() !== '' && canonicalRole(value) !== undefined, { error: roleError });
/** How the JSON Schema describes a role: the two spellings (for completion) or the same in any case. */
export const ROLE_JSON_SCHEMA = { anyOf: [{ type: 'string', enum: [...USER_ROLES] }, { type: 'string', pattern: ROLE_PATTERN }] } as const;
const roleField = roleInputSchema.transform((value) => canonicalRole(value) ?? 'User');
const policyField = z.enum(['additive', 'authoritative'], {
  error: (issue) => `users policy ${JSON.stringify(issue.input)} is unknown; use "additive" or "authoritative"`,
});
const accountCreationField = z.enum(['console', 'api'], {
  error: (issue) => `accountCreation ${JSON.stringify(issue.input)} is unknown; use "console" (create new accounts in the Accounts Console, as Mitel recommends) or "api"`,
});
const welcomeField = z.enum(['onCreate', 'onEnable', 'never'], {
  error: (issue) => `welcomeEmail ${JSON.stringify(issue.input)} is unknown; use "onCreate", "onEnable" or "never"`,
});
/** A YAML list, with a message that shows how to write one. */
const list = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item, { error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be a list: write each entry on its own line starting with "- "`) });

const flag = (what: string) => z.boolean({ error: typeError(what, 'true or false (without quotes)') });

/** One declared user, as written in YAML. */
export const userDocumentSchema = z
  .strictObject({
    email: emailField,
    firstName: exactName('firstName').optional(),
    lastName: exactName('lastName').optional(),
    name: exactName('name').optional(),
    country: countryField.optional(),
    role: roleField.optional(),
    miteam: flag('miteam').optional(),
  })
  .superRefine((user, ctx) => {
    if (user.firstName === undefined && user.lastName === undefined && user.name === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a user needs at least one of name, firstName or lastName (the console\'s rule); add one' });
    }
  })
  .describe('A user of the customer account (the console\'s "Add user" form: at least one of name, firstName, lastName).');

const ORDER_FIELDS = ['trackingNumber', 'sapOrderId', 'customerPo', 'resellerPo'] as const;

/** Selects one partner order by exactly one of its identifiers. */
export const orderSelectorSchema = z
  .strictObject({
    trackingNumber: nonEmpty('trackingNumber').optional(),
    sapOrderId: nonEmpty('sapOrderId').optional(),
    customerPo: nonEmpty('customerPo').optional(),
    resellerPo: nonEmpty('resellerPo').optional(),
  })
  .superRefine((value, ctx) => {
    const set = ORDER_FIELDS.filter((f) => value[f] !== undefined);
    if (set.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          set.length === 0
            ? 'an order needs exactly one of trackingNumber, sapOrderId, customerPo or resellerPo'
            : `an order is selected by exactly one field, found ${set.join(' and ')}; keep one`,
      });
    }
  })
  .describe('A license order, found by tracking number, SAP order id, customer PO or reseller PO.');

const ordersBlockSchema = z.strictObject({
  policy: z
    .enum(['additive', 'authoritative'], { error: (issue) => `orders policy ${JSON.stringify(issue.input)} is unknown; use "additive" or "authoritative" (also unassign orders not listed)` })
    .optional(),
  items: list(orderSelectorSchema, 'orders.items').optional(),
});

const usersBlockSchema = z.strictObject({
  policy: policyField.optional(),
  items: list(userDocumentSchema, 'users.items').optional(),
  fromCsv: nonEmpty('fromCsv').optional(),
  /** The console's Excel template (.xlsx), read directly. */
  fromXlsx: nonEmpty('fromXlsx').optional(),
});

/** One declared customer account, as written in YAML. */
export const accountDocumentSchema = z
  .strictObject({
    key: z.string({ error: 'key is required: a stable id for this account in the repository, e.g. "acme"' }).regex(ACCOUNT_KEY_PATTERN, {
      error: 'key must be lower-case letters, digits and hyphens (at most 63), e.g. "acme-corp"',
    }),
    name: exactName('name'),
    country: countryField,
    address: z.string().optional(),
    city: z.string().optional(),
    postalCode: z.string().optional(),
    stateOrProvince: z.string().optional(),
    language: languageField,
    supportContacts: list(nonEmpty('a support contact'), 'supportContacts').optional(),
    tags: tagsField.optional(),
    adopt: z
      .strictObject({ accountId: nonEmpty('adopt.accountId').optional(), accountNumber: nonEmpty('adopt.accountNumber').optional() })
      .refine((a) => (a.accountId === undefined) !== (a.accountNumber === undefined), {
        error: 'adopt takes exactly one of accountId or accountNumber (the "Account ID" the console shows); keep one',
      })
      .optional(),
    protect: flag('protect').optional(),
    integrations: list(nonEmpty('an integration type'), 'integrations').optional(),
    orders: z.union([list(orderSelectorSchema, 'orders'), ordersBlockSchema]).optional(),
    previousKeys: list(
      z.string({ error: 'a previous key must be text' }).regex(ACCOUNT_KEY_PATTERN, { error: 'a previous key is written like a key: lower-case letters, digits and hyphens' }),
      'previousKeys',
    ).optional(),
    users: usersBlockSchema.optional(),
    welcomeEmail: welcomeField.optional(),
  })
  .describe('A customer account of the partner.');

/** One tenancy file. Several files are merged; `partner` must be given at least once. */
export const tenancyDocumentSchema = z
  .strictObject({
    apiVersion: z.literal(API_VERSION, { error: `apiVersion must be "${API_VERSION}"` }),
    kind: z.literal('Tenancy', { error: 'kind must be "Tenancy"' }),
    partner: z.strictObject({ id: nonEmpty('partner.id') }).optional(),
    defaults: z
      .strictObject({
        users: z.strictObject({ policy: policyField.optional() }).optional(),
        welcomeEmail: welcomeField.optional(),
        accountCreation: accountCreationField.optional(),
      })
      .optional(),
    accounts: list(accountDocumentSchema, 'accounts').optional(),
  })
  .describe('cloudlink-tenancy desired state: customer accounts, integrations, orders and users.');

export type TenancyDocument = z.infer<typeof tenancyDocumentSchema>;
export type AccountDocument = z.infer<typeof accountDocumentSchema>;
export type UserDocument = z.infer<typeof userDocumentSchema>;
/** What a TypeScript author may write for an account (the same shape as YAML). */
export type AccountDocumentInput = z.input<typeof accountDocumentSchema>;
export type UserDocumentInput = z.input<typeof userDocumentSchema>;

const sourceSchema = z.object({ file: z.string(), line: z.number(), column: z.number() }).optional();

/** The canonical model (`Tenancy`), as written to and read from `tenancy.json`. */
export const tenancySchema = z.object({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('Tenancy'),
  partner: z.object({ id: z.string().min(1) }),
  accounts: z.array(
    z.object({
      key: z.string().regex(ACCOUNT_KEY_PATTERN),
      name: z.string().min(1),
      country: z.string(),
      address: z.string().optional(),
      city: z.string().optional(),
      postalCode: z.string().optional(),
      stateOrProvince: z.string().optional(),
      language: z.string(),
      supportContacts: z.array(z.string()).optional(),
      tags: z.record(z.string(), z.string()),
      adopt: z.union([z.object({ accountId: z.string() }), z.object({ accountNumber: z.string() })]).optional(),
      accountCreation: z.enum(['console', 'api']),
      protect: z.boolean(),
      integrations: z.array(z.string()),
      previousKeys: z.array(z.string()).optional(),
      ordersPolicy: z.enum(['additive', 'authoritative']),
      orders: z.array(
        z.union([
          z.object({ trackingNumber: z.string() }),
          z.object({ sapOrderId: z.string() }),
          z.object({ customerPo: z.string() }),
          z.object({ resellerPo: z.string() }),
        ]),
      ),
      users: z.object({
        policy: z.enum(['additive', 'authoritative']),
        items: z.array(
          z.object({
            email: z.string(),
            firstName: z.string(),
            lastName: z.string(),
            name: z.string(),
            country: z.string().optional(),
            role: z.enum(['User', 'Account Admin']),
            miteam: z.boolean(),
            source: sourceSchema,
          }),
        ),
      }),
      welcomeEmail: z.enum(['onCreate', 'onEnable', 'never']),
      source: sourceSchema,
    }),
  ),
});
