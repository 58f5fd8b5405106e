import net from 'node:net';

/** Connection settings of the local infrastructure started by infra/local/up.sh (same defaults). */
export function infraEnv(env: NodeJS.ProcessEnv = process.env) {
  const mongoPort = env.SHOUWANG_MONGO_PORT ?? '27027';
  return {
    mongoBase: `mongodb://127.0.0.1:${mongoPort}`,
    mongoPort: Number(mongoPort),
    kafkaBrokers: `127.0.0.1:${env.SHOUWANG_KAFKA_PORT ?? '19092'}`,
    kafkaPort: Number(env.SHOUWANG_KAFKA_PORT ?? '19092'),
    redisUrl: `redis://127.0.0.1:${env.SHOUWANG_REDIS_PORT ?? '16379'}`,
    redisPort: Number(env.SHOUWANG_REDIS_PORT ?? '16379'),
  };
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A port the OS says is free now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
