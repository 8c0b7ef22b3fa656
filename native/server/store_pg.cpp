// The ledger in PostgreSQL (libpq), for deployments where several `doui serve` instances share
// one database. Verifiers are stateless; what must be serialised is the append, so a write
// transaction locks the commits table (EXCLUSIVE: readers go on, writers queue), reads the head
// and appends. PostgreSQL's default synchronous_commit makes COMMIT durable when it returns.
// Bodies are TEXT: a verified record is valid UTF-8 without NUL, and TEXT keeps its bytes.
#include <libpq-fe.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "store_internal.hpp"

namespace doui::server {
namespace {

constexpr const char* kSchema = R"sql(
SELECT pg_advisory_xact_lock(7261826);
CREATE TABLE IF NOT EXISTS entries (
  position BIGINT PRIMARY KEY,
  record_id TEXT NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  event TEXT NOT NULL,
  previous_record TEXT,
  record_digest TEXT NOT NULL,
  received_at TEXT NOT NULL,
  body TEXT NOT NULL,
  subject_previous TEXT NOT NULL,
  hash TEXT NOT NULL,
  commit_number BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_subject ON entries (subject, position);
CREATE TABLE IF NOT EXISTS commits (
  number BIGINT PRIMARY KEY,
  first BIGINT NOT NULL,
  last BIGINT NOT NULL,
  previous TEXT NOT NULL,
  committed_at TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS subjects (
  subject TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tombstones (
  position BIGINT PRIMARY KEY,
  record_id TEXT NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  received_at TEXT NOT NULL,
  subject_previous TEXT NOT NULL,
  hash TEXT NOT NULL,
  commit_number BIGINT NOT NULL,
  pruned_at TEXT NOT NULL,
  pruned_before TEXT NOT NULL
);
CREATE OR REPLACE FUNCTION doui_append_only() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'the ledger is append-only'; END $$;
-- A row may go only once its tombstone is there (doui ledger prune).
CREATE OR REPLACE FUNCTION doui_entries_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM tombstones t WHERE t.position = OLD.position
                                  AND t.record_id = OLD.record_id AND t.hash = OLD.hash) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the ledger is append-only';
END $$;
CREATE OR REPLACE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries
  FOR EACH ROW EXECUTE FUNCTION doui_entries_guard();
CREATE OR REPLACE TRIGGER tombstones_append_only BEFORE UPDATE OR DELETE ON tombstones
  FOR EACH ROW EXECUTE FUNCTION doui_append_only();
CREATE OR REPLACE TRIGGER commits_append_only BEFORE UPDATE OR DELETE ON commits
  FOR EACH ROW EXECUTE FUNCTION doui_append_only();
CREATE OR REPLACE TRIGGER subjects_append_only BEFORE UPDATE ON subjects
  FOR EACH ROW EXECUTE FUNCTION doui_append_only();
)sql";

constexpr const char* kEntryColumns =
    "position, record_id, subject, event, previous_record, record_digest, received_at, body, "
    "subject_previous, hash, commit_number";
// A tombstone in the same columns as a row, so the two can be read in position order.
constexpr const char* kTombstoneColumns =
    "position, record_id, subject, '', NULL, '', received_at, '', subject_previous, hash, "
    "commit_number, pruned_at, pruned_before";

// A result that clears itself.
class PgResult {
 public:
  explicit PgResult(PGresult* r) : r_(r) {}
  ~PgResult() { PQclear(r_); }
  PgResult(PgResult&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  PgResult& operator=(PgResult&&) = delete;
  PGresult* get() const { return r_; }
  int rows() const { return PQntuples(r_); }
  std::string text(int row, int col) const {
    return std::string(PQgetvalue(r_, row, col),
                       static_cast<std::size_t>(PQgetlength(r_, row, col)));
  }
  std::uint64_t u64(int row, int col) const { return std::stoull(text(row, col)); }
  Entry entry(int row) const {
    Entry e;
    e.position = u64(row, 0);
    e.record_id = text(row, 1);
    e.subject = text(row, 2);
    e.event = text(row, 3);
    e.previous_record = text(row, 4);  // NULL reads as ""
    e.record_digest = text(row, 5);
    e.received_at = text(row, 6);
    e.body = text(row, 7);
    e.subject_previous = text(row, 8);
    e.hash = text(row, 9);
    e.commit = u64(row, 10);
    if (PQnfields(r_) > 11) {
      e.pruned_at = text(row, 11);  // NULL reads as "": a row, not a tombstone
      e.pruned_before = text(row, 12);
    }
    return e;
  }

 private:
  PGresult* r_;
};

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string what = PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      throw StoreError{"postgresql: cannot connect: " + what};
    }
    exec("SET client_min_messages = warning");
  }
  ~PostgresStore() override { PQfinish(conn_); }

