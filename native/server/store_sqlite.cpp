// The ledger in SQLite: WAL mode with synchronous=FULL, so a commit is on disk when COMMIT
// returns, and readers never block the one writer. Triggers refuse UPDATE and DELETE on the
// ledger's tables: append-only is enforced by the database, and the hash chains prove it.
#include <sqlite3.h>

#include <string>
#include <unordered_map>

#include "store_internal.hpp"

namespace doui::server {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS entries (
  position INTEGER PRIMARY KEY,
  record_id TEXT NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  event TEXT NOT NULL,
  previous_record TEXT,
  record_digest TEXT NOT NULL,
  received_at TEXT NOT NULL,
  body BLOB NOT NULL,
  subject_previous TEXT NOT NULL,
  hash TEXT NOT NULL,
  commit_number INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_subject ON entries (subject, position);
CREATE TABLE IF NOT EXISTS commits (
  number INTEGER PRIMARY KEY,
  first INTEGER NOT NULL,
  last INTEGER NOT NULL,
  previous TEXT NOT NULL,
  committed_at TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS subjects (
  subject TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS entries_append_only_u BEFORE UPDATE ON entries
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TABLE IF NOT EXISTS tombstones (
  position INTEGER PRIMARY KEY,
  record_id TEXT NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  received_at TEXT NOT NULL,
  subject_previous TEXT NOT NULL,
  hash TEXT NOT NULL,
  commit_number INTEGER NOT NULL,
  pruned_at TEXT NOT NULL,
  pruned_before TEXT NOT NULL
);
DROP TRIGGER IF EXISTS entries_append_only_d;
CREATE TRIGGER entries_append_only_d BEFORE DELETE ON entries
  WHEN NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.position = OLD.position
                   AND t.record_id = OLD.record_id AND t.hash = OLD.hash)
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS tombstones_append_only_u BEFORE UPDATE ON tombstones
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS tombstones_append_only_d BEFORE DELETE ON tombstones
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS commits_append_only_u BEFORE UPDATE ON commits
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS commits_append_only_d BEFORE DELETE ON commits
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS subjects_append_only_u BEFORE UPDATE ON subjects
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
)sql";

constexpr const char* kEntryColumns =
    "position, record_id, subject, event, previous_record, record_digest, received_at, body, "
    "subject_previous, hash, commit_number";
// A tombstone in the same columns as a row, and the two of them in position order.
constexpr const char* kTombstoneColumns =
    "position, record_id, subject, '', NULL, '', received_at, X'', subject_previous, hash, "
    "commit_number, pruned_at, pruned_before";

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const std::string& path) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string what = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw StoreError{"cannot open " + path + ": " + what};
    }
    // Writers wait for each other (the ledger has one writer per process, but `ledger` commands
    // may run beside a server) rather than failing at once.
    sqlite3_busy_timeout(db_, 10000);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
  }
  ~SqliteStore() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  // One transaction, so a second process migrating at the same time never sees a trigger
  // dropped and not yet created again.
  void migrate() override {
    exec("BEGIN IMMEDIATE");
    try {
      exec(kSchema);
      exec("COMMIT");
    } catch (...) {
      rollback();
      throw;
    }
  }
  // IMMEDIATE takes the write lock now, so two writers never both read the same head.
  void begin_write() override { exec("BEGIN IMMEDIATE"); }
  void commit() override { exec("COMMIT"); }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

  Head head() override {
    Head h;
    Query q(*this,
            "SELECT MAX(COALESCE((SELECT MAX(position) FROM entries), 0), "
            "COALESCE((SELECT MAX(position) FROM tombstones), 0))");
    if (q.step()) h.position = q.u64(0);
    Query c(*this, "SELECT number, hash FROM commits ORDER BY number DESC LIMIT 1");
    if (c.step()) {
      h.commit = c.u64(0);
      h.commit_hash = c.text(1);
    }
    return h;
  }

  std::optional<Entry> entry_by_record(std::string_view record_id) override {
    Query q(*this, std::string("SELECT ") + kEntryColumns + " FROM entries WHERE record_id = ?");
    q.bind(1, record_id);
    if (!q.step()) return std::nullopt;
    return q.entry();
  }

  bool record_pruned(std::string_view record_id) override {
    Query q(*this, "SELECT 1 FROM tombstones WHERE record_id = ?");
    q.bind(1, record_id);
    return q.step();
  }

  std::optional<Entry> subject_latest(std::string_view subject) override {
    Query q(*this, std::string("SELECT ") + kEntryColumns +
                       " FROM entries WHERE subject = ? ORDER BY position DESC LIMIT 1");
    q.bind(1, subject);
    if (!q.step()) return std::nullopt;
    return q.entry();
  }

  std::vector<Entry> subject_entries(std::string_view subject) override {
    Query q(*this, std::string("SELECT ") + kEntryColumns +
                       " FROM entries WHERE subject = ? ORDER BY position DESC");
    q.bind(1, subject);
    std::vector<Entry> out;
    while (q.step()) out.push_back(q.entry());
    return out;
  }

  std::optional<std::string> subject_token_hash(std::string_view subject) override {
    Query q(*this, "SELECT token_hash FROM subjects WHERE subject = ?");
    q.bind(1, subject);
    if (!q.step()) return std::nullopt;
    return q.text(0);
  }

  std::uint64_t subject_count() override {
    Query q(*this, "SELECT COUNT(*) FROM subjects");
    return q.step() ? q.u64(0) : 0;
  }

  void append(const Entry& e) override {
    Query q(*this, std::string("INSERT INTO entries (") + kEntryColumns +
                       ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, e.position);
    q.bind(2, e.record_id);
    q.bind(3, e.subject);
    q.bind(4, e.event);
    if (e.previous_record.empty()) {
      q.bind_null(5);
    } else {
      q.bind(5, e.previous_record);
    }
    q.bind(6, e.record_digest);
    q.bind(7, e.received_at);
    q.bind_blob(8, e.body);
    q.bind(9, e.subject_previous);
    q.bind(10, e.hash);
    q.bind(11, e.commit);
    q.done();
  }

  void add_subject(std::string_view subject, std::string_view hash,
                   std::string_view created_at) override {
    Query q(*this, "INSERT INTO subjects (subject, token_hash, created_at) VALUES (?, ?, ?)");
    q.bind(1, subject);
    q.bind(2, hash);
    q.bind(3, created_at);
    q.done();
  }

  void add_commit(const Commit& c) override {
    Query q(*this,
            "INSERT INTO commits (number, first, last, previous, committed_at, hash) "
            "VALUES (?, ?, ?, ?, ?, ?)");
    q.bind(1, c.number);
    q.bind(2, c.first);
    q.bind(3, c.last);
    q.bind(4, c.previous);
    q.bind(5, c.committed_at);
    q.bind(6, c.hash);
    q.done();
  }

  std::vector<Entry> prunable(std::string_view cutoff) override {
    Query q(*this, std::string("SELECT ") + kEntryColumns +
                       " FROM entries e WHERE e.received_at < ?1 AND EXISTS (SELECT 1 FROM "
                       "entries n WHERE n.subject = e.subject AND n.position > e.position AND "
                       "n.received_at < ?1) ORDER BY e.position");
    q.bind(1, cutoff);
    std::vector<Entry> out;
    while (q.step()) out.push_back(q.entry());
    return out;
  }

  void prune(const Entry& e, std::string_view pruned_before, std::string_view pruned_at) override {
    {
      Query q(*this,
              "INSERT INTO tombstones (position, record_id, subject, received_at, "
              "subject_previous, hash, commit_number, pruned_at, pruned_before) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
      q.bind(1, e.position);
      q.bind(2, e.record_id);
      q.bind(3, e.subject);
      q.bind(4, e.received_at);
      q.bind(5, e.subject_previous);
      q.bind(6, e.hash);
      q.bind(7, e.commit);
      q.bind(8, pruned_at);
      q.bind(9, pruned_before);
      q.done();
    }
    Query d(*this, "DELETE FROM entries WHERE position = ?");
    d.bind(1, e.position);
    d.done();
    if (sqlite3_changes(db_) != 1) throw StoreError{"sqlite: the row to prune is gone"};
  }

  void each_entry(const std::function<bool(const Entry&)>& f) override {
    Query q(*this, std::string("SELECT ") + kEntryColumns +
                       ", NULL, NULL FROM entries UNION ALL SELECT " + kTombstoneColumns +
                       " FROM tombstones ORDER BY position");
    while (q.step()) {
      if (!f(q.entry())) break;
    }
  }

  void each_commit(const std::function<bool(const Commit&)>& f) override {
    Query q(
        *this,
        "SELECT number, first, last, previous, committed_at, hash FROM commits ORDER BY number");
    while (q.step()) {
      Commit c{q.u64(0), q.u64(1), q.u64(2), q.text(3), q.text(4), q.text(5)};
      if (!f(c)) break;
    }
  }

 private:
  // A prepared statement from the connection's cache, reset when the query ends.
  class Query {
   public:
    Query(SqliteStore& s, const std::string& sql) : store_(s), stmt_(s.prepare(sql)) {}
    ~Query() {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;

    void bind(int i, std::string_view v) {
      check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    }
    void bind(int i, std::uint64_t v) {
      check(sqlite3_bind_int64(stmt_, i, static_cast<sqlite3_int64>(v)));
    }
    void bind_null(int i) { check(sqlite3_bind_null(stmt_, i)); }
    void bind_blob(int i, std::string_view v) {
      check(sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    }
    bool step() {
      const int rc = sqlite3_step(stmt_);
      if (rc == SQLITE_ROW) return true;
      if (rc == SQLITE_DONE) return false;
      check(rc);
      return false;
    }
    void done() {
      if (step()) throw StoreError{"a statement returned rows unexpectedly"};
    }
    std::uint64_t u64(int col) {
      return static_cast<std::uint64_t>(sqlite3_column_int64(stmt_, col));
    }
    std::string text(int col) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_blob(stmt_, col));
      return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
               : std::string();
    }
    Entry entry() {
      Entry e;
      e.position = u64(0);
      e.record_id = text(1);
      e.subject = text(2);
      e.event = text(3);
      e.previous_record = text(4);
      e.record_digest = text(5);
      e.received_at = text(6);
      e.body = text(7);
      e.subject_previous = text(8);
      e.hash = text(9);
      e.commit = u64(10);
      if (sqlite3_column_count(stmt_) > 11) {
        e.pruned_at = text(11);
        e.pruned_before = text(12);
      }
      return e;
    }

   private:
    void check(int rc) {
      if (rc != SQLITE_OK) throw StoreError{std::string("sqlite: ") + sqlite3_errmsg(store_.db_)};
    }
    SqliteStore& store_;
    sqlite3_stmt* stmt_;
  };

  sqlite3_stmt* prepare(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
        SQLITE_OK) {
      throw StoreError{std::string("sqlite: ") + sqlite3_errmsg(db_)};
    }
    statements_.emplace(sql, stmt);
    return stmt;
  }

  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string what = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      throw StoreError{"sqlite: " + what};
    }
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path) {
  return std::make_unique<SqliteStore>(path);
}

}  // namespace doui::server
