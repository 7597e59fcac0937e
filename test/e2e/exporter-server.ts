import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One simulated worker's JMX exporter endpoint: a node:http server on 127.0.0.1 that answers
 * GET /metrics with whatever `body` renders at scrape time. Stopping it refuses connections,
 * as a dead worker does.
 */
export class ExporterEndpoint {
  private body: () => string = () => '';
  private stopped = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async listen(): Promise<ExporterEndpoint> {
    let endpoint: ExporterEndpoint | undefined;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || !req.url?.startsWith('/metrics') || !endpoint) {
        res.writeHead(404).end();
        return;
      }
      try {
        const text = endpoint.body();
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text);
      } catch (e) {
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String((e as Error).stack ?? e));
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    endpoint = new ExporterEndpoint(server, (server.address() as AddressInfo).port);
    return endpoint;
  }

  serve(body: () => string): void {
    this.body = body;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Closes the port and drops Prometheus' kept-alive connection: the next scrape is refused. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}
