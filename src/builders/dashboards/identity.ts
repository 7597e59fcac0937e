import { createHash } from 'node:crypto';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DASHBOARD_TAGS, DASHBOARDS, type DashboardKey } from '../../conventions/dashboards.js';
import { prefixed } from '../../model/model.js';

/**
 * Names, UIDs and links of the generated dashboards. A UID is derived from the dashboard's
 * name so that it is the same on every build and every Grafana (bookmarks, alert links and
 * the links between the two dashboards keep working after a re-provisioning).
 */
/** Grafana limits UIDs to 40 characters of [A-Za-z0-9_-]. */
export const UID_MAX_LENGTH = 40;

export function dashboardUid(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > 0 && slug.length <= UID_MAX_LENGTH) return slug;
  // Too long (or nothing left): a readable prefix and a hash of the full name keep it unique.
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${slug.slice(0, UID_MAX_LENGTH - hash.length - 1)}-${hash}`.replace(/^-/, '');
}

/**
 * A dashboard's name and title in a deployment: a prefix tells one bundle's dashboards from
 * another's in one Grafana (the uid and the title are unique there); '' keeps the default.
 */
export function dashboardIdentity(key: DashboardKey, prefix: string): { name: string; title: string; uid: string } {
  const { name, title } = DASHBOARDS[key];
  const own = prefixed(prefix, name);
  return { name: own, title: prefix === '' ? title : `${title} (${prefix})`, uid: dashboardUid(own) };
}

/** Link from one dashboard to another, carrying the time range and the variables (same names on both). */
export function dashboardLink(to: DashboardKey, prefix: string): dashboard.DashboardLinkBuilder {
  const target = dashboardIdentity(to, prefix);
  return new dashboard.DashboardLinkBuilder(target.title)
    .type(dashboard.DashboardLinkType.Link)
    .url(`/d/${target.uid}/${target.name}`)
    .icon('dashboard')
    .tooltip(`Open ${target.title}`)
    .includeVars(true)
    .keepTime(true)
    .asDropdown(false)
    .targetBlank(false)
    .tags([]);
}

export function dashboardShell(key: DashboardKey, prefix: string, description: string): dashboard.DashboardBuilder {
  const self = dashboardIdentity(key, prefix);
  const other: DashboardKey = key === 'replication' ? 'detailed' : 'replication';
  return new dashboard.DashboardBuilder(self.title)
    .uid(self.uid)
    .description(description)
    .tags([...DASHBOARD_TAGS])
    .editable()
    .timezone('browser')
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .link(dashboardLink(other, prefix));
}

/**
 * The dashboard's JSON model. The SDK's link builder defaults every link to the controls
 * dropdown ("inControlsMenu"); without a placement Grafana shows it in the dashboard's link bar,
 * where an on-call engineer looks for the way to the other dashboard.
 */
export function buildDashboard(builder: dashboard.DashboardBuilder): dashboard.Dashboard {
  const built = builder.build();
  return { ...built, links: (built.links ?? []).map(({ placement: _placement, ...link }) => link) };
}
