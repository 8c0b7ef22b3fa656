// Disclosures: who receives which data, for what, and when — derived from the policy's text.
#pragma once

#include <string>
#include <vector>

#include "doui/policy.hpp"

namespace doui {

struct Purpose {
  std::string text;
  std::vector<std::string> examples;  ///< the 「例として…」 list under a ①–④ purpose
  bool deidentified = false;          ///< provided only after de-identification
};

/// One third-party provision (or receipt) of the policy, as its text states it.
struct Disclosure {
  std::string id;  ///< stable id; the optional linkages are "ponta", "d-account", "amazon"
  std::string
      kind;  ///< provision | foreign-provision | foreign-outsourcing | foreign-succession | receipt
  std::string source;  ///< id of the item (or of its section, for a group) it is stated in
  std::string title;   ///< the item title, or the group heading
  std::vector<Recipient> recipients;
  bool optional_linkage = false;
  std::vector<std::string> when;  ///< [提供する場合]
  std::vector<Purpose> purposes;  ///< [当社の提供目的] / [当社の受領目的]
  std::vector<std::string> data_items;  ///< [提供する個人情報の項目] / [受領する個人情報の項目]
  std::vector<std::string> statements;  ///< list items outside those groups (section 6)
  std::vector<std::string> notes;       ///< the ※ notes: exclusions and conditions
  std::string deidentified;             ///< "none", "partial" or "all"
  std::string digest;  ///< SHA-256 of the canonical JSON of this record without `digest`
};

/// Every disclosure of the policy, in document order.
std::vector<Disclosure> derive_disclosures(const Policy& policy);

/// The operator that publishes the policy (its data controller), as the policy's own text names
/// it: the first text that defines 「当社」 — "X（以下「当社」といいます）", or in an English
/// translation 'X (hereinafter "the Company")' — from the start of its sentence. Empty if none.
std::string controller_name(const Policy& policy);

/// The canonical (RFC 8785) JSON array of `disclosures`, each with its digest.
std::string disclosures_json(const std::vector<Disclosure>& disclosures);

}  // namespace doui
