/** Command lines a person can paste into a POSIX shell. */

/** One argument, single-quoted when it holds anything a shell would interpret. */
export function shellWord(arg: string): string {
  return /^[\w./@:+=,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Arguments joined into a line a shell reads back as the same arguments. */
export function shellLine(args: readonly string[]): string {
  return args.map(shellWord).join(' ');
}