  void migrate() override {
    exec("BEGIN");
    try {
      exec(kSchema);
      exec("COMMIT");
    } catch (...) {
      rollback();
      throw;
    }
  }
  void begin_write() override {
    exec("BEGIN");
    exec("LOCK TABLE commits IN EXCLUSIVE MODE");
  }
  void commit() override { exec("COMMIT"); }
  void rollback() override {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
  }

  Head head() override {
    Head h;
    PgResult p = query(
        "SELECT GREATEST(COALESCE((SELECT MAX(position) FROM entries), 0), "
        "COALESCE((SELECT MAX(position) FROM tombstones), 0))",
        {});
    h.position = p.u64(0, 0);
    PgResult c = query("SELECT number, hash FROM commits ORDER BY number DESC LIMIT 1", {});
    if (c.rows() > 0) {
      h.commit = c.u64(0, 0);
      h.commit_hash = c.text(0, 1);
    }
    return h;
  }

  std::optional<Entry> entry_by_record(std::string_view record_id) override {
    PgResult r =
        query(std::string("SELECT ") + kEntryColumns + " FROM entries WHERE record_id = $1",
              {std::string(record_id)});
    if (r.rows() == 0) return std::nullopt;
    return r.entry(0);
  }
  bool record_pruned(std::string_view record_id) override {
    return query("SELECT 1 FROM tombstones WHERE record_id = $1", {std::string(record_id)}).rows() >
           0;
  }
  std::optional<Entry> subject_latest(std::string_view subject) override {
    PgResult r = query(std::string("SELECT ") + kEntryColumns +
                           " FROM entries WHERE subject = $1 ORDER BY position DESC LIMIT 1",
                       {std::string(subject)});
    if (r.rows() == 0) return std::nullopt;
    return r.entry(0);
  }
  std::vector<Entry> subject_entries(std::string_view subject) override {
    PgResult r = query(std::string("SELECT ") + kEntryColumns +
                           " FROM entries WHERE subject = $1 ORDER BY position DESC",
                       {std::string(subject)});
    std::vector<Entry> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.entry(i));
    return out;
  }
  std::optional<std::string> subject_token_hash(std::string_view subject) override {
    PgResult r =
        query("SELECT token_hash FROM subjects WHERE subject = $1", {std::string(subject)});
    if (r.rows() == 0) return std::nullopt;
    return r.text(0, 0);
  }
  std::uint64_t subject_count() override {
    return query("SELECT COUNT(*) FROM subjects", {}).u64(0, 0);
  }

