#include "receipt_cmd.hpp"

#include <string>
#include <vector>

#include "args.hpp"
#include "command.hpp"
#include "doui/receipt.hpp"
#include "records_io.hpp"

namespace doui::cli {

const std::string_view kHelpKey =
    R"(  doui key new --out FILE
      Generate an Ed25519 key pair for signing receipts: FILE, the signing key (mode 0600;
      keep it secret), and FILE.pub, the public key that verifies them. Prints the key id.
      Neither file may exist: nothing is overwritten, and on a failure nothing is left.
      --out FILE      where to write the key pair
)";

const std::string_view kHelpReceipt =
    R"(  doui receipt verify --pub FILE [--pub FILE ...] [RECEIPT_FILE|-]
      Verify a signed receipt (standard input without RECEIPT_FILE); one verdict line,
      {"errors":[{"code","path"}],"key_id","record_id","valid"}.
      --pub FILE      a public key file (FILE.pub of doui key new); repeatable, at least one
      Exit 0 valid, 1 invalid, 2 unusable key file or input.
)";

namespace {

// A key file is a few hundred bytes; a receipt file at most the core's limit.
constexpr std::size_t kMaxKeyFileBytes = 64 * 1024;

bool create(const std::string& path, const std::string& text, int mode) {
  switch (create_file(path, text, mode)) {
    case CreateStatus::kOk:
      return true;
    case CreateStatus::kExists:
      cli_problem(path, Code::CliWriteFailed, "the file exists; doui key new overwrites nothing");
      return false;
    case CreateStatus::kFailed:
      cli_problem(path, Code::CliWriteFailed, "the file could not be written");
      return false;
  }
  return false;
}

}  // namespace

int cmd_key(int argc, char** argv) {
  if (argc < 3) return usage_error("key", "key needs a subcommand: new");
  const std::string sub = argv[2];
  if (sub == "--help") return help(kHelpKey);
  if (sub != "new") {
    if (!clean_utf8(sub))
      return usage_error("key", "the subcommand (argument 2) is not valid UTF-8 or holds U+FFFD");
    return usage_error("key", "unknown key subcommand \"" + sub + "\"");
  }
  auto args = parse(argc, argv, 3, {{"--out"}});
  if (!args.error.empty()) return usage_error("key", args.error);
  if (args.has("--help")) return help(kHelpKey);
  if (!args.positional.empty()) return usage_error("key", "key new takes no positional arguments");
  const auto out = args.value("--out");
  if (!out || out->empty()) return usage_error("key", "key new needs --out FILE");
  if (*out == "-") return usage_error("key", "key new writes files: --out - is not one");
  auto key = new_signing_key();
  if (!key) return report("key", key.errors(), kUnusable);
  // The secret first, readable by its owner only; the public key beside it. If the public key
  // cannot be written, the secret goes too: a key pair is whole or absent.
  std::string secret = signing_key_json(*key) + "\n";
  const bool wrote_secret = create(*out, secret, 0600);
  std::fill(secret.begin(), secret.end(), '\0');
  if (!wrote_secret) return kUnusable;
  if (!create(*out + ".pub", public_key_json(public_key_of(*key)) + "\n", 0644)) {
    remove_file(*out);
    return kUnusable;
  }
  // The key id is how the pair is known: if it cannot be told, the pair goes (main reports
  // cli.write_failed).
  g_out->line(key->key_id);
  if (!g_out->flush()) {
    remove_file(*out + ".pub");
    remove_file(*out);
    return kUnusable;
  }
  return kOk;
}

int cmd_receipt(int argc, char** argv) {
  if (argc < 3) return usage_error("receipt", "receipt needs a subcommand: verify");
  const std::string sub = argv[2];
  if (sub == "--help") return help(kHelpReceipt);
  if (sub != "verify") {
    if (!clean_utf8(sub))
      return usage_error("receipt",
                         "the subcommand (argument 2) is not valid UTF-8 or holds U+FFFD");
    return usage_error("receipt", "unknown receipt subcommand \"" + sub + "\"");
  }
  auto args = parse(argc, argv, 3, {{"--pub", true, true}});
  if (!args.error.empty()) return usage_error("receipt", args.error);
  if (args.has("--help")) return help(kHelpReceipt);
  if (args.positional.size() > 1)
    return usage_error("receipt", "receipt verify takes at most one RECEIPT_FILE");
  const auto pubs = args.all("--pub");
  if (pubs.empty()) return usage_error("receipt", "receipt verify needs --pub FILE");
  // The keys first: an unusable key file is doui's problem (2), whatever the receipt holds.
  std::vector<PublicKey> keys;
  for (const auto& path : pubs) {
    std::string text;
    if (!read_limited(path, kMaxKeyFileBytes, text)) return kUnusable;
    auto key = load_public_key(text);
    if (!key) return report(path, key.errors(), kUnusable);
    keys.push_back(std::move(*key));
  }
  const std::string path = args.positional.empty() ? "-" : args.positional.front();
  std::string text;
  if (!read_limited(path, kMaxReceiptBytes, text)) return kUnusable;
  // As verify and export say of an input without a record.
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    return usage_error("receipt", "no receipt in the input");
  const ReceiptVerdict verdict = check_receipt(text, keys);
  g_out->line(receipt_verdict_json(verdict));
  return verdict.valid ? kOk : kRuleBroken;
}

}  // namespace doui::cli
