#include "doui/flow.hpp"

#include <algorithm>

#include "doui/messages.hpp"
#include "doui/render.hpp"
#include "doui/text.hpp"

namespace doui {

bool is_inbound(const Disclosure& d) {
  return d.kind == "receipt";
}
bool is_abroad(const Disclosure& d) {
  return d.kind.rfind("foreign-", 0) == 0;
}

namespace {

// ---- the diagram -------------------------------------------------------------------------------
//
// Three columns: sources (left), the operator (middle, as tall as every row), recipients (right).
// One row per disclosure; a row's arrow runs straight across at its top and its label (the data
// items, wrapped) stands under the arrow. Text is wrapped by display columns (doui/text.hpp): at
// 13 px a wide (CJK) character is ~13 px and takes 2 columns, so 7 px per column never overflows.

constexpr int kWidth = 1200;
constexpr int kColPx = 7;
constexpr int kLine = 18;  // line height
constexpr int kPad = 8;
constexpr int kGap = 16;  // between rows

struct Column {
  int x, w;
  int cols() const { return (w - 2 * kPad) / kColPx; }
};
constexpr Column kLeftBox{8, 184};
constexpr Column kLeftLabel{200, 280};
constexpr Column kCompany{488, 184};
constexpr Column kRightLabel{680, 328};
constexpr Column kRightBox{1016, 176};

struct Row {
  const Disclosure* d;
  std::vector<std::string> box;    // party names, wrapped (and "abroad")
  std::vector<std::string> label;  // data items, wrapped
  int top = 0, height = 0;
};

std::vector<std::string> wrapped(const std::vector<std::string>& texts, int cols,
                                 std::string_view bullet) {
  std::vector<std::string> out;
  const std::string indent(static_cast<std::size_t>(display_width(bullet)), ' ');
  for (const auto& t : texts) {
    for (auto& l : wrap(t, cols, bullet, bullet.empty() ? "" : indent)) out.push_back(std::move(l));
  }
  return out;
}

class Svg {
 public:
  std::string out;

