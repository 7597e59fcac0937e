/**
 * The little Markdown the report needs. Cells are escaped here once: PromQL regexes are full
 * of `|`, which would otherwise split a table row.
 */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/** Inline code; a backquote inside (none in PromQL we generate, but labels may hold one) widens the fence. */
export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text}${fence}`;
}

export function codeBlock(language: string, text: string): string {
  return [`\`\`\`${language}`, text.trimEnd(), '```'].join('\n');
}

/** A heading anchor as GitHub derives it, so the overview can link to each signal's section. */
export function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}
