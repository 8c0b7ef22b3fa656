#include "doui/revision.hpp"

#include <algorithm>
#include <string_view>

namespace doui {

const Policy* policy_in_effect(const std::vector<const Policy*>& versions, Instant now) {
  const Policy* best = nullptr;
  const Policy* oldest = nullptr;
  for (const Policy* p : versions) {
    if (p == nullptr) continue;
    if (oldest == nullptr || p->effective_date < oldest->effective_date) oldest = p;
    const auto from = tokyo_midnight(p->effective_date);
    if (!from || *from > now) continue;
    if (best == nullptr || p->effective_date > best->effective_date) best = p;
  }
  return best != nullptr ? best : oldest;
}

namespace {

void cut(std::string_view text, std::string_view lang, std::vector<std::string>& out) {
  // Sentences end after "。" (and, outside Japanese, after a full stop and a space); the break
  // keeps the stop with its sentence, and spaces at the edges are dropped.
  auto push = [&out](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (!s.empty()) out.emplace_back(s);
  };
  const bool japanese = lang == "ja";
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::size_t end = 0;
    if (text.compare(i, 3, "。") == 0) {
      end = i + 3;
    } else if (!japanese && text[i] == '.' && i + 1 < text.size() && text[i + 1] == ' ') {
      end = i + 1;
    }
    if (end != 0) {
      push(text.substr(start, end - start));
      start = end;
      i = end - 1;
    }
  }
  push(text.substr(start));
}

void walk(const std::vector<Block>& blocks, std::string_view lang, std::vector<std::string>& out) {
  for (const Block& b : blocks) {
    switch (b.type) {
      case Block::Type::P:
      case Block::Type::Note:
        cut(plain_text(b.content), lang, out);
        break;
      case Block::Type::Ul:
        for (const auto& item : b.items) cut(plain_text(item), lang, out);
        break;
      case Block::Type::Item: {
        std::string heading = b.number;
        const std::string title = plain_text(b.title);
        if (!heading.empty() && !title.empty()) heading += ' ';
        heading += title;
        if (!heading.empty()) out.push_back(std::move(heading));
        walk(b.blocks, lang, out);
        break;
      }
      case Block::Type::Group:
        if (!b.heading.empty()) out.push_back(b.heading);
        walk(b.blocks, lang, out);
        break;
      case Block::Type::Ol:
        for (const auto& e : b.ol) {
          cut(e.marker + plain_text(e.content), lang, out);
          walk(e.blocks, lang, out);
        }
        break;
      case Block::Type::Dl:
        for (const auto& e : b.dl) cut(e.term + " " + e.description, lang, out);
        break;
    }
  }
}

// The longest common subsequence of `a` and `b`, as the edit that turns `a` into `b`: removals
// before additions where both happen at one place, so a replaced sentence reads old, then new.
template <class T, class Emit>
void lcs_edit(const std::vector<T>& a, const std::vector<T>& b, Emit&& emit) {
  const std::size_t n = a.size(), m = b.size();
  // len[i][j]: the LCS length of a[i..] and b[j..].
  std::vector<std::vector<int>> len(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      len[i][j] = a[i] == b[j] ? len[i + 1][j + 1] + 1 : std::max(len[i + 1][j], len[i][j + 1]);
    }
  }
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      emit(DiffLine::Op::Same, i++, j++);
    } else if (i < n && (j == m || len[i + 1][j] >= len[i][j + 1])) {
      emit(DiffLine::Op::Removed, i++, j);
    } else {
      emit(DiffLine::Op::Added, i, j++);
    }
  }
}

SectionDiff diff_sentences(const std::vector<std::string>& a, const std::vector<std::string>& b,
                           PolicyDiff& totals) {
  SectionDiff d;
  lcs_edit(a, b, [&](DiffLine::Op op, std::size_t i, std::size_t j) {
    d.lines.push_back({op, op == DiffLine::Op::Added ? b[j] : a[i]});
    if (op == DiffLine::Op::Added) ++totals.added;
    if (op == DiffLine::Op::Removed) ++totals.removed;
    if (op != DiffLine::Op::Same) d.change = SectionDiff::Change::Changed;
  });
  return d;
}

}  // namespace

std::vector<std::string> section_sentences(const Section& section, std::string_view lang) {
  std::vector<std::string> out;
  std::string heading = section.number;
  if (!heading.empty() && !section.title.empty()) heading += ' ';
  heading += section.title;
  if (!heading.empty()) out.push_back(std::move(heading));
  walk(section.blocks, lang, out);
  return out;
}

std::vector<std::string> preamble_sentences(const Policy& policy) {
  std::vector<std::string> out;
  walk(policy.preamble, policy.lang, out);
  return out;
}

PolicyDiff diff_policies(const Policy& from, const Policy& to) {
  PolicyDiff diff;
  diff.sections.push_back(diff_sentences(preamble_sentences(from), preamble_sentences(to), diff));

  std::vector<std::string> from_ids, to_ids;
  for (const auto& s : from.sections) from_ids.push_back(s.id);
  for (const auto& s : to.sections) to_ids.push_back(s.id);
  lcs_edit(from_ids, to_ids, [&](DiffLine::Op op, std::size_t i, std::size_t j) {
    const std::vector<std::string> none;
    const Section& named = op == DiffLine::Op::Removed ? from.sections[i] : to.sections[j];
    const auto before =
        op == DiffLine::Op::Added ? none : section_sentences(from.sections[i], from.lang);
    const auto after =
        op == DiffLine::Op::Removed ? none : section_sentences(to.sections[j], to.lang);
    SectionDiff d = diff_sentences(before, after, diff);
    if (op == DiffLine::Op::Added) d.change = SectionDiff::Change::Added;
    if (op == DiffLine::Op::Removed) d.change = SectionDiff::Change::Removed;
    d.id = named.id;
    d.number = named.number;
    d.title = named.title;
    diff.sections.push_back(std::move(d));
  });
  return diff;
}

}  // namespace doui
