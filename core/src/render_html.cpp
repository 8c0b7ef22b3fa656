#include "doui/render.hpp"

#include <algorithm>
#include <array>

namespace doui {

namespace {

// Which bytes need an entity; a table keeps the scan loop tight on both targets.
constexpr std::array<bool, 256> kSpecial = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : {'&', '<', '>', '"', '\''}) t[c] = true;
  return t;
}();

// Appends `text` escaped; copies runs between special characters in one go (the common case is
// long runs of Japanese text with nothing to escape).
void escape_into(std::string& out, std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t run = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!kSpecial[p[i]]) continue;
    out.append(text.data() + run, i - run);
    switch (p[i]) {
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '"':
        out.append("&quot;");
        break;
      default:
        out.append("&#39;");
        break;
    }
    run = i + 1;
  }
  out.append(text.data() + run, n - run);
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  escape_into(out, text);
  return out;
}

namespace {

// Minimal presentation that keeps the text's own numbering visible and lists unnumbered.
constexpr std::string_view kStyle =
    ".doui-policy{line-height:1.8;max-width:48em}"
    ".doui-policy ol.doui-toc,.doui-policy ol.doui-circled{list-style:none;padding-left:0}"
    ".doui-policy .doui-note{margin-left:1em;text-indent:-1em}"
    ".doui-policy dl.doui-dl div{display:flex;gap:.5em;flex-wrap:wrap}"
    ".doui-policy dl.doui-dl dd{margin:0}";

/// Text to be escaped on output (everything else given to HtmlWriter::emit is markup).
struct Esc {
  std::string_view text;
};

/// An id attribute value: the prefix, the id and an optional suffix, escaped.
struct Anchor {
  std::string_view prefix, id, suffix;
};

// Writes straight into one string: no temporaries per element, escaping in place.
class HtmlWriter {
 public:
  HtmlWriter(const Links& links, const HtmlOptions& options) : links_(links), opt_(options) {}

  std::string out;

  template <class... Parts>
  void emit(const Parts&... parts) {
    (put(parts), ...);
  }

  Anchor anchor(std::string_view id, std::string_view suffix = {}) const {
    return Anchor{opt_.id_prefix, id, suffix};
  }

  void inlines(const Inlines& in) {
    for (const auto& i : in) {
      switch (i.kind) {
        case Inline::Kind::Text:
          emit(Esc{i.text});
          break;
        case Inline::Kind::Ref:
          emit("<a href=\"#", anchor(i.target), "\">", Esc{i.text}, "</a>");
          break;
        case Inline::Kind::Link: {
          auto it = links_.find(i.target);
          if (it == links_.end()) {
            // No URL configured: the label stays, as text, never as a dead href="#".
            emit(Esc{i.text});
          } else {
            emit("<a href=\"", Esc{it->second}, "\">", Esc{i.text}, "</a>");
          }
          break;
        }
      }
    }
  }

  // "#" linking to the element with `id`, named after its heading (HtmlOptions::self_link_label).
  void self_link(std::string_view id, std::string_view title) {
    std::string label = opt_.self_link_label;
    const auto at = label.find("{title}");
    if (at != std::string::npos) label.replace(at, 7, title);
    emit(" <a class=\"doui-self\" href=\"#", anchor(id), "\" aria-label=\"", Esc{label},
         "\">#</a>");
  }

  void blocks(const std::vector<Block>& bs, int level) {
    for (const auto& b : bs) block(b, level);
  }

  void block(const Block& b, int level) {
    switch (b.type) {
      case Block::Type::P:
        emit("<p>");
        inlines(b.content);
        emit("</p>\n");
        break;
      case Block::Type::Note:
        emit("<p class=\"doui-note\">");
        inlines(b.content);
        emit("</p>\n");
        break;
      case Block::Type::Ul:
        emit("<ul>\n");
        for (const auto& item : b.items) {
          emit("<li>");
          inlines(item);
          emit("</li>\n");
        }
        emit("</ul>\n");
        break;
      case Block::Type::Item: {
        std::string_view h = heading_tag(level);
        emit("<section class=\"doui-item\" id=\"", anchor(b.id), "\">\n<", h, ">");
        if (!b.number.empty()) emit(Esc{b.number}, " ");
        inlines(b.title);
        if (!opt_.self_link_label.empty()) {
          std::string title = b.number.empty() ? "" : b.number + " ";
          for (const auto& i : b.title) title += i.text;
          self_link(b.id, title);
        }
        emit("</", h, ">\n");
        blocks(b.blocks, level + 1);
        emit("</section>\n");
        break;
      }
      case Block::Type::Group: {
        std::string_view h = heading_tag(level);
        emit("<section class=\"doui-group\">\n<", h, ">", Esc{b.heading}, "</", h, ">\n");
        blocks(b.blocks, level + 1);
        emit("</section>\n");
        break;
      }
      case Block::Type::Ol:
        emit("<ol class=\"doui-circled\">\n");
        for (const auto& e : b.ol) {
          emit("<li><p>", Esc{e.marker});
          inlines(e.content);
          emit("</p>\n");
          blocks(e.blocks, level);
          emit("</li>\n");
        }
        emit("</ol>\n");
        break;
      case Block::Type::Dl:
        emit("<dl class=\"doui-dl\">\n");
        for (const auto& e : b.dl) {
          emit("<div><dt>", Esc{e.term}, "</dt><dd>", Esc{e.description}, "</dd></div>\n");
        }
        emit("</dl>\n");
        break;
    }
  }

