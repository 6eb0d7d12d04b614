/**
 * Typed cdktf constructs for a CloudLink tenancy. Their props are the YAML format's own zod
 * types (`z.input` of the schema), so TypeScript and YAML can never disagree; validation runs
 * the same schema and cross-account checks as the YAML loader and names the construct path.
 *
 * Synthesis writes, per `Tenancy` stack, `tenancy.json` (the canonical desired state, equal to
 * what the YAML loader gives for the same tenancy) beside `cdk.tf.json`, whose null_resources
 * run `cloudlink-tenancy apply` per account (see README "TypeScript form").
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Construct } from 'constructs';
import { LocalBackend, TerraformStack, type ISynthesisSession } from 'cdktf';
import { NullProvider } from '@cdktf/provider-null/lib/provider/index.js';
import { Resource } from '@cdktf/provider-null/lib/resource/index.js';
import { accountDocumentSchema, API_VERSION, type AccountDocumentInput, type UserDocumentInput } from '../model/schema.js';
import { BUILTIN_DEFAULTS, normalizeAccount, normalizeUser, orderItems, type TenancyDefaults } from '../model/normalize.js';
import { checkAccounts } from '../model/checks.js';
import { normalizeEmail } from '../model/email.js';
import { parseUsersTemplate } from '../load/users-csv.js';
import { parseUsersXlsx } from '../load/users-xlsx.js';
import type { UsersTemplateResult } from '../load/users-template.js';
import { InputBudget, readInputFileSync } from '../load/input-file.js';
import type { DesiredAccount, DesiredUser, Diagnostic, OrderSelector, Tenancy as TenancyModel } from '../model/types.js';
import { stableJson, withoutSources } from './canonical.js';
import { pathLabel } from '../load/positions.js';
import { salvageAccount } from '../load/salvage.js';

/** Props of a `Tenancy` stack. */
export interface TenancyProps {
  partnerId: string;
  defaults?: Partial<TenancyDefaults>;
  /** The command that runs the CLI from the stack's working directory (default `npx cloudlink-tenancy`). */
  cli?: string;
}

/** Props of a customer account: the YAML account fields; `key` defaults to the construct id. */
export type CustomerAccountProps = Omit<AccountDocumentInput, 'key'> & { key?: string };

/** A template's bytes read like every input (regular files only, within a fresh input budget), or its refusal as a template result. */
function readTemplateBytes(file: string, kind: string): { ok: true; bytes: Buffer; budget: InputBudget } | { ok: false; failure: UsersTemplateResult } {
  const budget = new InputBudget();
  const read = readInputFileSync(file, budget);
  if (read.ok) return { ok: true, bytes: read.bytes, budget };
  const message = read.reason === 'missing' ? `the ${kind} file does not exist; check the path` : `the ${kind} file ${read.message}`;
  return { ok: false, failure: { users: [], diagnostics: [{ severity: 'error', file, line: 1, message }] } };
}

/** A MiTeam (or other catalogue) integration of an account. */
export class Integration extends Construct {
  constructor(
    scope: CustomerAccount,
    id: string,
    readonly type: string,
  ) {
    super(scope, id);
  }
}

/** The assignment of one partner order to an account. */
export class OrderAssignment extends Construct {
  constructor(
    scope: CustomerAccount,
    id: string,
    readonly selector: OrderSelector,
  ) {
    super(scope, id);
  }
}

/** One declared user. */
export class User extends Construct {
  constructor(
    scope: CustomerAccount,
    id: string,
    readonly props: UserDocumentInput,
  ) {
    super(scope, id);
  }
}

/** A customer account of the partner, with helpers to add users, orders and integrations. */
export class CustomerAccount extends Construct {
  readonly key: string;
  private readonly csvUsers: DesiredUser[] = [];
  private readonly csvProblems: Diagnostic[] = [];

  constructor(
    scope: Tenancy,
    id: string,
    readonly props: CustomerAccountProps,
  ) {
    super(scope, id);
    this.key = props.key ?? id;
    this.node.addValidation({ validate: () => this.problems() });
  }

  /**
   * Declares a user (e-mail is the identity; the construct id is derived from it). The same
   * e-mail twice gets a numbered id, so validation reports it as YAML does ("appears twice in
   * account"), not as a constructs id clash with a stack trace.
   */
  addUser(user: UserDocumentInput): User {
    const base = `user-${normalizeEmail(String(user.email))}`;
    let id = base;
    for (let n = 2; this.node.tryFindChild(id); n += 1) id = `${base}#${n}`;
    return new User(this, id, user);
  }

