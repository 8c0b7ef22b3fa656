// The ledger over SQLite: appends through the group-commit writer, the checks that need the
// ledger's state (idempotency, one linear history per subject, access), and check_ledger finding
// rows changed, removed and swapped by hand in the database.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <future>

#include <nlohmann/json.hpp>

#include "doui/consent.hpp"
#include "doui/verify.hpp"
#include "ledger.hpp"
#include "test_util.hpp"
#include "writer.hpp"

namespace {

using doui::server::Appended;
using doui::server::Outcome;
using doui::server::Submission;
using doui::test::at;
using nlohmann::json;

const doui::PolicyRegistry& registry() {
  static const doui::PolicyRegistry r = [] {
    doui::PolicyRegistry reg;
    reg.add(doui::test::bundled_policy());
    return reg;
  }();
  return r;
}

// An adult's record for `subject`, following `previous` (empty: the first).
std::string record(const std::string& subject, const std::string& id,
                   const std::string& previous = {}, const std::string& event = "given") {
  doui::ConsentInputs in = doui::test::base_inputs();
  in.subject = subject;
  in.birthdate = "1990-01-01";
  in.policy_agreed = event != "withdrawn";
  if (event == "given") in.linkages = {"ponta"};
  in.previous_record = previous;
  in.event = event;
  return doui::build_record(doui::test::bundled_policy(), in, at("2025-06-01T09:00:00+09:00"), id)
      .value();
}

Submission submission(const std::string& body, bool authorized = false) {
  const json j = json::parse(body);
  Submission s;
  s.body = body;
  s.record_id = j["record_id"];
  s.subject = j["subject"];
  s.event = j["event"];
  s.previous_record =
      j["previous_record"].is_string() ? j["previous_record"].get<std::string>() : std::string();
  s.record_digest = j["digest"];
  s.authorized = authorized;
  return s;
}

constexpr const char* kReceived = "2025-06-01T00:00:05.000Z";
const std::string kId1 = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a41";
const std::string kId2 = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a42";
const std::string kId3 = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a43";
const std::string kId4 = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a44";

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("doui-ledger-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    url_ = "sqlite:" + (dir_ / "ledger.db").string();
    store_ = doui::server::open_store(url_);
    store_->migrate();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Appends in one transaction of its own, as the writer does for a batch of one.
  Appended append(const Submission& s, const std::string& received = kReceived) {
    store_->begin_write();
    doui::server::Head head = store_->head();
    doui::server::Commit c{head.commit + 1, head.position + 1, 0, head.commit_hash, received, ""};
    Appended a = doui::server::append_submission(*store_, s, head, received, c.number);
    if (a.outcome == Outcome::Created) {
      c.last = head.position;
      c.hash = doui::server::commit_hash(c, {a.entry.hash});
      store_->add_commit(c);
      store_->commit();
    } else {
      store_->rollback();
    }
    return a;
  }

  // Runs SQL on the database file by hand, as someone with access to it could.
  void tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "ledger.db").c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const std::string all =
        "DROP TRIGGER entries_append_only_u; DROP TRIGGER entries_append_only_d; " + sql;
    EXPECT_EQ(sqlite3_exec(db, all.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }

  // Runs SQL with the database's guards in place; the error, or "" when it ran.
  std::string guarded(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((dir_ / "ledger.db").c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string out = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    return out;
  }

  std::vector<std::string> problems(const char* now = "2025-06-02T00:00:00Z") {
    std::vector<std::string> out;
    for (const auto& p : doui::server::check_ledger(*store_, registry(), at(now))) {
      out.push_back(p.what);
    }
    return out;
  }

  // Three rows: u-1 gives, u-2 gives, u-1 withdraws.
  void three_rows() {
    ASSERT_EQ(append(submission(record("u-1", kId1))).outcome, Outcome::Created);
    ASSERT_EQ(append(submission(record("u-2", kId2))).outcome, Outcome::Created);
    ASSERT_EQ(append(submission(record("u-1", kId3, kId1, "withdrawn"), true)).outcome,
              Outcome::Created);
  }

  std::filesystem::path dir_;
  std::string url_;
  std::unique_ptr<doui::server::Store> store_;
};

TEST_F(LedgerTest, AppendsChainsAndChecks) {
  const std::string first = record("u-1", kId1);
  Appended a = append(submission(first));
  ASSERT_EQ(a.outcome, Outcome::Created);
  EXPECT_EQ(a.entry.position, 1u);
  EXPECT_EQ(a.entry.subject_previous, doui::server::kGenesis);
  EXPECT_EQ(a.entry.body, first);         // the exact bytes
  EXPECT_EQ(a.access_token.size(), 43u);  // 32 bytes, base64url without padding
  EXPECT_TRUE(doui::server::token_matches(a.access_token, *store_->subject_token_hash("u-1")));
  EXPECT_FALSE(
      doui::server::token_matches(a.access_token + "x", *store_->subject_token_hash("u-1")));

  Appended b = append(submission(record("u-1", kId2, kId1, "changed"), true));
  ASSERT_EQ(b.outcome, Outcome::Created);
  EXPECT_EQ(b.entry.position, 2u);
  EXPECT_EQ(b.entry.subject_previous, a.entry.hash);  // the subject's chain
  EXPECT_TRUE(b.access_token.empty());                // given once

  const auto history = store_->subject_entries("u-1");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].record_id, kId2);  // newest first
  EXPECT_EQ(history[1].record_id, kId1);
  EXPECT_EQ(store_->head().position, 2u);
  EXPECT_EQ(store_->head().commit, 2u);
  EXPECT_EQ(problems(), std::vector<std::string>{});
}

