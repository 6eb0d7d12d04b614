/** `--help` text, derived from each command's option definitions. */
import type { Command } from '../io.js';
import { defaultText, flagWithValue, GLOBAL_OPTIONS, type OptionDef } from './define.js';

/** Colour functions help may use (picocolors' shape; identity when colour is off). */
export interface HelpColors {
  bold(text: string): string;
  dim(text: string): string;
}

const plain: HelpColors = { bold: (t) => t, dim: (t) => t };

function optionLines(entries: [string, OptionDef][], colors: HelpColors): string[] {
  const labels = entries.map(([name, def]) => `${def.short ? `-${def.short}, ` : ''}${flagWithValue(name, def)}`);
  const width = Math.min(34, Math.max(...labels.map((l) => l.length)));
  return entries.map(([, def], i) => {
    const label = labels[i] ?? '';
    const shown = defaultText(def);
    const text = `${def.meaning}${def.multiple ? ' (repeatable)' : ''}${shown ? colors.dim(` (default: ${shown})`) : ''}`;
    return label.length > width ? `  ${label}\n  ${' '.repeat(width)}  ${text}` : `  ${label.padEnd(width)}  ${text}`;
  });
}

/** The full help of one command: usage, every option with its meaning and default, examples. */
export function commandHelp(command: Command, colors: HelpColors = plain): string {
  const docs = command.docs;
  const lines = [`${colors.bold(`cloudlink-tenancy ${command.name}`)}: ${command.summary}`, ''];
  lines.push(`Usage: cloudlink-tenancy ${command.name} ${docs?.usage ?? '[options]'}`, '');
  const own = Object.entries(docs?.options ?? {});
  if (own.length > 0) lines.push(colors.bold('Options:'), ...optionLines(own, colors), '');
  else if (command.flags?.length) lines.push(colors.bold('Options:'), `  ${command.flags.join(', ')}`, '');
  lines.push(colors.bold('Global options:'), ...optionLines(Object.entries(GLOBAL_OPTIONS), colors), '');
  if (docs?.examples.length) lines.push(colors.bold(docs.examples.length > 1 ? 'Examples:' : 'Example:'), ...docs.examples.map((e) => `  cloudlink-tenancy ${e}`), '');
  return `${lines.join('\n')}\n`;
}
