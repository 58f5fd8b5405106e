'use strict';
// Differential check of Server.java's query planning: the same random operations against a stock
// mongo-java-server and one with the launcher's additions must give the same answers.
//
//   L=~/.cache/shouwang/mongo-java-server-1.47.0/libs; S=infra/local/mongo-java-server/Server.java
//   java -Xmx1g -cp "$L/*" $S --port 27038 --stock &  java -Xmx1g -cp "$L/*" $S --port 27039 &
//   node infra/local/mongo-java-server/planning-check.js [stockUri] [indexedUri] [seed]
// Exit 0 when every answer and the final collections are equal, 1 otherwise. 3 000 steps (bounded).
const { MongoClient } = require('mongodb');

const [stockUri = 'mongodb://127.0.0.1:27038/', indexedUri = 'mongodb://127.0.0.1:27039/', seedArg = '42'] =
  process.argv.slice(2);
let seed = Number(seedArg);
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (a) => a[Math.floor(rnd() * a.length)];
const S = ['a', 'b', 'c', 'd'];
// scalars, booleans, arrays, nested arrays, numbers, null and missing fields
const val = () => {
  const r = rnd();
  if (r < 0.3) return pick(S);
  if (r < 0.45) return rnd() < 0.5;
  if (r < 0.6) return [pick(S), pick(S)];
  if (r < 0.7) return [[pick(S)]];
  if (r < 0.8) return 1;
  if (r < 0.9) return null;
  return undefined;
};
const doc = (i) => {
  const d = { _id: `id${i}`, f: val(), g: val(), m: [{ x: pick(S) }, { x: val() }], n: { y: val() } };
  for (const k of Object.keys(d)) if (d[k] === undefined) delete d[k];
  return d;
};
const norm = (docs) => JSON.stringify(docs.map((d) => JSON.stringify(d)).sort());

async function main() {
  const clients = await Promise.all(
    [stockUri, indexedUri].map((u) =>
      MongoClient.connect(u, { directConnection: true, serverSelectionTimeoutMS: 5000 }),
    ),
  );
  const cols = clients.map((c) => c.db('planning_check').collection('t'));
  const seedDocs = [doc(-1), doc(-2)];
  for (const c of cols) {
    await c.drop().catch(() => {});
    await c.insertMany(seedDocs.map((d) => ({ ...d })));
    await c.createIndex({ f: 1 });
    await c.createIndex({ 'm.x': 1, g: 1 });
    await c.createIndex({ 'n.y': 1 });
    await c.createIndex({ g: 1 });
  }
  let diffs = 0;
  for (let step = 0; step < 3000; step++) {
    // every random choice is made here, once, so both servers get the very same operation
    const r = rnd();
    const id = `id${Math.floor(rnd() * 300)}`;
    let op;
    if (r < 0.3) {
      const d = doc(id.slice(2));
      op = (c) => c.replaceOne({ _id: id }, d, { upsert: true });
    } else if (r < 0.45) {
      const [v, w] = [val(), pick(S)];
      op = (c) => c.updateOne({ _id: id, f: w }, v === undefined ? { $unset: { f: '' } } : { $set: { f: v } });
    } else if (r < 0.55) {
      const [v, w] = [pick(S), pick(S)];
      op = (c) => c.updateMany({ g: w }, { $set: { 'n.y': v }, $push: { m: { x: v } } });
    } else if (r < 0.6) {
      op = (c) => c.deleteOne({ _id: id });
    } else if (r < 0.65) {
      const w = pick(S);
      op = (c) => c.deleteMany({ f: w, g: true });
    } else if (r < 0.7) {
      const w = pick(S);
      op = (c) =>
        c
          .findOneAndUpdate(
            { _id: id, $or: [{ g: { $exists: false } }, { g: w }] },
            { $set: { g: true } },
            { returnDocument: 'after' },
          )
          .then((d) => [d]);
    } else {
      const q = pick([
        { f: pick(S) },
        { f: true },
        { f: false },
        { 'm.x': pick(S) },
        { 'm.x': pick(S), g: pick(S) },
        { 'n.y': pick(S) },
        { g: pick(S), f: { $ne: null } },
        { _id: id, f: pick(S) },
        { f: 1 },
        { f: null },
        { g: { $in: ['a', 'b'] } },
        { g: true, 'n.y': pick(S) },
      ]);
      op = (c) => c.find(q).toArray();
    }
    const [a, b] = await Promise.all(
      cols.map((c) =>
        op(c).then((x) =>
          Array.isArray(x)
            ? norm(x)
            : JSON.stringify([x.matchedCount, x.modifiedCount, x.upsertedCount, x.deletedCount]),
        ),
      ),
    );
    if (a !== b && ++diffs <= 5) console.log(`difference at step ${step}: ${String(op).slice(0, 120)}\n  ${a}\n  ${b}`);
  }
  const [x, y] = await Promise.all(cols.map((c) => c.find({}).toArray().then(norm)));
  await Promise.all(
    clients.map((c) =>
      c
        .db('planning_check')
        .dropDatabase()
        .then(() => c.close()),
    ),
  );
  console.log(
    `[planning-check] seed ${seedArg}: 3000 steps, ${diffs} differences, final collections equal: ${x === y}`,
  );
  process.exit(diffs === 0 && x === y ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
