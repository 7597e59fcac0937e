/** One sample of a Prometheus text exposition, as an exporter served it. */
export interface ScrapedSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

function parseValue(v: string): number {
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}

/** Parses text format 0.0.4 (what the JMX exporter agent serves by default): samples only. */
export function parseExposition(text: string): ScrapedSample[] {
  const out: ScrapedSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.indexOf(' ');
    if (brace === -1 || brace > space) {
      out.push({ name: line.slice(0, space), labels: {}, value: parseValue(line.slice(space + 1).split(' ')[0]!) });
      continue;
    }
    const labels: Record<string, string> = {};
    let i = brace + 1;
    while (line[i] !== '}') {
      const eq = line.indexOf('=', i);
      const key = line.slice(i, eq);
      let j = eq + 2;
      let value = '';
      while (line[j] !== '"') {
        if (line[j] === '\\') {
          const c = line[j + 1];
          value += c === 'n' ? '\n' : c;
          j += 2;
        } else value += line[j++];
      }
      labels[key] = value;
      i = line[j + 1] === ',' ? j + 2 : j + 1;
    }
    out.push({ name: line.slice(0, brace), labels, value: parseValue(line.slice(i + 2).split(' ')[0]!) });
  }
  return out;
}

export async function scrape(url: string): Promise<ScrapedSample[]> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return parseExposition(await res.text());
}