  void text_lines(int x, int y, const std::vector<std::string>& lines, std::string_view cls,
                  std::string_view anchor = "start") {
    out += "<text class=\"" + std::string(cls) + "\" x=\"" + std::to_string(x) + "\" y=\"" +
           std::to_string(y) + "\" text-anchor=\"" + std::string(anchor) +
           "\" font-size=\"13\" fill=\"currentColor\">";
    for (std::size_t i = 0; i < lines.size(); ++i) {
      out += "<tspan x=\"" + std::to_string(x) + "\" dy=\"" +
             (i == 0 ? "0" : std::to_string(kLine)) + "\" xml:space=\"preserve\">" +
             html_escape(lines[i]) + "</tspan>";
    }
    out += "</text>\n";
  }
  void rect(int x, int y, int w, int h, std::string_view cls, bool dashed = false) {
    out += "<rect class=\"" + std::string(cls) + "\" x=\"" + std::to_string(x) + "\" y=\"" +
           std::to_string(y) + "\" width=\"" + std::to_string(w) + "\" height=\"" +
           std::to_string(h) + "\" rx=\"6\" fill=\"none\" stroke=\"currentColor\"" +
           (dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>\n";
  }
  void arrow(int x1, int x2, int y, bool dashed, std::string_view marker) {
    out += "<line class=\"flow-arrow\" x1=\"" + std::to_string(x1) + "\" y1=\"" +
           std::to_string(y) + "\" x2=\"" + std::to_string(x2) + "\" y2=\"" + std::to_string(y) +
           "\" stroke=\"currentColor\" stroke-width=\"1.5\"" +
           (dashed ? " stroke-dasharray=\"6 4\"" : "") + " marker-end=\"url(#" +
           std::string(marker) + ")\"/>\n";
  }
};

// Each row's height: its box or its label, whichever is taller.
void measure(Row& r, std::string_view locale, bool right) {
  const Column box = right ? kRightBox : kLeftBox;
  const Column label = right ? kRightLabel : kLeftLabel;
  std::vector<std::string> names;
  for (const auto& rc : r.d->recipients) names.push_back(rc.name);
  r.box = wrapped(names, box.cols(), names.size() > 1 ? "・" : "");
  if (is_abroad(*r.d)) r.box.push_back(ui_text(locale, SiteKey::WhereAbroad));
  r.label = r.d->data_items.empty() ? wrapped({r.d->title}, label.cols(), "")
                                    : wrapped(r.d->data_items, label.cols(), "・");
  const int box_h = static_cast<int>(r.box.size()) * kLine + 2 * kPad;
  const int label_h = 24 + static_cast<int>(r.label.size()) * kLine;
  r.height = std::max(box_h, label_h);
}

}  // namespace

std::string flow_svg(const Policy& policy, const std::vector<Disclosure>& disclosures,
                     std::string_view locale, std::string_view id_prefix) {
  std::vector<Row> left, right, optional;
  for (const auto& d : disclosures) {
    Row r{&d, {}, {}, 0, 0};
    measure(r, locale, !is_inbound(d));
    (is_inbound(d) ? left : d.optional_linkage ? optional : right).push_back(std::move(r));
  }
  const int top = 16;
  auto stack = [](std::vector<Row>& rows, int y) {
    for (auto& r : rows) {
      r.top = y;
      y += r.height + kGap;
    }
    return y;
  };
  const int left_end = stack(left, top);
  int right_end = stack(right, top);
  // The optional linkages: under a caption, in their own dashed frame.
  const std::string optional_caption = ui_text(locale, SiteKey::DiagramOptional);
  const int frame_top = right_end + 8;
  if (!optional.empty()) right_end = stack(optional, frame_top + 8 + kLine + 8) + 8;
  const int bottom = std::max(left_end, right_end);
  const int height = bottom + 8;

  const std::string company = controller_name(policy);
  const std::string p(id_prefix);
  Svg s;
  s.out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flow\" viewBox=\"0 0 " +
          std::to_string(kWidth) + " " + std::to_string(height) + "\" width=\"" +
          std::to_string(kWidth) + "\" height=\"" + std::to_string(height) +
          "\" role=\"img\" aria-labelledby=\"" + p + "title " + p + "desc\">\n";
  s.out += "<title id=\"" + p + "title\">" + html_escape(ui_text(locale, SiteKey::DiagramTitle)) +
           "</title>\n";
  s.out += "<desc id=\"" + p + "desc\">" +
           html_escape(ui_text(locale, SiteKey::DiagramDesc, {{"company", company}})) + "</desc>\n";
  s.out += "<defs><marker id=\"" + p +
           "arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
           "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" "
           "fill=\"currentColor\"/></marker></defs>\n";

  // The operator, spanning every row.
  const int company_h = bottom - top - kGap;
  s.rect(kCompany.x, top, kCompany.w, company_h, "flow-company");
  const auto company_lines = wrapped({company}, kCompany.cols(), "");
  const int company_text_y =
      top + company_h / 2 - (static_cast<int>(company_lines.size()) - 1) * kLine / 2 + 5;
  s.text_lines(kCompany.x + kCompany.w / 2, company_text_y, company_lines, "flow-company-name",
               "middle");

  const std::string marker = p + "arrow";
  auto draw = [&](const Row& r, bool right_side, bool dashed) {
    const Column box = right_side ? kRightBox : kLeftBox;
    const Column label = right_side ? kRightLabel : kLeftLabel;
    const int box_h = static_cast<int>(r.box.size()) * kLine + 2 * kPad;
    s.out += "<g class=\"flow-edge\" data-disclosure=\"" + html_escape(r.d->id) + "\">\n";
    s.rect(box.x, r.top, box.w, box_h, is_abroad(*r.d) ? "flow-party flow-abroad" : "flow-party",
           dashed);
    s.text_lines(box.x + kPad, r.top + kPad + 13, r.box, "flow-party-name");
    const int y = r.top + 12;
    if (right_side) {
      s.arrow(kCompany.x + kCompany.w, box.x - 2, y, dashed, marker);
    } else {
      s.arrow(box.x + box.w, kCompany.x - 2, y, dashed, marker);
    }
    s.text_lines(label.x + kPad, y + 24, r.label, "flow-label");
    s.out += "</g>\n";
  };
  for (const auto& r : left) draw(r, false, false);
  for (const auto& r : right) draw(r, true, false);
  if (!optional.empty()) {
    s.rect(kRightLabel.x - 4, frame_top, kWidth - kRightLabel.x, right_end - frame_top - 8,
           "flow-optional", true);
    s.text_lines(kRightLabel.x + kPad, frame_top + 8 + 13, {optional_caption},
                 "flow-optional-caption");
    for (const auto& r : optional) draw(r, true, true);
  }
  s.out += "</svg>\n";
  return std::move(s.out);
}

// ---- the table ---------------------------------------------------------------------------------

namespace {

void list_cell(std::string& out, const std::vector<std::string>& items, std::string_view locale) {
  out += "<td>";
  if (items.empty()) {
    out += html_escape(ui_text(locale, SiteKey::None));
  } else if (items.size() == 1) {
    out += html_escape(items.front());
  } else {
    out += "<ul>";
    for (const auto& i : items) out += "<li>" + html_escape(i) + "</li>";
    out += "</ul>";
  }
  out += "</td>";
}

// Where `id` stands in the policy, as its numbers read: "3. (1)", "4." (an unnumbered item),
// "6." (a section).
bool locate(const std::vector<Block>& blocks, std::string_view id, std::string& out) {
  for (const auto& b : blocks) {
    if (b.type == Block::Type::Item && b.id == id) {
      if (!b.number.empty()) out += " " + b.number;
      return true;
    }
    if (locate(b.blocks, id, out)) return true;
  }
  return false;
}

std::string locate(const Policy& policy, std::string_view id) {
  for (const auto& s : policy.sections) {
    std::string out = s.number;
    if (s.id == id || locate(s.blocks, id, out)) return out;
  }
  return std::string(id);
}

}  // namespace

std::string flow_table_html(const Policy& policy, const std::vector<Disclosure>& disclosures,
                            std::string_view locale, std::string_view policy_href,
                            std::string_view anchor_prefix) {
  auto t = [&](SiteKey k) { return html_escape(ui_text(locale, k)); };
  std::string out = "<table class=\"flow-table\">\n<caption>" + t(SiteKey::TableCaption) +
                    "</caption>\n<thead><tr>";
  for (SiteKey k : {SiteKey::ColParty, SiteKey::ColDirection, SiteKey::ColWhen,
                    SiteKey::ColPurposes, SiteKey::ColDataItems, SiteKey::ColDeidentified,
                    SiteKey::ColWhere, SiteKey::ColOptional, SiteKey::ColSource}) {
    out += "<th scope=\"col\">" + t(k) + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& d : disclosures) {
    out += "<tr data-disclosure=\"" + html_escape(d.id) + "\"><th scope=\"row\">";
    if (d.recipients.size() == 1) {
      out += html_escape(d.recipients.front().name);
    } else {
      out += "<ul>";
      for (const auto& r : d.recipients) out += "<li>" + html_escape(r.name) + "</li>";
      out += "</ul>";
    }
    out += "</th><td>" + t(is_inbound(d) ? SiteKey::DirectionReceive : SiteKey::DirectionProvide) +
           "</td>";
    list_cell(out, d.when, locale);
    // Purposes with their examples; those provided only de-identified are marked as the text
    // marks them (the de-identified column says which rows have any).
    out += "<td>";
    if (d.purposes.empty()) out += t(SiteKey::None);
    if (!d.purposes.empty()) out += "<ul>";
    for (const auto& pu : d.purposes) {
      out += "<li>" + html_escape(pu.text);
      if (!pu.examples.empty()) {
        out += "<ul>";
        for (const auto& e : pu.examples) out += "<li>" + html_escape(e) + "</li>";
        out += "</ul>";
      }
      out += "</li>";
    }
    if (!d.purposes.empty()) out += "</ul>";
    out += "</td>";
    // Section 6 states its provisions as sentences, not as lists of items: those stand here.
    list_cell(out, d.data_items.empty() ? d.statements : d.data_items, locale);
    const SiteKey deid = d.deidentified == "all"       ? SiteKey::DeidentifiedAll
                         : d.deidentified == "partial" ? SiteKey::DeidentifiedPartial
                                                       : SiteKey::DeidentifiedNone;
    out += "<td>" + t(deid) + "</td><td>" +
           t(is_abroad(d) ? SiteKey::WhereAbroad : SiteKey::WhereJapan) + "</td><td>" +
           t(d.optional_linkage ? SiteKey::OptionalYes : SiteKey::OptionalNo) + "</td>";
    out += "<td><a href=\"" + html_escape(policy_href) + "#" + html_escape(anchor_prefix) +
           html_escape(d.source) + "\" title=\"" + html_escape(d.title) + "\">" +
           html_escape(locate(policy, d.source)) + "</a></td></tr>\n";
  }
  out += "</tbody>\n</table>\n";
  return out;
}

}  // namespace doui