  /** Declares every user of a console bulk-import template (CSV); its problems fail synthesis. */
  addUsersFromCsv(file: string, options: { miteam?: boolean } = {}): DesiredUser[] {
    const read = readTemplateBytes(file, 'CSV');
    if (!read.ok) return this.addTemplateUsers(read.failure);
    const result = parseUsersTemplate(read.bytes, file, { existingEmails: this.declaredEmails(), defaultMiteam: options.miteam ?? false, budget: read.budget });
    return this.addTemplateUsers(result);
  }

  /**
   * Declares every user of the console's Excel template (.xlsx, first sheet); its problems fail
   * synthesis. Reading a workbook is asynchronous: `await` it before `app.synth()`.
   */
  async addUsersFromXlsx(file: string, options: { miteam?: boolean } = {}): Promise<DesiredUser[]> {
    const read = readTemplateBytes(file, 'Excel');
    if (!read.ok) return this.addTemplateUsers(read.failure);
    const result = await parseUsersXlsx(read.bytes, file, { existingEmails: this.declaredEmails(), defaultMiteam: options.miteam ?? false, budget: read.budget });
    return this.addTemplateUsers(result);
  }

  private declaredEmails(): Set<string> {
    return new Set([...this.userChildren().map((u) => normalizeEmail(String(u.props.email))), ...this.csvUsers.map((u) => u.email)]);
  }

  private addTemplateUsers(result: UsersTemplateResult): DesiredUser[] {
    this.csvUsers.push(...result.users.map(({ source: _s, ...u }) => u));
    this.csvProblems.push(...result.diagnostics);
    return result.users;
  }

  /** Assigns the order selected by tracking number, SAP id or a PO. */
  assignOrder(selector: OrderSelector): OrderAssignment {
    const [field, value] = Object.entries(selector)[0] ?? ['order', ''];
    return new OrderAssignment(this, `order-${field}-${String(value)}`, selector);
  }

  /** Adds an integration of the catalogue (e.g. `miteam-meetings`). */
  addIntegration(type: string): Integration {
    return new Integration(this, `integration-${type}`, type);
  }

  private userChildren(): User[] {
    return this.node.children.filter((c): c is User => c instanceof User);
  }

  /** The account as a YAML-format document (props plus child constructs). */
  document(): AccountDocumentInput {
    const { users, integrations, orders, ...rest } = this.props;
    return {
      ...rest,
      key: this.key,
      integrations: [...(integrations ?? []), ...this.node.children.filter((c): c is Integration => c instanceof Integration).map((c) => c.type)],
      orders: [...orderItems(orders), ...this.node.children.filter((c): c is OrderAssignment => c instanceof OrderAssignment).map((c) => c.selector)],
      users: { ...(users ?? {}), items: [...(users?.items ?? []), ...this.userChildren().map((u) => u.props)] },
    };
  }

  /** Schema problems of this account, as messages (cdktf prefixes the construct path). */
  problems(): string[] {
    const parsed = accountDocumentSchema.safeParse(this.document());
    const out = parsed.success ? [] : parsed.error.issues.map((i) => `${pathLabel(i.path) || 'account'}: ${i.message}`);
    return [...out, ...this.csvProblems.map((d) => `${d.file}:${d.line}${d.column ? `:${d.column}` : ''}: ${d.message}`)];
  }

  /** The account with invalid values left out or stood in for, for cross-account checks only (see `load/salvage.ts`). */
  salvagedModel(defaults: TenancyDefaults): DesiredAccount | undefined {
    const doc = salvageAccount(this.document());
    return doc ? normalizeAccount(doc, defaults, {}, this.csvUsers.map((u) => normalizeUser({ ...u, name: u.name }))) : undefined;
  }

  /** The canonical account, or undefined while it has problems. */
  toModel(defaults: TenancyDefaults): DesiredAccount | undefined {
    const parsed = accountDocumentSchema.safeParse(this.document());
    if (!parsed.success || this.csvProblems.length > 0) return undefined;
    return normalizeAccount(parsed.data, defaults, {}, this.csvUsers.map((u) => normalizeUser({ ...u, name: u.name })));
  }
}

/** SHA-256 (hex) of an account's canonical desired state. */
export function accountDigest(account: DesiredAccount): string {
  return createHash('sha256').update(stableJson(account)).digest('hex');
}

