'use strict';
// Waits until a MongoDB-compatible server (here FerretDB) answers `ping`, with the mongodb driver.
//
//   node infra/local/mongo-ready.js [--uri mongodb://127.0.0.1:27027/] [--timeout 60]
//
// --uri      default $MONGODB_URI, else mongodb://127.0.0.1:27027/
// --timeout  total seconds for all attempts (bounded retries); default 60
// Exit 0 when ready, 1 on timeout, 2 when the mongodb package is not installed.

const { parseArgs } = require('node:util');

let mongodb;
try {
  mongodb = require('mongodb');
} catch {
  console.error('[infra] mongo-ready: cannot load the mongodb package; run `npm ci` at the repository root');
  process.exit(2);
}
const { MongoClient } = mongodb;

const { values: opts } = parseArgs({
  options: {
    uri: { type: 'string', default: process.env.MONGODB_URI || 'mongodb://127.0.0.1:27027/' },
    timeout: { type: 'string', default: '60' },
  },
});
const timeoutMs = Math.max(1, Number(opts.timeout) || 60) * 1000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function ping() {
  const client = new MongoClient(opts.uri, {
    serverSelectionTimeoutMS: 2000,
    connectTimeoutMS: 2000,
    socketTimeoutMS: 5000,
    directConnection: true,
    appName: 'shouwang-infra-check',
  });
  try {
    await client.connect();
    const admin = client.db('admin');
    await admin.command({ ping: 1 });
    return await admin.command({ buildInfo: 1 });
  } finally {
    await client.close().catch(() => {});
  }
}

async function main() {
  const deadline = Date.now() + timeoutMs;
  let attempts = 0;
  let lastError;
  for (;;) {
    attempts += 1;
    try {
      const info = await ping();
      const server = info.ferretdbVersion ? `FerretDB ${info.ferretdbVersion}` : 'MongoDB';
      console.log(`[infra] ferretdb: ready (${server}, reports MongoDB ${info.version}; attempt ${attempts})`);
      return;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      console.error(
        `[infra] mongo-ready: no ping reply from ${opts.uri} within ${timeoutMs / 1000}s (${attempts} attempts); last error: ${lastError && lastError.message}`,
      );
      process.exit(1);
    }
    if (attempts % 10 === 0) {
      console.log(
        `[infra] ferretdb: still waiting for a ping reply (${attempts} attempts, last error: ${lastError && lastError.message})`,
      );
    }
    await sleep(500);
  }
}

main().catch((e) => {
  console.error(`[infra] mongo-ready: ${e.stack || e}`);
  process.exit(1);
});
