/**
 * Argument mistakes turned into sentences: a mistyped option gets "did you mean", a flag whose
 * value is missing says so, and a negative number after a flag is kept as that flag's value (so
 * the command's own check can say what range it takes) instead of being read as an option.
 */
import type { Command } from './io.js';
import { GLOBAL_OPTIONS, type OptionDefs } from './options/define.js';
import { didYouMean } from '../model/did-you-mean.js';

/**
 * `--max-deletes -1` as `--max-deletes=-1`: a value that is a negative number joins its string
 * flag, so the command's check answers ("not a whole number ≥ 0"). Other arguments are unchanged.
 */
export function joinNegativeValues(args: readonly string[], options: OptionDefs | undefined): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const next = args[i + 1];
    const def = arg.startsWith('--') ? options?.[arg.slice(2)] : undefined;
    if (def?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else out.push(arg);
  }
  return out;
}

/** The first argument that is no option of the command, as written (`-out`, `--otu`). */
function unknownArgument(args: readonly string[], known: ReadonlySet<string>, shorts: ReadonlySet<string>): string | undefined {
  for (const arg of args) {
    if (arg === '--') return undefined;
    if (!arg.startsWith('-') || arg === '-') continue;
    const name = arg.replace(/^--?/, '').split('=')[0] ?? '';
    if (arg.startsWith('--') ? !known.has(name) : !(name.length === 1 && shorts.has(name))) return arg;
  }
  return undefined;
}

/** What a person should type instead of an unknown option, when something is close. */
export function optionSuggestion(written: string, flags: readonly string[]): string | undefined {
  const name = written.replace(/^--?/, '').split('=')[0] ?? '';
  const names = flags.map((f) => f.replace(/^--/, ''));
  if (names.includes(name)) return `--${name}`;
  const near = didYouMean(name, names);
  return near ? `--${near}` : undefined;
}

/**
 * One sentence for a `parseArgs` error of `command` on `args` (its `ERR_PARSE_ARGS_*` error):
 * which argument is wrong and what to write instead.
 */
export function parseErrorSentence(command: Command, args: readonly string[], error: Error & { code?: string }): string {
  const flags = command.flags ?? [];
  const everyFlag = [...flags, ...Object.keys(GLOBAL_OPTIONS).map((n) => `--${n}`)];
  const options = command.docs?.options ?? {};
  const accepts = flags.length ? ` It accepts: ${flags.join(', ')}.` : '';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const known = new Set(everyFlag.map((f) => f.replace(/^--/, '')));
    const shorts = new Set(Object.values(options).flatMap((d) => (d.short ? [d.short] : [])));
    const written = unknownArgument(args, known, shorts) ?? /'([^']+)'/.exec(error.message)?.[1] ?? '';
    const near = optionSuggestion(written, everyFlag);
    return `unknown option "${written}"${near ? `; did you mean "${near}"?` : '.'}${near ? '' : accepts}`;
  }
  const flag = /'(--[\w-]+)/.exec(error.message)?.[1];
  const def = flag ? options[flag.slice(2)] : undefined;
  if (flag && def?.type === 'string') {
    const next = args[args.indexOf(flag) + 1];
    const value = def.value ?? 'VALUE';
    return next !== undefined && next.startsWith('-')
      ? `${flag} needs a value (${value}) after it, and "${next}" looks like an option; write ${flag}=${next} if that is the value`
      : `${flag} needs a value (${value}) after it: ${def.meaning}`;
  }
  if (flag && def?.type === 'boolean') return `${flag} is a switch and takes no value; write ${flag} alone`;
  return `${error.message.split('. ')[0] ?? ''}.${accepts}`;
}
