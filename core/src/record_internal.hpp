// Shared by consent.cpp (building records) and verify.cpp (re-deriving them): the full result
// of evaluating inputs, and the one function that lays out a record.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "doui/consent.hpp"
#include "doui/messages.hpp"

namespace doui::detail {

struct Evaluation {
  ConsentState state;
  std::vector<MessageArgs> problem_args;  ///< per problem: what its message was filled with
  std::optional<Date> birthdate;
  std::optional<AgeCheck> age;
  std::string guardian_name, guardian_name_kana;
  Relationship relationship = Relationship::None;
  const std::vector<Disclosure>* disclosures = nullptr;  ///< the policy's (cached or `derived`)
  /// Owned when not supplied by the caller; on the heap so `disclosures` survives moves.
  std::shared_ptr<const std::vector<Disclosure>> derived;
};

/// `disclosures`: the policy's, if the caller has them derived already (else derived here).
Evaluation evaluate_full(const Policy& policy, const ConsentInputs& inputs, Instant now,
                         const std::vector<Disclosure>* disclosures = nullptr);

/// The record for complete inputs (ev.state.complete), with its digest.
nlohmann::json record_json(const Policy& policy, const ConsentInputs& inputs, const Evaluation& ev,
                           Instant now, const std::string& record_id);

}  // namespace doui::detail
