import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Bundle } from '../bundle/bundle.js';
import { sortedRecord } from '../conventions/order.js';
import { generatedNotice, OUTPUT_DIRS } from '../documents/document.js';
import type { Model } from '../model/model.js';

/**
 * The record of what the bundle owns in an output directory: every file it wrote, with the
 * SHA-256 of the bytes it wrote. A build replaces or removes a file only when it is listed
 * here and still holds those bytes; anything else in the directory belongs to someone else.
 */
export const MANIFEST_PATH = '.mm2-monitoring.json';

const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'expected "sha256:" and 64 hex digits');
// Only paths a build could have written: a manifest edited to name "../x" must not make a
// build delete it.
const ownedPath = z
  .string()
  .refine(
    (p) => OUTPUT_DIRS.some((d) => p.startsWith(`${d}/`)) && p.split('/').every((part) => part !== '' && part !== '.' && part !== '..') && !p.includes('\\'),
    { message: `expected a relative path under ${OUTPUT_DIRS.join('/, ')}/` },
  );

const ManifestSchema = z.looseObject({
  files: z.record(ownedPath, digest),
  // Written just before the files are swapped in, so that a build interrupted half way still
  // recognises the files it had already replaced.
  pending: z.record(ownedPath, digest).optional(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export const EMPTY_MANIFEST: Manifest = { files: {} };

export function sha256(content: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/** The manifest a completed build leaves: a pure function of the bundle, so `check` can compare it. */
export function manifestFor(bundle: Bundle, model: Model): string {
  return renderManifest(model, Object.fromEntries([...bundle].map(([path, content]) => [path, sha256(content)])));
}

/** The manifest's text: the files owned now and, while a build swaps files in, what it is writing. */
export function renderManifest(model: Model, files: Readonly<Record<string, string>>, pending?: Readonly<Record<string, string>>): string {
  const notice = generatedNotice(
    model,
    'The files mm2-monitoring owns in this directory and the SHA-256 of what it wrote; a build replaces or removes only these, and only while they hold these bytes',
  );
  return `${JSON.stringify({ __generated: notice, files: sortedRecord(files), ...(pending ? { pending: sortedRecord(pending) } : {}) }, null, 2)}\n`;
}

/** Parses a manifest read from disk; `undefined` with the reason when it is not one. */
export function parseManifest(text: string): { manifest: Manifest } | { problem: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { problem: `expected JSON: ${(e as Error).message}` };
  }
  const parsed = ManifestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { problem: `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}` };
  }
  return { manifest: parsed.data };
}

/** Whether the bytes now at `path` are bytes this bundle wrote there. */
export function owns(manifest: Manifest, path: string, hash: string): boolean {
  return manifest.files[path] === hash || manifest.pending?.[path] === hash;
}
