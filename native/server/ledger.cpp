#include "ledger.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include <sodium.h>
#include <nlohmann/json.hpp>

#include "doui/age.hpp"
#include "doui/canonical.hpp"
#include "doui/digest.hpp"
#include "doui/withdrawal.hpp"

namespace doui::server {
namespace {

using json = nlohmann::json;

std::string canonical_sha256(const json& v) {
  auto text = canonicalize(v);
  // Every value here is a string or a small integer: canonicalisation cannot fail.
  return sha256_hex(text ? *text : std::string());
}

json nullable(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

}  // namespace

std::string entry_hash(const Entry& e) {
  return canonical_sha256(json{{"body_sha256", sha256_hex(e.body)},
                               {"event", e.event},
                               {"position", e.position},
                               {"previous_record", nullable(e.previous_record)},
                               {"received_at", e.received_at},
                               {"record_digest", e.record_digest},
                               {"record_id", e.record_id},
                               {"subject", e.subject},
                               {"subject_previous", e.subject_previous}});
}

std::string commit_hash(const Commit& c, const std::vector<std::string>& entry_hashes) {
  return canonical_sha256(json{{"committed_at", c.committed_at},
                               {"entries", entry_hashes},
                               {"first", c.first},
                               {"last", c.last},
                               {"number", c.number},
                               {"previous", c.previous}});
}

std::string token_hash(std::string_view token) {
  return sha256_hex(token);
}

std::string new_access_token() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char out[sodium_base64_ENCODED_LEN(sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

bool token_matches(std::string_view token, std::string_view stored_hash) {
  const std::string h = token_hash(token);
  return h.size() == stored_hash.size() &&
         sodium_memcmp(h.data(), stored_hash.data(), h.size()) == 0;
}

Appended append_submission(Store& store, const Submission& s, Head& head,
                           const std::string& received_at, std::uint64_t commit) {
  Appended out;
  // Idempotent by record id: the same bytes again get the same row (and so the same receipt).
  if (auto existing = store.entry_by_record(s.record_id)) {
    if (existing->body == s.body) {
      out.outcome = Outcome::Replayed;
      out.entry = std::move(*existing);
    } else {
      out.outcome = Outcome::IdInUse;
      out.detail = "another record with this record_id is already in the ledger";
    }
    return out;
  }
  if (store.record_pruned(s.record_id)) {
    out.outcome = Outcome::IdInUse;
    out.detail = "a record with this record_id was in the ledger and has been pruned";
    return out;
  }
  auto latest = store.subject_latest(s.subject);
  if (latest && !s.authorized) {
    out.outcome = Outcome::Unauthorized;
    return out;
  }
  // One linear history per subject: a record follows the subject's latest, or starts it.
  const std::string expected = latest ? latest->record_id : std::string();
  if (s.previous_record != expected) {
    out.outcome = Outcome::NotLatest;
    out.detail = latest ? "previous_record must name the subject's latest record, " + expected
                        : "the subject has no record yet, so previous_record must be null";
    return out;
  }
  // A withdrawal needs no representative, so it may only take back: checked against the stored
  // record it follows (a pruned one has no body left, and nothing to take back from).
  if (s.event == "withdrawn") {
    out.errors = latest && !latest->body.empty()
                     ? doui::check_withdrawal(latest->body, s.body)
                     : std::vector<doui::Error>{
                           doui::Error{doui::Code::WithdrawalNothing, "/previous_record", "", -1}};
    if (!out.errors.empty()) {
      out.outcome = Outcome::NotTakingBack;
      out.detail = "a withdrawal only takes back what the record it follows holds";
      return out;
    }
  }
  Entry e;
  e.position = head.position + 1;
  e.record_id = s.record_id;
  e.subject = s.subject;
  e.event = s.event;
  e.previous_record = s.previous_record;
  e.record_digest = s.record_digest;
  e.received_at = received_at;
  e.body = s.body;
  e.subject_previous = latest ? latest->hash : std::string(kGenesis);
  e.hash = entry_hash(e);
  e.commit = commit;
  store.append(e);
  if (!latest) {
    out.access_token = new_access_token();
    store.add_subject(s.subject, token_hash(out.access_token), received_at);
  }
  head.position = e.position;
  out.entry = std::move(e);
  return out;
}

Instant retention_limit(Instant now) {
  Date d = tokyo_date(now);
  d.year -= kRetentionYears;
  if (!is_valid_date(d)) d.day = 28;  // 29 February in a common year: the earlier day
  // A valid Date always formats to a date tokyo_midnight takes.
  return tokyo_midnight(format_date(d)).value_or(Instant{});
}

Result<std::uint64_t> prune_ledger(Store& store, Instant cutoff, Instant now) {
  const Instant limit = retention_limit(now);
  if (cutoff > limit) {
    return Error{Code::LedgerRetention, "",
                 "the cut-off " + format_instant(cutoff) + " is later than " +
                     format_instant(limit) + ", " + std::to_string(kRetentionYears) +
                     " years before now"};
  }
  const std::string before = format_instant(cutoff);
  const std::string at = format_instant(now);
  std::uint64_t pruned = 0;
  store.begin_write();
  try {
    // Inside the write transaction: no record can arrive between choosing the rows and pruning
    // them, so a subject's latest row stays its latest.
    for (const Entry& e : store.prunable(before)) {
      store.prune(e, before, at);
      ++pruned;
    }
    store.commit();
  } catch (...) {
    store.rollback();
    throw;
  }
  return pruned;
}

std::vector<LedgerProblem> check_ledger(Store& store, const PolicyRegistry& registry, Instant now) {
  std::vector<LedgerProblem> problems;
  auto problem = [&](std::uint64_t position, std::string what) {
    problems.push_back(LedgerProblem{std::move(what), position});
  };
  std::vector<Commit> commits;
  store.each_commit([&](const Commit& c) {
    commits.push_back(c);
    return true;
  });
  // subject -> its last row's hash, and the tombstone that row is, if it is one.
  struct Last {
    std::string hash{kGenesis};
    std::optional<Entry> tombstone;
  };
  std::unordered_map<std::string, Last> subject_last;
  const std::string now_text = format_instant(now);
  std::size_t next_commit = 0;
  std::vector<std::string> commit_entries;
  std::string previous_commit{kGenesis};
  std::uint64_t expected_position = 1;
  auto close_commit = [&](const Commit& c) {
    const std::string at = "commit " + std::to_string(c.number) + ": ";
    if (c.number != next_commit + 1) problem(0, at + "out of sequence");
    if (c.previous != previous_commit) problem(0, at + "does not follow the previous commit");
    if (commit_hash(c, commit_entries) != c.hash) {
      problem(0, at + "hash does not match its rows (a row changed, removed or moved)");
    }
    previous_commit = c.hash;
    commit_entries.clear();
    ++next_commit;
  };
  store.each_entry([&](const Entry& e) {
    const std::string at = "entry " + std::to_string(e.position) + ": ";
    if (e.position != expected_position) {
      problem(e.position, at + "expected position " + std::to_string(expected_position) +
                              " (a row is missing or moved)");
    }
    expected_position = e.position + 1;
    auto& last = subject_last[e.subject];
    if (e.subject_previous != last.hash) {
      problem(e.position, at + "does not follow the subject's previous row");
    }
    // A pruned row's record was out of force before the cut-off: the subject's next row (this
    // one) came in before it too.
    if (last.tombstone && !(e.received_at < last.tombstone->pruned_before)) {
      problem(last.tombstone->position, "entry " + std::to_string(last.tombstone->position) +
                                            ": pruned while it was still in force");
    }
    last.hash = e.hash;
    last.tombstone.reset();
    auto at_instant = parse_instant(e.received_at);
    if (e.pruned()) {
      // Its fields are gone, so its hash cannot be recomputed; it still stands in its subject's
      // chain and in its commit's hash. What can be held: the cut-off it was pruned at was
      // allowed then, and it is not in the future.
      auto pruned_at = parse_instant(e.pruned_at);
      auto before = parse_instant(e.pruned_before);
      if (!pruned_at || !before || !at_instant || !(e.received_at < e.pruned_before)) {
        problem(e.position, at + "a tombstone whose times do not hold");
      } else if (*before > retention_limit(*pruned_at)) {
        problem(e.position, at + "pruned before the retention period ended");
      } else if (e.pruned_at > now_text) {
        problem(e.position, at + "pruned at a time still to come");
      }
      last.tombstone = e;
    } else if (entry_hash(e) != e.hash) {
      problem(e.position, at + "hash does not match its fields");
    }
    // The record itself, re-verified by the core at the instant the server received it.
    if (e.pruned()) {
      // nothing left to verify
    } else if (!at_instant) {
      problem(e.position, at + "received_at is not an instant");
    } else {
      Verdict v = verify_record(e.body, registry, *at_instant);
      if (!v.valid) {
        problem(e.position, at + "the stored record does not verify (" +
                                (v.errors.empty() ? std::string("?")
                                                  : std::string(to_string(v.errors[0].code))) +
                                ")");
      } else if (v.digest != e.record_digest || v.record_id != e.record_id) {
        problem(e.position, at + "the stored record is not the one the row names");
      } else {
        auto body = json::parse(e.body, nullptr, false);
        const std::string prev = body.is_object() && body["previous_record"].is_string()
                                     ? body["previous_record"].get<std::string>()
                                     : std::string();
        if (!body.is_object() || body.value("subject", "") != e.subject ||
            body.value("event", "") != e.event || prev != e.previous_record) {
          problem(e.position, at + "the row's subject, event or previous_record differ from "
                                   "its record");
        }
      }
    }
    // Rows belong to commits in order; a commit closes at its last row.
    while (next_commit < commits.size() && commits[next_commit].last < e.position) {
      close_commit(commits[next_commit]);
    }
    if (next_commit >= commits.size()) {
      problem(e.position, at + "no commit covers it");
    } else {
      const Commit& c = commits[next_commit];
      if (e.commit != c.number || e.position < c.first) {
        problem(e.position, at + "is not in the commit that covers its position");
      }
      commit_entries.push_back(e.hash);
      if (e.position == c.last) close_commit(c);
    }
    return true;
  });
  while (next_commit < commits.size()) close_commit(commits[next_commit]);
  std::vector<std::uint64_t> pruned_latest;  // in position order, not the map's
  for (const auto& [subject, last] : subject_last) {
    if (last.tombstone) pruned_latest.push_back(last.tombstone->position);
  }
  std::sort(pruned_latest.begin(), pruned_latest.end());
  for (auto position : pruned_latest) {
    problem(position,
            "entry " + std::to_string(position) + ": a subject's latest record was pruned");
  }
  return problems;
}

}  // namespace doui::server
