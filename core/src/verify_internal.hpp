// The verifier's parts, by job: the policy registry and its per-policy cache
// (policy_registry.cpp), the fast path for records in the writer's exact form
// (record_exact.cpp), the schema walk and the field comparison (record_schema.cpp), and
// verify_record, which puts them together (verify.cpp).
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "doui/verify.hpp"
#include "record_internal.hpp"

namespace doui::detail {

struct RegistryAccess {
  static const std::deque<PolicyRegistry::Entry>& entries(const PolicyRegistry& r) {
    return r.entries_;
  }
  static const PolicyCache& cache(const PolicyRegistry& r, const Policy* policy);
};

/// A newer version of the policy is in effect at `now` (by effective date).
bool reconsent_required(const PolicyRegistry& registry, const Policy& policy, Instant now);

/// The verdict for `text` if it is, byte for byte, the valid record the engine re-derives from
/// the inputs it states; nullopt otherwise (verify_record then takes the full walk).
std::optional<Verdict> accept_canonical_record(std::string_view text,
                                               const PolicyRegistry& registry, Instant now,
                                               const VerifyOptions& options);

/// The engine inputs a record states (its linkages: the choices it marks chosen).
ConsentInputs stated_inputs(const RecordFields& record);
/// The same into `in`, every member assigned (for scratch reused between records).
void stated_inputs_into(const RecordFields& record, ConsentInputs& in);

/// The schema walk: reads `record` (a parsed JSON value) into `out`, appending an error for each
/// member that is missing, unknown, of the wrong type or over a limit. False when there was any.
bool read_record(const nlohmann::json& record, RecordFields& out, std::vector<Error>& errors);

/// An error for each member of `stated` that differs from `expected`, at its JSON pointer, with
/// the member's mismatch code. Members whose input already has a problem in `problems` (it is
/// reported there) and the digest (checked against the record's own bytes) are skipped.
void compare_fields(const RecordFields& expected, const RecordFields& stated,
                    const std::vector<FieldProblem>& problems, std::vector<Error>& errors);

/// Where the input a problem is about (FieldProblem::field) stands in the record.
std::string record_pointer(const std::string& field, const RecordFields& record);

}  // namespace doui::detail
