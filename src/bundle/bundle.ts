import type { Document } from '../documents/document.js';
import type { Queries } from '../documents/queries.js';
import type { Deployment, Model } from '../model/model.js';
import { assemble } from './assemble.js';
import { type Bundle, render } from './render.js';

export type { Bundle } from './render.js';

/**
 * One Connect cluster's part of the bundle as its validators see it: its own files under their
 * unprefixed paths and the files every cluster shares, as values (documents, and what their
 * rules and panels query) and as text (files).
 */
export interface ClusterView {
  readonly model: Model;
  readonly documents: readonly Document[];
  readonly queries: Queries;
  readonly files: Bundle;
}

export interface BuiltDeployment {
  readonly bundle: Bundle;
  readonly views: readonly ClusterView[];
}

/** model(s) -> every generated file, and each cluster's view of them: assemble, then render. */
export function buildDeployment(input: Model | Deployment): BuiltDeployment {
  const assembly = assemble(input);
  const texts = new WeakMap<Document, string>();
  return {
    bundle: render(assembly.documents, texts),
    views: assembly.clusters.map((c) => ({ ...c, files: render(c.documents, texts) })),
  };
}

/** model(s) -> every generated file, in path order. */
export function buildBundle(input: Model | Deployment): Bundle {
  return buildDeployment(input).bundle;
}
