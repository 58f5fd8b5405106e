import mongoose, { type Connection } from 'mongoose';

/**
 * A service's own database. The URI names the database (e.g. mongodb://host/shouwang_identification).
 * Code stays inside the MongoDB 7 / FerretDB 1.24 common subset (ARCHITECTURE.md "Data store constraints").
 */
export async function connectMongo(uri: string): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 5000,
    // Index builds happen explicitly at start (syncIndexes), not lazily on first use.
    autoIndex: false,
  });
  await conn.asPromise();
  return conn;
}

export async function pingMongo(conn: Connection, timeoutMs = 2000): Promise<void> {
  if (!conn.db) throw new Error('MongoDB not connected');
  await withTimeout(conn.db.admin().ping(), timeoutMs, 'MongoDB ping');
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** MongoDB's duplicate-key error (11000): an insert, or an upsert's insert, that lost to an earlier one. */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 11000;
}

/**
 * Inserts every document it can in one unordered bulk write and returns the positions refused as
 * duplicate keys (an already-claimed key is an answer, not a failure). Any other error is thrown.
 */
export async function insertManyNew<T extends { _id: string }>(
  coll: { insertMany(docs: never[], opts: { ordered: boolean }): Promise<unknown> },
  docs: T[],
): Promise<Set<number>> {
  if (docs.length === 0) return new Set();
  try {
    await coll.insertMany(docs as never[], { ordered: false });
    return new Set();
  } catch (err) {
    const e = err as { writeErrors?: { code?: number; index?: number }[] | { code?: number; index?: number } };
    const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
    if (writeErrors.length === 0 || writeErrors.some((w) => !isDuplicateKey(w) || w.index === undefined)) throw err;
    return new Set(writeErrors.map((w) => w.index!));
  }
}