TEST_F(LedgerTest, TheSameRecordAgainIsTheSameRow) {
  const std::string body = record("u-1", kId1);
  Appended a = append(submission(body));
  Appended again = append(submission(body));
  EXPECT_EQ(again.outcome, Outcome::Replayed);
  EXPECT_EQ(again.entry.position, a.entry.position);
  EXPECT_EQ(again.entry.hash, a.entry.hash);
  EXPECT_TRUE(again.access_token.empty());
  EXPECT_EQ(store_->head().position, 1u);
}

TEST_F(LedgerTest, RefusesWhatWouldBreakTheHistory) {
  ASSERT_EQ(append(submission(record("u-1", kId1))).outcome, Outcome::Created);
  // Another record under a used id.
  EXPECT_EQ(append(submission(record("u-9", kId1))).outcome, Outcome::IdInUse);
  // A second `given` that does not follow the subject's latest.
  EXPECT_EQ(append(submission(record("u-1", kId2), true)).outcome, Outcome::NotLatest);
  // A withdrawal of a record that is not the latest (there is no kId4).
  EXPECT_EQ(append(submission(record("u-1", kId3, kId4, "withdrawn"), true)).outcome,
            Outcome::NotLatest);
  // A change for a subject that has no record.
  EXPECT_EQ(append(submission(record("u-2", kId3, kId1, "changed"), true)).outcome,
            Outcome::NotLatest);
  // The subject exists: without its token (or the operator's key), nothing is appended.
  EXPECT_EQ(append(submission(record("u-1", kId3, kId1, "withdrawn"), false)).outcome,
            Outcome::Unauthorized);
  EXPECT_EQ(store_->head().position, 1u);
  EXPECT_EQ(problems(), std::vector<std::string>{});
}

// A withdrawal needs no representative, so the ledger takes one only if it takes back.
TEST_F(LedgerTest, AWithdrawalOnlyTakesBack) {
  three_rows();  // u-1 has withdrawn everything
  // Withdrawing again takes nothing back.
  Appended again = append(submission(record("u-1", kId4, kId3, "withdrawn"), true));
  EXPECT_EQ(again.outcome, Outcome::NotTakingBack);
  ASSERT_EQ(again.errors.size(), 1u);
  EXPECT_EQ(again.errors[0].code, doui::Code::WithdrawalNothing);
  // A "withdrawal" that agrees to the policy again adds to what it follows.
  doui::ConsentInputs in = doui::test::base_inputs();
  in.subject = "u-1";
  in.birthdate = "1990-01-01";
  in.policy_agreed = true;
  in.previous_record = kId3;
  in.event = "withdrawn";
  const std::string adds =
      doui::build_record(doui::test::bundled_policy(), in, at("2025-06-01T09:00:00+09:00"), kId4)
          .value();
  Appended a = append(submission(adds, true));
  EXPECT_EQ(a.outcome, Outcome::NotTakingBack);
  ASSERT_EQ(a.errors.size(), 1u);
  EXPECT_EQ(a.errors[0].code, doui::Code::WithdrawalAdds);
  EXPECT_EQ(a.errors[0].path, "/policy_agreed");
  EXPECT_EQ(store_->head().position, 3u);  // nothing appended
}

