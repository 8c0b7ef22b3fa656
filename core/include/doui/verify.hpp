// Server-side verification of consent records: nothing in a record is trusted. The record is
// checked against its schema, then every rule is re-derived with the same engine that built it
// (consent.hpp) and the result compared with what the record says.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "doui/age.hpp"
#include "doui/consent.hpp"
#include "doui/disclosure.hpp"
#include "doui/policy.hpp"
#include "doui/result.hpp"

namespace doui {

namespace detail {
struct PolicyCache;
struct RegistryAccess;
}  // namespace detail

/// The policies a verifier knows, by id and version.
/// Each policy's disclosures (and the opening bytes of its records, with their hash state) are
/// derived once, when it is added, not per record. Add every policy before verifying; a
/// registry that is no longer changed may be shared by threads.
class PolicyRegistry {
 public:
  void add(Policy policy);
  const Policy* find(std::string_view id, std::string_view version) const;
  /// The newest version of `id` in effect at `now` (by effective date), or nullptr.
  const Policy* current(std::string_view id, Instant now) const;
  /// The disclosures of a policy returned by find() or current().
  const std::vector<Disclosure>& disclosures(const Policy* policy) const;

 private:
  friend struct detail::RegistryAccess;
  struct Entry {
    Policy policy;
    std::shared_ptr<const detail::PolicyCache> cache;
  };
  std::deque<Entry> entries_;  // a deque: pointers to entries stay valid as policies are added
};

struct VerifyOptions {
  /// How far in the future a consent instant may lie (clocks differ): 5 minutes.
  std::int64_t clock_skew_ms = 5 * 60 * 1000;
  /// Largest record accepted, in bytes (build_record writes none larger).
  std::size_t max_record_bytes = kMaxRecordBytes;
  /// Accept a record that is byte for byte the one the engine re-derives without the full schema
  /// walk (a valid record is exactly that); anything else takes the full walk, which names every
  /// problem. Off: every record takes the full walk. The verdicts are the same either way
  /// (tests/unit/fast_path_test.cpp and the fuzz target hold them to it).
  bool fast_path = true;
};

struct Verdict {
  std::string record_id;  ///< as stated, if readable
  bool valid = false;
  /// Valid, but made against a policy version that a newer one in effect has superseded.
  bool reconsent_required = false;
  std::vector<Error> errors;  ///< every problem found, each with a code and a JSON pointer
  std::string digest;         ///< the record's digest as recomputed (empty if unreadable)
};

Verdict verify_record(std::string_view record_json, const PolicyRegistry& registry, Instant now,
                      const VerifyOptions& options = {});

/// One NDJSON line: {"digest","errors":[{"code","path"}],"id","reconsent_required","valid"}.
std::string verdict_json(const Verdict& v);

}  // namespace doui
