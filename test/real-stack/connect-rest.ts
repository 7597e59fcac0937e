/** The parts of the Kafka Connect REST API the suite drives, against any live worker. */
export interface ConnectorStatus {
  readonly name: string;
  readonly connector: { readonly state: string; readonly worker_id: string };
  readonly tasks: readonly { readonly id: number; readonly state: string; readonly worker_id: string; readonly trace?: string }[];
}

export class ConnectRest {
  constructor(private readonly urls: () => readonly string[]) {}

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    let last: unknown;
    // Any live worker answers (and forwards to the leader); a dead one refuses the connection.
    for (const url of this.urls()) {
      try {
        const res = await fetch(`${url}${path}`, {
          method,
          headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        if (res.status === 409) {
          // A rebalance is in progress: the caller retries.
          last = new Error(`${method} ${path}: 409 ${await res.text()}`);
          continue;
        }
        if (!res.ok && res.status !== 404) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
        return res;
      } catch (e) {
        last = e;
      }
    }
    throw last instanceof Error ? last : new Error(String(last));
  }

  async putConfig(name: string, config: Record<string, string>): Promise<void> {
    await this.call('PUT', `/connectors/${encodeURIComponent(name)}/config`, config);
  }

  async status(name: string): Promise<ConnectorStatus | undefined> {
    const res = await this.call('GET', `/connectors/${encodeURIComponent(name)}/status`);
    return res.status === 404 ? undefined : ((await res.json()) as ConnectorStatus);
  }

  /** Every connector's status in one call (`?expand=status`), by name. */
  async statuses(): Promise<Map<string, ConnectorStatus>> {
    const res = await this.call('GET', '/connectors?expand=status');
    const body = (await res.json()) as Record<string, { status: ConnectorStatus }>;
    return new Map(Object.entries(body).map(([name, v]) => [name, v.status]));
  }

  async delete(name: string): Promise<void> {
    await this.call('DELETE', `/connectors/${encodeURIComponent(name)}`);
  }

  async pause(name: string): Promise<void> {
    await this.call('PUT', `/connectors/${encodeURIComponent(name)}/pause`);
  }

  async resume(name: string): Promise<void> {
    await this.call('PUT', `/connectors/${encodeURIComponent(name)}/resume`);
  }

  /** Restarts the connector and its failed tasks (KIP-745). */
  /** Restarts the connector and all its tasks, whatever their state. */
  async restart(name: string): Promise<void> {
    await this.call('POST', `/connectors/${encodeURIComponent(name)}/restart?includeTasks=true&onlyFailed=false`);
  }

  async restartFailed(name: string): Promise<void> {
    await this.call('POST', `/connectors/${encodeURIComponent(name)}/restart?includeTasks=true&onlyFailed=true`);
  }
}
