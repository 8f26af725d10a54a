// The HTTPS server of the admin page and API, as a component: bound on start, closed (with its keep-alive
// connections) on stop, and its certificate swapped live when the appliance identity changes.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { serverTlsOptions } from '../pki/index.ts';

export interface WebServerOptions { host: string; port: number; key: string; cert: string }

export class WebServer {
  readonly name = 'web';
  private readonly server: https.Server;

  constructor(app: Koa, private readonly opts: WebServerOptions) {
    this.server = https.createServer(serverTlsOptions(opts), app.callback());
  }

  get port(): number { return (this.server.address() as AddressInfo).port; }

  setIdentity(key: string, cert: string): void {
    this.server.setSecureContext(serverTlsOptions({ key, cert }));
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: this.opts.host, port: this.opts.port }, () => { this.server.off('error', reject); resolve(); });
    });
  }

  stop(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
