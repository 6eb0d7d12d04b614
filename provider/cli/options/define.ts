/**
 * One definition per command option, from which the command's `parseArgs` options, its
 * `--help` text, `Command.flags` and the README's command reference are all derived, so they
 * cannot disagree. An option definition is a `parseArgs` option config (extra keys are ignored
 * by `parseArgs`) plus what a person needs: its meaning, its value's name and its default.
 */

/** One `--flag` of a command. */
export interface OptionDef {
  type: 'string' | 'boolean';
  /** The flag may be given several times (values collected into a list). */
  multiple?: boolean;
  /** A one-letter alias (`-h`). */
  short?: string;
  /** The value `parseArgs` gives when the flag is absent. */
  default?: string | boolean;
  /** The name of the flag's value in help, e.g. `FILE`, `N`, `KEY`, `text|json`. */
  value?: string;
  /** What the option does, as one sentence fragment. */
  meaning: string;
  /** The default as help shows it, when the command applies it itself (e.g. `10`). */
  shownDefault?: string;
}

/** A command's options by long name (without `--`), in the order help lists them. */
export type OptionDefs = Readonly<Record<string, OptionDef>>;

/** What `--help` and the README say about a command besides its options. */
export interface CommandDocs {
  /** What follows the command name, e.g. `PATHS… [options]`. */
  usage: string;
  options: OptionDefs;
  /** Example invocations without the leading `cloudlink-tenancy`. */
  examples: readonly string[];
}

/** `--name`, for `Command.flags`. */
export function flagList(options: OptionDefs): string[] {
  return Object.keys(options).map((name) => `--${name}`);
}

/** The flag with its value, e.g. `--out FILE` or `--auto-approve`. */
export function flagWithValue(name: string, def: OptionDef): string {
  return def.type === 'string' ? `--${name} ${def.value ?? 'VALUE'}` : `--${name}`;
}

/** The default as a person reads it, or undefined when there is none worth saying. */
export function defaultText(def: OptionDef): string | undefined {
  if (def.shownDefault !== undefined) return def.shownDefault;
  if (def.type === 'boolean') return 'off';
  if (def.default !== undefined) return String(def.default);
  return undefined;
}

/** Options every command accepts (handled by the dispatcher, not by the command). */
export const GLOBAL_OPTIONS = {
  'no-color': { type: 'boolean', meaning: 'no colour in the output (also when NO_COLOR is set or the output is not a terminal)' },
  help: { type: 'boolean', short: 'h', meaning: 'print this help and exit', shownDefault: '' },
} as const satisfies OptionDefs;
