// The policies a verifier knows, each with what is derived from it once (record_internal.hpp
// PolicyCache), and which version is in effect when.
#include "doui/verify.hpp"
#include "verify_internal.hpp"

namespace doui {

void PolicyRegistry::add(Policy policy) {
  auto cache = std::make_shared<const detail::PolicyCache>(detail::make_policy_cache(policy));
  entries_.push_back(Entry{std::move(policy), std::move(cache)});
}

const Policy* PolicyRegistry::find(std::string_view id, std::string_view version) const {
  for (const auto& e : entries_) {
    if (e.policy.id == id && e.policy.version == version) return &e.policy;
  }
  return nullptr;
}

const std::vector<Disclosure>& PolicyRegistry::disclosures(const Policy* policy) const {
  return detail::RegistryAccess::cache(*this, policy).disclosures;
}

const Policy* PolicyRegistry::current(std::string_view id, Instant now) const {
  const Policy* best = nullptr;
  for (const auto& e : entries_) {
    const Policy& p = e.policy;
    if (p.id != id) continue;
    const auto& from = e.cache->effective;
    if (!from || *from > now) continue;
    if (best == nullptr || p.effective_date > best->effective_date) best = &p;
  }
  return best;
}

namespace detail {

const PolicyCache& RegistryAccess::cache(const PolicyRegistry& r, const Policy* policy) {
  for (const auto& e : r.entries_) {
    if (&e.policy == policy) return *e.cache;
  }
  static const PolicyCache none;
  return none;
}

// By effective date, not by "is another version": a record made on the newest version inside
// the clock-skew allowance before it takes effect is not superseded by the version it replaces.
bool reconsent_required(const PolicyRegistry& registry, const Policy& policy, Instant now) {
  const Policy* current = registry.current(policy.id, now);
  return current != nullptr && current->effective_date > policy.effective_date;
}

}  // namespace detail

}  // namespace doui
