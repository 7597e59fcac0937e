import type { ResolvedSignal } from '../../model/model.js';
import { type DeclaredProvenance, type GuideRef, guideText, type Provenance } from '../../model/provenance.js';
import type { Severity } from '../../model/signals.js';
import { code } from '../../text/markdown.js';
import { badWhen } from '../../text/wording.js';

/** The guide reference behind a provenance, if any (an override keeps the one of the default it replaced). */
export function guideRefOf(p: Provenance): GuideRef | undefined {
  if (p.kind === 'override') return p.replaces ? guideRefOf(p.replaces.provenance) : undefined;
  return p.kind === 'decision' ? undefined : p.ref;
}

/** Short label for the threshold table: where the value in force comes from. */
export function provenanceLabel(p: Provenance, why: string, s: ResolvedSignal, field: 'threshold' | 'for'): string {
  switch (p.kind) {
    case 'guide':
      return 'guide';
    case 'adapted':
      return `ours, adapted from the guide ([why](${why}))`;
    case 'decision':
      return `ours ([why](${why}))`;
    case 'override': {
      const before = p.replaces
        ? ` (default ${field === 'threshold' ? badWhen(s.def.direction, Number(p.replaces.value), s.def.unit) : p.replaces.value}, ${declaredWord(p.replaces.provenance)})`
        : ' (no default tier)';
      return `override ${code(`${p.file}:${p.key}`)}${before}`;
    }
  }
}

function declaredWord(p: DeclaredProvenance): string {
  return p.kind === 'guide' ? "the guide's" : 'ours';
}

/** One sentence for the reasoning list of a signal's section. */
export function provenanceSentence(p: DeclaredProvenance): string {
  switch (p.kind) {
    case 'guide':
      return `the guide's value (${guideText(p.ref)}).`;
    case 'adapted':
      return `adapted from the guide (${guideText(p.ref)}): ${p.reason}.`;
    case 'decision':
      return `ours, not in the guide: ${p.reason}.`;
  }
}

/** "warning threshold", "critical `for`". */
export function fieldName(severity: Severity, field: 'threshold' | 'for'): string {
  return `${severity} ${field === 'for' ? '`for`' : 'threshold'}`;
}
