// The ledger: every accepted consent record, as the exact bytes received, in an append-only
// store whose rows chain by hash. Each subject's rows form a chain (a row names the hash of the
// subject's previous row) and the ledger is a chain of commits (a commit names the previous
// commit and the hashes of the rows it wrote), so a row changed, reordered or removed by hand is
// found by `check_ledger`. The store is SQLite or PostgreSQL behind one small interface; the
// chain arithmetic is here, once, for both.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doui/age.hpp"
#include "doui/result.hpp"
#include "doui/verify.hpp"

namespace doui::server {

/// The hash a chain starts from.
inline constexpr std::string_view kGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// One row: a record as received, where it stands, and the hash that chains it.
struct Entry {
  std::uint64_t position = 0;  ///< 1-based and dense, in commit order
  std::string record_id;
  std::string subject;
  std::string event;             ///< given | changed | withdrawn
  std::string previous_record;   ///< empty for null
  std::string record_digest;     ///< the record's own digest (verified before it was stored)
  std::string received_at;       ///< server clock, RFC 3339 UTC with milliseconds
  std::string body;              ///< the exact bytes received, never re-serialised
  std::string subject_previous;  ///< hash of the subject's previous row, or kGenesis
  std::string hash;              ///< entry_hash(*this)
  std::uint64_t commit = 0;      ///< the commit that wrote it
  /// Set on a tombstone: the row whose record was pruned (`prune_ledger`). A tombstone keeps the
  /// position, record id, subject, received_at, chain hashes and commit, so every chain still
  /// checks; event, previous_record, record_digest and body are gone.
  std::string pruned_at;      ///< when it was pruned
  std::string pruned_before;  ///< the cut-off that prune was given
  bool pruned() const { return !pruned_at.empty(); }
};

/// One group commit: the rows first..last, chained to the previous commit.
struct Commit {
  std::uint64_t number = 0;  ///< 1-based and dense
  std::uint64_t first = 0, last = 0;
  std::string previous;  ///< the previous commit's hash, or kGenesis
  std::string committed_at;
  std::string hash;  ///< commit_hash(*this, hashes of rows first..last)
};

/// SHA-256 of the RFC 8785 form of every field of `e` but `hash` and `commit` (the body by its
/// own SHA-256), so any change to a stored value changes it.
std::string entry_hash(const Entry& e);
/// SHA-256 of the RFC 8785 form of the commit's fields and its rows' hashes, in order.
std::string commit_hash(const Commit& c, const std::vector<std::string>& entry_hashes);

/// Where the ledger stands: the last row (or tombstone) and the last commit.
struct Head {
  std::uint64_t position = 0;
  std::uint64_t commit = 0;
  std::string commit_hash{kGenesis};
};

/// A store failure (I/O, a lost connection, a constraint): the transaction did not happen.
struct StoreError {
  std::string what;
};

/// One connection to the store. Not shared between threads; open one per thread.
/// Every method may throw StoreError.
class Store {
 public:
  virtual ~Store() = default;
  /// Creates the tables if they are missing. Idempotent.
  virtual void migrate() = 0;
  /// A write transaction that excludes every other writer (other processes too) until commit or
  /// rollback. commit() returns only once the transaction is durable.
  virtual void begin_write() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;

  virtual Head head() = 0;
  /// The row holding `record_id` (never a tombstone).
  virtual std::optional<Entry> entry_by_record(std::string_view record_id) = 0;
  /// Whether a tombstone holds `record_id`: its record was pruned, the id stays used.
  virtual bool record_pruned(std::string_view record_id) = 0;
  virtual std::optional<Entry> subject_latest(std::string_view subject) = 0;
  /// The subject's rows, newest first (tombstones left out).
  virtual std::vector<Entry> subject_entries(std::string_view subject) = 0;
  virtual std::optional<std::string> subject_token_hash(std::string_view subject) = 0;
  virtual std::uint64_t subject_count() = 0;

  virtual void append(const Entry& e) = 0;
  virtual void add_subject(std::string_view subject, std::string_view token_hash,
                           std::string_view created_at) = 0;
  virtual void add_commit(const Commit& c) = 0;

