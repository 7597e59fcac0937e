import type { GeneratedFile } from '../bundle/files.js';
import type { Model } from '../model/model.js';

export function buildDashboardFiles(_model: Model): GeneratedFile[] {
  return [];
}