 private:
  void put(std::string_view raw) { out.append(raw); }
  void put(const char* raw) { out.append(raw); }
  void put(const Esc& e) { escape_into(out, e.text); }
  void put(const Anchor& a) {
    escape_into(out, a.prefix);
    escape_into(out, a.id);
    escape_into(out, a.suffix);
  }

  // h2 is a section; items and groups nest below it, never deeper than h6.
  static std::string_view heading_tag(int level) {
    static constexpr std::string_view tags[] = {"h1", "h2", "h3", "h4", "h5", "h6"};
    return tags[std::clamp(level, 1, 6) - 1];
  }

  const Links& links_;
  const HtmlOptions& opt_;
};

}  // namespace

std::string render_html(const Policy& p, const Links& links, const HtmlOptions& options) {
  HtmlWriter w(links, options);
  w.out.reserve(p.canonical_json.size() + p.canonical_json.size() / 2);
  if (!options.fragment) {
    w.emit("<!DOCTYPE html>\n<html lang=\"", Esc{p.lang}, "\">\n<head>\n<meta charset=\"utf-8\">\n",
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", "<title>",
           Esc{p.title}, "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n");
  }
  w.emit("<article class=\"doui-policy\" lang=\"", Esc{p.lang}, "\" id=\"", w.anchor("top"),
         "\" data-policy-id=\"", Esc{p.id}, "\" data-policy-version=\"", Esc{p.version}, "\">\n");
  w.emit("<h1>", Esc{p.title}, "</h1>\n");
  w.emit("<p class=\"doui-effective\"><time datetime=\"", Esc{p.effective_date}, "\">",
         Esc{p.effective_text}, "</time></p>\n");
  w.emit("<p class=\"doui-revision\">");
  w.inlines(p.revision_summary);
  w.emit("</p>\n");
  if (!options.meta.empty()) {
    w.emit("<dl class=\"doui-meta\">\n");
    for (const auto& [term, value] : options.meta) {
      w.emit("<div><dt>", Esc{term}, "</dt><dd>", Esc{value}, "</dd></div>\n");
    }
    w.emit("</dl>\n");
  }
  w.blocks(p.preamble, 2);
  w.emit("<nav class=\"doui-toc\" aria-labelledby=\"", w.anchor("toc"), "\">\n");
  w.emit("<p id=\"", w.anchor("toc"), "\" class=\"doui-toc-title\">", Esc{p.toc_title}, "</p>\n");
  w.emit("<ol class=\"doui-toc\">\n");
  for (const auto& s : p.sections) {
    w.emit("<li><a href=\"#", w.anchor(s.id), "\">", Esc{s.number}, " ", Esc{s.title},
           "</a></li>\n");
  }
  w.emit("</ol>\n</nav>\n");
  for (const auto& s : p.sections) {
    w.emit("<section id=\"", w.anchor(s.id), "\" aria-labelledby=\"", w.anchor(s.id, "-h"),
           "\">\n");
    w.emit("<h2 id=\"", w.anchor(s.id, "-h"), "\">", Esc{s.number}, " ", Esc{s.title});
    if (!options.self_link_label.empty()) w.self_link(s.id, s.number + " " + s.title);
    w.emit("</h2>\n");
    w.blocks(s.blocks, 3);
    w.emit("</section>\n");
  }
  w.emit("<p class=\"doui-back\">");
  w.inlines(p.back_to_top);
  w.emit("</p>\n</article>\n");
  if (!options.fragment) w.emit("</body>\n</html>\n");
  return std::move(w.out);
}

}  // namespace doui
