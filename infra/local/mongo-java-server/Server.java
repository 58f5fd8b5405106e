// mongo-java-server 1.47.0 (in-memory backend) on 127.0.0.1: the opt-in store of the platform benchmark.
// Run by up.sh as a single-file source program: java -cp '<libs>/*' Server.java [--port 27037] [--stock]
// Reports itself as MongoDB 5.0 (wire version 13): the Node driver 6.x refuses servers older than 4.0.
// Runs until SIGTERM/SIGINT; everything it holds is lost when it stops.
//
// Two query-planning additions, so that what the benchmark measures is our code and not a full scan
// that MongoDB would not do (both are off with --stock; results are unchanged, only candidates shrink):
//  1. A filter with `_id: <value>` AND other conditions uses the _id index. Stock mongo-java-server uses
//     an index only when the filter has exactly the index's keys, so `{_id, 'a.0.id': x}` (the outbox)
//     scans the whole collection: O(collection) per write, like FerretDB.
//  2. Non-unique indexes exist. Stock mongo-java-server ignores them (EmptyIndex: every filter on such
//     a field scans). Here each non-unique index keeps, for the FIRST field of its key, the positions of
//     the documents per string/boolean value (array elements included). A filter with a plain string or
//     boolean equality on that field takes those positions as candidates; the full filter is then
//     matched by mongo-java-server's own matcher as before, so the answer is the same.
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

public class Server {
  public static void main(String[] args) throws InterruptedException {
    int port = 27037;
    boolean stock = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--port") && i + 1 < args.length) port = Integer.parseInt(args[++i]);
      else if (args[i].equals("--stock")) stock = true;
      else throw new IllegalArgumentException("usage: Server.java [--port N] [--stock]; unknown argument " + args[i]);
    }
    MemoryBackend backend = stock ? new MemoryBackend() : new IndexedMemoryBackend();
    MongoServer server = new MongoServer(backend.version(ServerVersion.MONGO_5_0));
    server.bind("127.0.0.1", port);
    System.out.println("mongo-java-server listening on 127.0.0.1:" + port + " (memory backend, reports MongoDB 5.0, "
        + (stock ? "stock query planning" : "_id pushdown + non-unique indexes") + ")");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("mongo-java-server shutting down");
      server.shutdownNow();
      stopped.countDown();
    }));
    stopped.await();
  }
}

class IndexedMemoryBackend extends MemoryBackend {
  @Override
  public MemoryDatabase openOrCreateDatabase(String databaseName) {
    return new IndexedMemoryDatabase(databaseName, getCursorRegistry());
  }
}

class IndexedMemoryDatabase extends MemoryDatabase {
  IndexedMemoryDatabase(String databaseName, CursorRegistry cursorRegistry) {
    super(databaseName, cursorRegistry);
  }

  @Override
  protected Index<Integer> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
      boolean sparse) {
    if (keys.size() == 1 && keys.get(0).getKey().equals("_id")) return new IdIndex(indexName, keys, sparse);
    return super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
  }

  @Override
  protected Index<Integer> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
      boolean sparse) {
    return new FirstFieldEqualityIndex(indexName, keys, sparse);
  }
}

/** The _id index, also used when the filter has conditions besides `_id: <plain value>`. */
class IdIndex extends MemoryUniqueIndex {
  IdIndex(String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
  }

  private static boolean plain(Object v) {
    return v instanceof String || v instanceof Number || v instanceof ObjectId || v instanceof UUID;
  }

  @Override
  public synchronized boolean canHandle(Document query) {
    return super.canHandle(query) || (query.size() > 1 && plain(query.get("_id")));
  }

  @Override
  public synchronized Iterable<Integer> getPositions(Document query) {
    return query.size() > 1 ? super.getPositions(new Document("_id", query.get("_id"))) : super.getPositions(query);
  }
}

/** Candidate positions per string/boolean value of the key's first field; never decides a match itself. */
class FirstFieldEqualityIndex extends Index<Integer> {
  private final String field;
  private final Map<Object, TreeSet<Integer>> postings = new HashMap<>();
  /** Position per _id, for remove(): documents without an indexed value are in no posting list. */
  private final Map<Object, Integer> positionById = new HashMap<>();

  FirstFieldEqualityIndex(String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
    this.field = keys.get(0).getKey();
  }

  private static boolean indexable(Object v) {
    return v instanceof String || v instanceof Boolean;
  }

  /** Every string/boolean at the field's path, array elements (at any depth) included. */
  private List<Object> values(Document document) {
    List<Object> out = new ArrayList<>();
    collect(Utils.getSubdocumentValueCollectionAware(document, field), out);
    return out;
  }

  private static void collect(Object v, List<Object> out) {
    if (v instanceof Collection) for (Object e : (Collection<?>) v) collect(e, out);
    else if (indexable(v)) out.add(v);
  }

  private static Object idOf(Document document) {
    Object id = document.get("_id");
    return id instanceof Number ? Double.valueOf(((Number) id).doubleValue()) : id;
  }

  private void addPostings(Document document, Integer position) {
    for (Object v : values(document)) postings.computeIfAbsent(v, k -> new TreeSet<>()).add(position);
  }

  private void removePostings(Document document, Integer position) {
    for (Object v : values(document)) {
      TreeSet<Integer> set = postings.get(v);
      if (set != null && set.remove(position) && set.isEmpty()) postings.remove(v);
    }
  }

  @Override
  public synchronized Integer getPosition(Document document) {
    return positionById.get(idOf(document));
  }

  @Override
  public void checkAdd(Document document, MongoCollection<Integer> collection) {}

  @Override
  public synchronized void add(Document document, Integer position, MongoCollection<Integer> collection) {
    positionById.put(idOf(document), position);
    addPostings(document, position);
  }

  @Override
  public synchronized Integer remove(Document document) {
    Integer position = positionById.remove(idOf(document));
    if (position != null) removePostings(document, position);
    return position;
  }

  @Override
  public synchronized boolean canHandle(Document query) {
    return indexable(query.get(field));
  }

  @Override
  public synchronized Iterable<Integer> getPositions(Document query) {
    TreeSet<Integer> set = postings.get(query.get(field));
    return set == null ? List.of() : new ArrayList<>(set);
  }

  @Override
  public synchronized long getCount() {
    return positionById.size();
  }

  @Override
  public long getDataSize() {
    return getCount();
  }

  @Override
  public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Integer> collection) {}

  @Override
  public synchronized void updateInPlace(Document oldDocument, Document newDocument, Integer position,
      MongoCollection<Integer> collection) {
    removePostings(oldDocument, position);
    positionById.remove(idOf(oldDocument));
    positionById.put(idOf(newDocument), position);
    addPostings(newDocument, position);
  }

  @Override
  public synchronized void drop() {
    postings.clear();
    positionById.clear();
  }
}
