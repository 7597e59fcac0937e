import { yamlFile, type GeneratedFile } from '../bundle/files.js';
import type { Model } from '../model/model.js';

export function buildScrapeFiles(model: Model): GeneratedFile[] {
  const p = model.prometheus;
  const scrape = {
    scrape_configs: [
      {
        job_name: p.job,
        scrape_interval: p.scrapeInterval,
        scrape_timeout: p.scrapeTimeout,
        metrics_path: '/metrics',
        static_configs: [{ targets: model.workers.map((w) => w.instance), labels: { cluster: p.cluster } }],
      },
    ],
  };
  return [yamlFile('scrape/prometheus-scrape.yaml', model, 'Prometheus scrape configuration for the Connect workers', scrape)];
}