  void append(const Entry& e) override {
    std::vector<std::optional<std::string>> params{
        std::to_string(e.position),
        e.record_id,
        e.subject,
        e.event,
        e.previous_record.empty() ? std::nullopt : std::optional<std::string>(e.previous_record),
        e.record_digest,
        e.received_at,
        e.body,
        e.subject_previous,
        e.hash,
        std::to_string(e.commit)};
    query(std::string("INSERT INTO entries (") + kEntryColumns +
              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
          params);
  }
  void add_subject(std::string_view subject, std::string_view hash,
                   std::string_view created_at) override {
    query("INSERT INTO subjects (subject, token_hash, created_at) VALUES ($1, $2, $3)",
          {std::string(subject), std::string(hash), std::string(created_at)});
  }
  void add_commit(const Commit& c) override {
    query(
        "INSERT INTO commits (number, first, last, previous, committed_at, hash) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {std::to_string(c.number), std::to_string(c.first), std::to_string(c.last), c.previous,
         c.committed_at, c.hash});
  }

  std::vector<Entry> prunable(std::string_view cutoff) override {
    PgResult r = query(std::string("SELECT ") + kEntryColumns +
                           " FROM entries e WHERE e.received_at < $1 AND EXISTS (SELECT 1 FROM "
                           "entries n WHERE n.subject = e.subject AND n.position > e.position "
                           "AND n.received_at < $1) ORDER BY e.position",
                       {std::string(cutoff)});
    std::vector<Entry> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.entry(i));
    return out;
  }
  void prune(const Entry& e, std::string_view pruned_before, std::string_view pruned_at) override {
    query(
        "INSERT INTO tombstones (position, record_id, subject, received_at, subject_previous, "
        "hash, commit_number, pruned_at, pruned_before) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        {std::to_string(e.position), e.record_id, e.subject, e.received_at, e.subject_previous,
         e.hash, std::to_string(e.commit), std::string(pruned_at), std::string(pruned_before)});
    PgResult d = query("DELETE FROM entries WHERE position = $1", {std::to_string(e.position)});
    if (std::string(PQcmdTuples(d.get())) != "1") {
      throw StoreError{"postgresql: the row to prune is gone"};
    }
  }

  // Pages through the tables so a large ledger is never held in memory whole.
  void each_entry(const std::function<bool(const Entry&)>& f) override {
    std::uint64_t after = 0;
    for (;;) {
      PgResult r = query(std::string("SELECT ") + kEntryColumns +
                             ", NULL, NULL FROM entries WHERE position > $1 UNION ALL SELECT " +
                             kTombstoneColumns +
                             " FROM tombstones WHERE position > $1 ORDER BY position LIMIT 1000",
                         {std::to_string(after)});
      if (r.rows() == 0) return;
      for (int i = 0; i < r.rows(); ++i) {
        Entry e = r.entry(i);
        after = e.position;
        if (!f(e)) return;
      }
    }
  }
  void each_commit(const std::function<bool(const Commit&)>& f) override {
    PgResult r = query(
        "SELECT number, first, last, previous, committed_at, hash FROM commits ORDER BY number",
        {});
    for (int i = 0; i < r.rows(); ++i) {
      Commit c{r.u64(i, 0), r.u64(i, 1), r.u64(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5)};
      if (!f(c)) return;
    }
  }

 private:
  void exec(const char* sql) {
    PgResult r(PQexec(conn_, sql));
    check(PQresultStatus(r.get()));
  }

  // Each statement is prepared once per connection (parsed and planned once), then executed by
  // name: the writer runs a handful of them per consent.
  PgResult query(const std::string& sql, const std::vector<std::optional<std::string>>& params) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      const std::string name = "s" + std::to_string(prepared_.size());
      PgResult prep(
          PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(params.size()), nullptr));
      check(PQresultStatus(prep.get()));
      it = prepared_.emplace(sql, name).first;
    }
    std::vector<const char*> values;
    std::vector<int> lengths;
    for (const auto& p : params) {
      values.push_back(p ? p->c_str() : nullptr);
      lengths.push_back(p ? static_cast<int>(p->size()) : 0);
    }
    PgResult r(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()),
                              values.data(), lengths.data(), nullptr, 0));
    check(PQresultStatus(r.get()));
    return r;
  }

  void check(ExecStatusType status) {
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      throw StoreError{std::string("postgresql: ") + PQerrorMessage(conn_)};
    }
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
};

}  // namespace

std::unique_ptr<Store> open_postgres_store(const std::string& conninfo) {
  return std::make_unique<PostgresStore>(conninfo);
}

}  // namespace doui::server
