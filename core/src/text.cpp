#include "doui/text.hpp"

#include <memory>

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

namespace doui {

int display_width(std::string_view s) {
  int w = 0;
  // ASCII and the common CJK blocks are settled without a property lookup: they are most of
  // the text, and the lookup is the costly part (more so in wasm).
  int32_t i = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  auto n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) {
      w += 1;  // an ill-formed byte shows as one replacement character
      continue;
    }
    if (c >= 0x20 && c < 0x7F) {
      w += 1;
      continue;
    }
    if ((c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA) ||
        (c >= 0x4E00 && c <= 0x9FFF)) {
      w += 2;  // hiragana, katakana, CJK unified ideographs: East Asian Wide
      continue;
    }
    auto gc = u_charType(c);
    if (gc == U_NON_SPACING_MARK || gc == U_ENCLOSING_MARK || gc == U_FORMAT_CHAR) continue;
    auto ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    w += (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH) ? 2 : 1;
  }
  return w;
}

namespace {

// Strict kinsoku (JIS X 4051): also keeps small kana and ー off a line start.
// Creating a line BreakIterator loads and parses rules (tens of µs); clone a cached prototype.
std::unique_ptr<icu::BreakIterator> line_iterator() {
  static const icu::BreakIterator* proto = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::BreakIterator* bi =
        icu::BreakIterator::createLineInstance(icu::Locale("ja@lb=strict"), status);
    if (U_FAILURE(status)) {
      delete bi;
      return static_cast<icu::BreakIterator*>(nullptr);
    }
    return bi;
  }();
  if (!proto) return nullptr;
  return std::unique_ptr<icu::BreakIterator>(proto->clone());
}

std::string rtrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

std::vector<std::string> wrap(std::string_view text, int width, std::string_view first_prefix,
                              std::string_view rest_prefix) {
  std::vector<std::string> lines;
  std::string line(first_prefix);
  int line_w = display_width(first_prefix);
  bool at_start = true;
  auto push = [&](std::string_view seg, int seg_w, bool hard) {
    // Trailing spaces (1 column each) and newlines (0) do not count at a line end.
    std::string_view trimmed = seg;
    int trimmed_w = seg_w;
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\n')) {
      if (trimmed.back() == ' ') --trimmed_w;
      trimmed.remove_suffix(1);
    }
    if (!at_start && line_w + trimmed_w > width) {
      lines.push_back(rtrim(std::move(line)));
      line.assign(rest_prefix);
      line_w = display_width(rest_prefix);
    }
    line.append(hard ? trimmed : seg);
    line_w += hard ? trimmed_w : seg_w;
    at_start = false;
    if (hard) {
      lines.push_back(rtrim(std::move(line)));
      line.assign(rest_prefix);
      line_w = display_width(rest_prefix);
      at_start = true;
    }
  };

  auto bi = line_iterator();
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (!bi || U_FAILURE(status)) {
    // Without ICU data there are no break opportunities: one unbreakable run.
    push(text, display_width(text), false);
  } else {
    bi->setText(ut, status);
    int32_t prev = bi->first();
    for (int32_t b = bi->next(); b != icu::BreakIterator::DONE; b = bi->next()) {
      std::string_view seg =
          text.substr(static_cast<std::size_t>(prev), static_cast<std::size_t>(b - prev));
      bool hard = bi->getRuleStatus() >= UBRK_LINE_HARD && b < static_cast<int32_t>(text.size());
      push(seg, display_width(seg), hard);
      prev = b;
    }
  }
  utext_close(ut);
  if (!at_start || lines.empty()) lines.push_back(rtrim(std::move(line)));
  return lines;
}

namespace {

class TextWriter {
 public:
  TextWriter(const Links& links, int width) : links_(links), width_(width) {}
  std::string out;

  std::string flat(const Inlines& in) const {
    std::string s;
    for (const auto& i : in) {
      s += i.text;
      if (i.kind == Inline::Kind::Link) {
        auto it = links_.find(i.target);
        if (it != links_.end()) s += " <" + it->second + ">";
      }
    }
    return s;
  }

  void para(std::string_view text, std::string_view first = {}, std::string_view rest = {}) {
    for (const auto& l : wrap(text, width_, first, rest)) {
      out += l;
      out += '\n';
    }
  }

  void blank() { out += '\n'; }

  void blocks(const std::vector<Block>& bs) {
    for (const auto& b : bs) block(b);
  }

  void block(const Block& b) {
    switch (b.type) {
      case Block::Type::P:
      case Block::Type::Note:
        para(flat(b.content));
        blank();
        break;
      case Block::Type::Ul:
        for (const auto& item : b.items) para(flat(item), "- ", "  ");
        blank();
        break;
      case Block::Type::Item: {
        std::string title = flat(b.title);
        if (b.number.empty()) {
          para(title);
        } else {
          std::string first = b.number + " ";
          para(title, first, std::string(static_cast<std::size_t>(display_width(first)), ' '));
        }
        blank();
        blocks(b.blocks);
        break;
      }
      case Block::Type::Group:
        para(b.heading);
        blank();
        blocks(b.blocks);
        break;
      case Block::Type::Ol:
        for (const auto& e : b.ol) {
          para(e.marker + flat(e.content));
          blank();
          blocks(e.blocks);
        }
        break;
      case Block::Type::Dl:
        for (const auto& e : b.dl) para(e.term + " " + e.description);
        blank();
        break;
    }
  }

 private:
  const Links& links_;
  int width_;
};

}  // namespace

Result<std::string> render_text(const Policy& p, const Links& links, int width) {
  if (width < kMinTextWidth || width > kMaxTextWidth) {
    return Error{Code::RenderBadOption, "",
                 "width " + std::to_string(width) + " is outside " + std::to_string(kMinTextWidth) +
                     ".." + std::to_string(kMaxTextWidth),
                 -1};
  }
  TextWriter w(links, width);
  w.para(p.title);
  w.blank();
  w.para(p.effective_text);
  w.blank();
  w.para(w.flat(p.revision_summary));
  w.blank();
  w.blocks(p.preamble);
  w.para(p.toc_title);
  w.blank();
  for (const auto& s : p.sections) {
    std::string first = s.number + " ";
    w.para(s.title, first, std::string(static_cast<std::size_t>(display_width(first)), ' '));
  }
  w.blank();
  for (const auto& s : p.sections) {
    std::string first = s.number + " ";
    w.para(s.title, first, std::string(static_cast<std::size_t>(display_width(first)), ' '));
    w.blank();
    w.blocks(s.blocks);
  }
  w.para(w.flat(p.back_to_top));
  return std::move(w.out);
}

}  // namespace doui
