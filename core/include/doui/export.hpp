// Consent records in other vocabularies, so that they travel: W3C DPV as JSON-LD.
#pragma once

#include <string>
#include <string_view>

#include "doui/result.hpp"
#include "doui/verify.hpp"

namespace doui {

/// A doui.consent/1 record as a DPV (https://w3id.org/dpv) JSON-LD document: a
/// dpv:ConsentRecord for the policy and one per optional linkage (ConsentGiven, ConsentRefused
/// or ConsentWithdrawn), with a guardian's consent as isIndicatedBy ParentOfDataSubject or
/// GuardianOfDataSubject; purposes, data items and recipients as nodes of their DPV classes
/// labelled in the policy's language; the controller as the policy names it. The record is not
/// verified here (use verify_record), but the policy it names must be known, by id, version and
/// digest: record.unknown_policy or record.policy_digest_mismatch otherwise.
/// This form knows the bundled policy.
Result<std::string> export_dpv(std::string_view record_json);

/// The same, with the policies in `policies` (for records of policies given with --policy).
Result<std::string> export_dpv(std::string_view record_json, const PolicyRegistry& policies);

}  // namespace doui