TEST_F(LedgerTest, ConcurrentSubmissionsFormOneChainPerSubject) {
  doui::server::Writer writer([url = url_] { return doui::server::open_store(url); }, nullptr);
  // Sixteen subjects, each with a first record; then eight attempts at once to follow each.
  std::vector<std::future<doui::server::WriteResult>> firsts;
  for (int i = 0; i < 16; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "6f1c2a3b-4d5e-4f60-8a7b-%012d", i);
    firsts.push_back(writer.submit(submission(record("s-" + std::to_string(i), id)), kReceived));
  }
  for (auto& f : firsts) ASSERT_EQ(f.get().appended.outcome, Outcome::Created);
  std::vector<std::future<doui::server::WriteResult>> follows;
  for (int i = 0; i < 16; ++i) {
    char prev[40];
    std::snprintf(prev, sizeof prev, "6f1c2a3b-4d5e-4f60-8a7b-%012d", i);
    for (int k = 0; k < 8; ++k) {
      char id[40];
      std::snprintf(id, sizeof id, "7f1c2a3b-4d5e-4f60-8a7b-%06d%06d", i, k);
      follows.push_back(writer.submit(
          submission(record("s-" + std::to_string(i), id, prev, "changed"), true), kReceived));
    }
  }
  int created = 0, refused = 0;
  for (auto& f : follows) {
    auto r = f.get();
    ASSERT_TRUE(r.stored) << r.failure;
    (r.appended.outcome == Outcome::Created ? created : refused) += 1;
    if (r.appended.outcome != Outcome::Created) {
      EXPECT_EQ(r.appended.outcome, Outcome::NotLatest);
    }
  }
  EXPECT_EQ(created, 16);  // exactly one follower per subject
  EXPECT_EQ(refused, 16 * 7);
  EXPECT_EQ(store_->head().position, 32u);
  EXPECT_EQ(problems(), std::vector<std::string>{});
}

TEST_F(LedgerTest, CheckFindsARowChangedByHand) {
  three_rows();
  // A different received_at: every field is in the row's hash.
  tamper("UPDATE entries SET received_at = '2025-06-01T00:00:06.000Z' WHERE position = 2");
  EXPECT_EQ(problems(), (std::vector<std::string>{
                            "entry 2: hash does not match its fields",
                        }));
}

TEST_F(LedgerTest, CheckFindsARecordChangedByHand) {
  three_rows();
  tamper("UPDATE entries SET body = replace(body, '\"u-2\"', '\"u-3\"') WHERE position = 2");
  auto p = problems();
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0], "entry 2: hash does not match its fields");
  EXPECT_EQ(p[1], "entry 2: the stored record does not verify (record.digest_mismatch)");
}

TEST_F(LedgerTest, CheckFindsARowRemovedByHand) {
  three_rows();
  tamper("DELETE FROM entries WHERE position = 1");
  EXPECT_EQ(problems(), (std::vector<std::string>{
                            "entry 2: expected position 1 (a row is missing or moved)",
                            "commit 1: hash does not match its rows (a row changed, removed or "
                            "moved)",
                            "entry 3: does not follow the subject's previous row",
                        }));
}

TEST_F(LedgerTest, CheckFindsTwoRowsSwappedByHand) {
  three_rows();
  tamper(
      "UPDATE entries SET position = -1 WHERE position = 1;"
      "UPDATE entries SET position = 1 WHERE position = 2;"
      "UPDATE entries SET position = 2 WHERE position = -1;");
  auto p = problems();
  ASSERT_FALSE(p.empty());
  EXPECT_EQ(p[0], "entry 1: hash does not match its fields");
}

// Pruning (APPI Art. 29: 3 years). Every row here was received on 2025-06-01; in 2029 the
// retention of what stopped being in force then has ended.
constexpr const char* k2029 = "2029-01-01T00:00:00Z";

TEST_F(LedgerTest, RetentionIsThreeCalendarYearsInJapanTime) {
  using doui::server::retention_limit;
  // 2028-06-01 in Tokyo (15:00Z the day before): 2025-06-01 00:00 JST at the latest.
  EXPECT_EQ(retention_limit(at("2028-05-31T15:00:00Z")), at("2025-06-01T00:00:00+09:00"));
  EXPECT_EQ(retention_limit(at("2028-05-31T14:59:59Z")), at("2025-05-31T00:00:00+09:00"));
  // 29 February has no day three years on: the earlier day.
  EXPECT_EQ(retention_limit(at("2028-02-29T12:00:00+09:00")), at("2025-02-28T00:00:00+09:00"));
}