/**
 * A tenancy as a Terraform stack. Per account it synthesizes two null_resources:
 * `<key>_identity` (triggers: account key and partner, recorded when it is created and then
 * ignored, so nothing ever replaces it; its destroy-time local-exec deletes the account with
 * `--destroy-account <key>` on `terraform destroy`; protected accounts get `prevent_destroy`
 * instead) and `<key>_apply` (triggers: key + SHA-256 of the desired state; a create-time
 * local-exec applies that account, so any change re-applies it and never deletes anything).
 *
 * A renamed account (`previousKeys`, most recent first) gets a Terraform `moved` block from
 * `null_resource.<previous key>_identity` to its own identity resource, so `terraform apply`
 * moves the old key's resource instead of destroying it (which would run the destroy command
 * for the old key: the renamed account and its users).
 */
export class Tenancy extends TerraformStack {
  constructor(
    scope: Construct,
    id: string,
    readonly props: TenancyProps,
  ) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new NullProvider(this, 'null');
    this.node.addValidation({ validate: () => this.crossProblems() });
    const inner = this.synthesizer;
    this.synthesizer = {
      synthesize: (session: ISynthesisSession) => {
        this.addAccountResources();
        inner.synthesize(session);
        const dir = path.join(session.outdir, session.manifest.forStack(this).workingDirectory);
        writeFileSync(path.join(dir, 'tenancy.json'), stableJson(this.toModel()));
      },
    };
  }

  /** Declares a customer account; `id` is its key unless `props.key` says otherwise. */
  addAccount(id: string, props: CustomerAccountProps): CustomerAccount {
    return new CustomerAccount(this, id, props);
  }

  accounts(): CustomerAccount[] {
    return this.node.children.filter((c): c is CustomerAccount => c instanceof CustomerAccount);
  }

  private defaults(): TenancyDefaults {
    return { ...BUILTIN_DEFAULTS, ...this.props.defaults };
  }

  /** The canonical desired state (what the YAML loader gives for the YAML twin). Throws if invalid: validate first. */
  toModel(): TenancyModel {
    const accounts = this.accounts().map((a) => {
      const model = a.toModel(this.defaults());
      if (!model) throw new Error(`${a.node.path}: ${a.problems().join('; ')}`);
      return model;
    });
    return withoutSources({ apiVersion: API_VERSION, kind: 'Tenancy', partner: { id: this.props.partnerId }, accounts });
  }

  private crossProblems(): string[] {
    // Accounts with field problems are repaired for these checks only, so one synthesis reports every problem.
    const models = this.accounts()
      .map((a) => a.toModel(this.defaults()) ?? a.salvagedModel(this.defaults()))
      .filter((m): m is DesiredAccount => m !== undefined);
    // Warnings (e.g. one e-mail in two accounts) do not fail synthesis; the CLI's validate shows them.
    return checkAccounts(models)
      .filter((d) => d.severity === 'error')
      .map((d) => d.message);
  }

  private added = false;

  private addAccountResources(): void {
    if (this.added) return;
    this.added = true;
    // With cross-account problems (e.g. a key declared twice) validation fails synthesis; add nothing that could clash first.
    if (this.crossProblems().length > 0) return;
    const cli = this.props.cli ?? 'npx cloudlink-tenancy';
    for (const account of this.accounts()) {
      const model = account.toModel(this.defaults());
      if (!model) continue;
      const key = model.key;
      const identity = new Resource(this, `${key}_identity`, {
        triggers: { account_key: key, partner_id: this.props.partnerId },
        // Ignored after creation: a moved identity (a rename) keeps the old key in its state and must not be replaced.
        lifecycle: { ignoreChanges: ['triggers'], ...(model.protect ? { preventDestroy: true } : {}) },
        provisioners: model.protect ? [] : [{ type: 'local-exec', when: 'destroy', command: `${cli} apply --from-cdktf . --destroy-account ${key} --auto-approve` }],
      });
      const previous = model.previousKeys?.[0];
      if (previous !== undefined) identity.moveFromId(`null_resource.${previous}_identity`);
      new Resource(this, `${key}_apply`, {
        triggers: { account_key: key, desired_sha256: accountDigest(model) },
        dependsOn: [identity],
        provisioners: [{ type: 'local-exec', command: `${cli} apply --from-cdktf . --account ${key} --auto-approve` }],
      });
    }
  }
}
