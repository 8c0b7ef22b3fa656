// Shared by consent.cpp (building records) and the verifier (re-deriving them): the full result
// of evaluating inputs, the record's values and bytes (record_writer.cpp, following the one
// layout in record_layout.hpp), and what the verifier caches per policy.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sodium.h>

#include "doui/consent.hpp"
#include "doui/messages.hpp"
#include "record_layout.hpp"

namespace doui::detail {

struct Evaluation {
  ConsentState state;
  std::vector<MessageArgs> problem_args;  ///< per problem: what its message was filled with
  std::optional<Date> birthdate;
  std::optional<AgeCheck> age;
  std::string guardian_name, guardian_name_kana;
  Relationship relationship = Relationship::None;
  /// The record is made by the legal representative: the person is 15 or under, and it gives or
  /// changes consent (or a representative withdraws for them).
  bool by_guardian = false;
  const std::vector<Disclosure>* disclosures = nullptr;  ///< the policy's (cached or `derived`)
  /// Owned when not supplied by the caller; on the heap so `disclosures` survives moves.
  std::shared_ptr<const std::vector<Disclosure>> derived;
};

/// `disclosures`: the policy's, if the caller has them derived already (else derived here).
/// `effective`: 00:00 Japan time of the policy's effective date, if the caller has it.
Evaluation evaluate_full(const Policy& policy, const ConsentInputs& inputs, Instant now,
                         const std::vector<Disclosure>* disclosures = nullptr,
                         std::optional<Instant> effective = std::nullopt);

/// The linkage decisions of a record: one per optional linkage of the policy, in policy order,
/// each with its recipients, purposes, data items and disclosure digest.
std::vector<ChoiceFields> choices_for(const std::vector<Disclosure>& disclosures,
                                      const std::vector<std::string>& chosen);

/// The opening bytes of every record, `{"choices":[…],`. They depend only on the policy and on
/// which linkages were chosen, and "choices" sorts first among the record's members, so these
/// bytes lead its canonical form: a verifier hashes them once per policy and choice, not once per
/// record (SHA-256 is a stream hash: its state after a prefix can be kept and continued).
std::string choices_prefix(const std::vector<ChoiceFields>& choices);

/// A prefix with libsodium's SHA-256 state after hashing it.
struct ChoicesPrefix {
  std::string bytes;
  crypto_hash_sha256_state hashed;
};
ChoicesPrefix hash_prefix(std::string bytes);

/// The record the engine writes for these inputs at `now`: every member but the digest. The
/// person's members are left empty when the evaluation has no age (the birth date is unusable).
/// `with_choices` false leaves the choices out: the fast path has their bytes from its cache, and
/// copying every disclosure's texts per record would double its cost.
RecordFields derive_record(const Policy& policy, const ConsentInputs& inputs, const Evaluation& ev,
                           Instant now, const std::string& record_id, bool with_choices = true);
/// The same into `out`, every member assigned: the fast path reuses one per thread.
void derive_record_into(RecordFields& out, const Policy& policy, const ConsentInputs& inputs,
                        const Evaluation& ev, Instant now, const std::string& record_id,
                        bool with_choices);

/// The record's canonical bytes (RFC 8785), with its digest.
std::string record_text(const RecordFields& record);

/// The same record's bytes after its choices prefix; `after_prefix`: the SHA-256 state after
/// hashing that prefix (ChoicesPrefix::hashed). record_text is the prefix and this.
std::string record_after_choices(const RecordFields& record, crypto_hash_sha256_state after_prefix);

/// Whether `tail` (a record's bytes after its choices prefix) is exactly what record_after_choices
/// would write for `expected`, checked in place without writing it; then the digest (lowercase
/// hex).
std::optional<std::string> match_after_choices(std::string_view tail, const RecordFields& expected,
                                               const crypto_hash_sha256_state& after_prefix);

/// What a verifier keeps per policy, derived once when the policy is added.
struct PolicyCache {
  std::vector<Disclosure> disclosures;
  std::optional<Instant> effective;      ///< 00:00 Asia/Tokyo of the effective date
  std::vector<std::string> linkage_ids;  ///< the optional linkages, in policy order
  /// By chosen set (bit i: linkage_ids[i] chosen); empty when the policy has more than
  /// kMaxCachedLinkages optional linkages (2^n prefixes would be too many to keep).
  std::vector<ChoicesPrefix> prefixes;
  /// Where linkage_ids[i]'s "chosen" value starts in prefixes[0] (every value "false"). With
  /// the k earlier linkages chosen it starts k bytes sooner ("true" is one byte shorter).
  std::vector<std::size_t> chosen_at;
};
constexpr std::size_t kMaxCachedLinkages = 6;
PolicyCache make_policy_cache(const Policy& policy);

}  // namespace doui::detail
