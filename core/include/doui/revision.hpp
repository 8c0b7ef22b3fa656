// Versions of a policy and what changed between two of them: which version is in effect when,
// and a diff by section, sentence by sentence, for the privacy center's revisions pages.
#pragma once

#include <string>
#include <vector>

#include "doui/age.hpp"
#include "doui/policy.hpp"

namespace doui {

/// The version of the policy in effect at `now` among `versions` (one policy id): the newest
/// whose effective date (00:00 in Japan) has come; when none has, the oldest. Null when empty.
const Policy* policy_in_effect(const std::vector<const Policy*>& versions, Instant now);

/// The sentences of a section as a reader meets them: its heading, then every paragraph, list
/// entry, item heading and group heading in order, each cut after "。" (and after ". " outside
/// Japanese). Link and reference labels are kept as text.
std::vector<std::string> section_sentences(const Section& section, std::string_view lang);
/// The same for the preamble (the text before the first section).
std::vector<std::string> preamble_sentences(const Policy& policy);

struct DiffLine {
  enum class Op { Same, Added, Removed };
  Op op = Op::Same;
  std::string text;
};

struct SectionDiff {
  enum class Change { Same, Changed, Added, Removed };
  Change change = Change::Same;
  std::string id;      ///< the section's id; "" for the preamble
  std::string number;  ///< "3." (of the newer version, or of the older one when removed)
  std::string title;
  std::vector<DiffLine> lines;  ///< every sentence of both versions, in reading order
};

struct PolicyDiff {
  std::vector<SectionDiff> sections;  ///< the preamble, then the sections, in reading order
  int added = 0;                      ///< sentences added, over all sections
  int removed = 0;                    ///< sentences removed
};

/// What changed from `from` to `to`: sections matched by id (a section whose id is only in one
/// version is added or removed whole), sentences by a longest common subsequence, so that a
/// sentence moved within a section shows as removed at one place and added at another.
PolicyDiff diff_policies(const Policy& from, const Policy& to);

}  // namespace doui