  /// The rows received before `cutoff` (an instant in format_instant's form) whose subject has a
  /// later row also received before it, in position order: records no longer in force before
  /// the cut-off. A subject's latest row is never among them.
  virtual std::vector<Entry> prunable(std::string_view cutoff) = 0;
  /// Replaces row `e` with its tombstone (the database lets a row go only once its tombstone,
  /// with the same position, record id and hash, is there).
  virtual void prune(const Entry& e, std::string_view pruned_before,
                     std::string_view pruned_at) = 0;

  /// Every row and tombstone in position order, then every commit in number order; stop when `f`
  /// says false.
  virtual void each_entry(const std::function<bool(const Entry&)>& f) = 0;
  virtual void each_commit(const std::function<bool(const Commit&)>& f) = 0;
};

/// Opens `url`: `sqlite:PATH` (or a bare path) or `postgresql://…` / `postgres://…`.
std::unique_ptr<Store> open_store(std::string_view url);

/// A record offered for the ledger, already verified by the core.
struct Submission {
  std::string body;
  std::string record_id, subject, event, previous_record, record_digest;
  /// The request carried the subject's access token or the operator's key.
  bool authorized = false;
};

enum class Outcome {
  Created,        ///< appended now
  Replayed,       ///< the same bytes under this record id were appended before
  IdInUse,        ///< another record holds this record id
  NotLatest,      ///< previous_record is not the subject's latest record
  Unauthorized,   ///< the subject exists and the request had no right to it
  NotTakingBack,  ///< a withdrawal that adds to the record it follows, or takes nothing back
};

struct Appended {
  Outcome outcome = Outcome::Created;
  Entry entry;                      ///< the row (Created, Replayed)
  std::string access_token;         ///< a new subject's token, given once (Created)
  std::string detail;               ///< why, for the refusals
  std::vector<doui::Error> errors;  ///< what check_withdrawal found (NotTakingBack)
};

/// Appends `s` inside the open write transaction, after the checks that need the ledger's state
/// (idempotency, the subject's chain, access); `head` advances. `received_at` is the server's
/// clock; `commit` the number of the commit being written.
Appended append_submission(Store& store, const Submission& s, Head& head,
                           const std::string& received_at, std::uint64_t commit);

/// SHA-256 (hex) of an access token: the store keeps only this.
std::string token_hash(std::string_view token);
/// A fresh access token: 32 bytes from libsodium's CSPRNG, base64url.
std::string new_access_token();
/// Whether `token` is the one whose hash is `stored_hash` (constant time).
bool token_matches(std::string_view token, std::string_view stored_hash);

/// One problem `check_ledger` found, at the row or commit it names.
struct LedgerProblem {
  std::string what;        ///< e.g. "entry 12: hash does not match its fields"
  std::uint64_t position;  ///< the row (or 0 for a commit problem)
};

/// Walks every row and commit: positions dense, each row's hash, each subject's chain, each
/// commit's hash and chain, and every stored record re-verified with the core at the instant it
/// was received. A tombstone's own hash cannot be recomputed (its fields are gone), but it stays
/// in its subject's chain and its commit's hash; the check also holds each tombstone to the
/// retention rule (pruned no earlier than allowed at `now`, and no longer in force at its
/// cut-off). Returns every problem, in ledger order.
std::vector<LedgerProblem> check_ledger(Store& store, const PolicyRegistry& registry, Instant now);

/// How long records of a consent are kept: APPI Art. 29 and its Enforcement Rules (Art. 14) keep
/// records of provision to third parties 3 years from when the provision ended.
inline constexpr int kRetentionYears = 3;

/// The latest cut-off a prune may be given at `now`: 00:00 Asia/Tokyo of the Tokyo date
/// kRetentionYears years before now's (29 February becomes 28 February).
Instant retention_limit(Instant now);

/// Prunes, in one write transaction, every record received before `cutoff` that stopped being in
/// force before it (a later record of the same subject was also received before it): each row
/// becomes a tombstone, so the chains still check. A subject's latest record is always kept.
/// Error: ledger.retention when `cutoff` is later than retention_limit(now); nothing is pruned.
/// Returns the rows pruned. Throws StoreError.
Result<std::uint64_t> prune_ledger(Store& store, Instant cutoff, Instant now);

}  // namespace doui::server
