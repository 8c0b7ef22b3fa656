// Consent records in other vocabularies, so that they travel: W3C DPV as JSON-LD.
#pragma once

#include <string>
#include <string_view>

#include "doui/result.hpp"

namespace doui {

/// A doui.consent/1 record as a DPV (https://w3id.org/dpv) JSON-LD document: a
/// dpv:ConsentRecord for the policy and one per optional linkage (ConsentGiven, ConsentRefused
/// or ConsentWithdrawn), with a guardian's consent as isIndicatedBy ParentOfDataSubject or
/// GuardianOfDataSubject. The record is not verified here (use verify_record).
Result<std::string> export_dpv(std::string_view record_json);

}  // namespace doui