TEST_F(LedgerTest, PruneKeepsEachSubjectsLatestAndTheChainsStillCheck) {
  three_rows();  // u-1 gives (kId1), u-2 gives (kId2), u-1 withdraws (kId3)
  auto pruned = doui::server::prune_ledger(*store_, at("2025-07-01T00:00:00+09:00"), at(k2029));
  ASSERT_TRUE(pruned) << pruned.error().detail;
  EXPECT_EQ(*pruned, 1u);  // u-1's first record: its withdrawal came before the cut-off
  EXPECT_EQ(problems(k2029), std::vector<std::string>{});

  const auto u1 = store_->subject_entries("u-1");
  ASSERT_EQ(u1.size(), 1u);
  EXPECT_EQ(u1[0].record_id, kId3);  // the withdrawal stays: the subject's latest
  EXPECT_EQ(store_->subject_entries("u-2").size(), 1u);  // u-2's only record is in force
  EXPECT_FALSE(store_->entry_by_record(kId1));
  EXPECT_TRUE(store_->record_pruned(kId1));
  EXPECT_EQ(store_->head().position, 3u);

  // The pruned id stays used; the subject's chain goes on from its latest.
  EXPECT_EQ(append(submission(record("u-1", kId1))).outcome, Outcome::IdInUse);
  Appended next = append(submission(record("u-1", kId4, kId3, "given"), true),
                         "2025-08-01T00:00:00.000Z");  // after the cut-off
  ASSERT_EQ(next.outcome, Outcome::Created);
  EXPECT_EQ(next.entry.position, 4u);
  EXPECT_EQ(next.entry.subject_previous, u1[0].hash);
  EXPECT_EQ(problems(k2029), std::vector<std::string>{});

  // Nothing more to prune at the same cut-off; a tombstone is as append-only as a row.
  EXPECT_EQ(*doui::server::prune_ledger(*store_, at("2025-07-01T00:00:00+09:00"), at(k2029)), 0u);
  EXPECT_NE(guarded("DELETE FROM tombstones"), "");
  EXPECT_NE(guarded("UPDATE tombstones SET subject = 'x'"), "");
  EXPECT_NE(guarded("DELETE FROM entries WHERE position = 2"), "");  // no tombstone: refused
}

TEST_F(LedgerTest, PruneRefusesACutOffInsideTheRetention) {
  three_rows();
  // On 2028-06-01 (Tokyo) the latest allowed cut-off is 2025-06-01.
  auto refused = doui::server::prune_ledger(*store_, at("2025-06-02T00:00:00+09:00"),
                                            at("2028-06-01T00:00:00+09:00"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, doui::Code::LedgerRetention);
  EXPECT_EQ(store_->subject_entries("u-1").size(), 2u);  // nothing pruned
  auto allowed = doui::server::prune_ledger(*store_, at("2025-06-01T00:00:00+09:00"),
                                            at("2028-06-01T00:00:00+09:00"));
  ASSERT_TRUE(allowed);
  EXPECT_EQ(*allowed, 0u);  // everything was received after 00:00 on 2025-06-01... in Tokyo
}

TEST_F(LedgerTest, CheckHoldsTombstonesToTheRetentionRule) {
  three_rows();
  ASSERT_EQ(*doui::server::prune_ledger(*store_, at("2025-07-01T00:00:00+09:00"), at(k2029)), 1u);
  // Checked at an instant before the prune: the tombstone comes from the future.
  EXPECT_EQ(problems("2028-01-01T00:00:00Z"),
            std::vector<std::string>{"entry 1: pruned at a time still to come"});
  // By hand, with the guards in place: a tombstone for u-2's only (latest) row lets it go.
  EXPECT_EQ(guarded("INSERT INTO tombstones SELECT position, record_id, subject, received_at, "
                    "subject_previous, hash, commit_number, '2029-01-01T00:00:00.000Z', "
                    "'2025-07-01T00:00:00.000Z' FROM entries WHERE position = 2; "
                    "DELETE FROM entries WHERE position = 2;"),
            "");
  EXPECT_EQ(problems(k2029),
            std::vector<std::string>{"entry 2: a subject's latest record was pruned"});
}

TEST_F(LedgerTest, CheckFindsATombstonePrunedTooEarly) {
  three_rows();
  // A cut-off only one year before its prune, forged by hand.
  EXPECT_EQ(guarded("INSERT INTO tombstones SELECT position, record_id, subject, received_at, "
                    "subject_previous, hash, commit_number, '2026-06-01T00:00:00.000Z', "
                    "'2025-07-01T00:00:00.000Z' FROM entries WHERE position = 1; "
                    "DELETE FROM entries WHERE position = 1;"),
            "");
  EXPECT_EQ(problems(k2029),
            std::vector<std::string>{"entry 1: pruned before the retention period ended"});
}

}  // namespace
