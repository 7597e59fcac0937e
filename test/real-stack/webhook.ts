import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One alert of an Alertmanager webhook notification. */
export interface NotifiedAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
}

/** One notification as delivered: the receiver (the URL path the bundle gives each receiver) and when. */
export interface Notification {
  readonly receiver: string;
  readonly at: number;
  readonly status: 'firing' | 'resolved';
  readonly alerts: readonly NotifiedAlert[];
}

/** The receivers' endpoint: an HTTP server on 127.0.0.1 that records every webhook notification. */
export class WebhookSink {
  readonly notifications: Notification[] = [];

  private constructor(private readonly server: Server) {}

  static async listen(): Promise<WebhookSink> {
    let sink: WebhookSink | undefined;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        try {
          const n = JSON.parse(body) as { status: 'firing' | 'resolved'; alerts: NotifiedAlert[] };
          sink!.notifications.push({
            receiver: (req.url ?? '/').slice(1),
            at: Date.now(),
            status: n.status,
            alerts: n.alerts.map((a) => ({ status: a.status, labels: a.labels })),
          });
        } catch {
          // not a notification
        }
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sink = new WebhookSink(server);
    return sink;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Alerts delivered with `status` since `since`, as "receiver alertname". */
  delivered(since: number, status: 'firing' | 'resolved'): { receiver: string; alertname: string; labels: Readonly<Record<string, string>>; at: number }[] {
    return this.notifications
      .filter((n) => n.at >= since)
      .flatMap((n) =>
        n.alerts.filter((a) => a.status === status).map((a) => ({ receiver: n.receiver, alertname: a.labels['alertname'] ?? '', labels: a.labels, at: n.at })),
      );
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
