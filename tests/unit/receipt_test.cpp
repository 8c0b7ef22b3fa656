#include "doui/receipt.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <string>

#include "doui/canonical.hpp"
#include "test_util.hpp"

namespace doui {
namespace {

// The test key: seed 00 01 02 … 1f. Ed25519 is deterministic, so its signatures are golden.
SigningKey test_key() {
  std::array<unsigned char, 32> seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<unsigned char>(i);
  return signing_key_from_seed(seed);
}

ReceiptFacts test_facts() {
  ReceiptFacts f;
  f.record_id = "3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9";
  f.record_digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  f.subject = "u-77";
  f.received_at = "2026-12-01T02:10:00.123Z";
  f.ledger_position = 42;
  f.ledger_entry = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
  return f;
}

// Golden values (tests/fixtures/receipt/ holds the same bytes for the CLI and JS suites; node's
// own Ed25519 checks them there, tests/cli/receipt.test.mjs).
constexpr const char* kKeyId = "ed25519:56475aa75463474c";
constexpr const char* kPublicKey = "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg";
constexpr const char* kReceipt =
    R"({"format":"doui.receipt/1","key_id":"ed25519:56475aa75463474c",)"
    R"("ledger_entry":"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",)"
    R"("ledger_position":42,"received_at":"2026-12-01T02:10:00.123Z",)"
    R"("record_digest":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",)"
    R"("record_id":"3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9",)"
    R"("signature":"d2myJTqt4eXMRmp3fTfaLJbeZjcM0AMgh1plbrblTdwlXCicBS_PYp7xdgNv2pK7U4S7Xks1RKdYvLYSLTrMCA",)"
    R"("subject":"u-77"})";

std::vector<std::string> codes(const std::vector<Error>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(std::string(to_string(e.code)) + " " + e.path);
  return out;
}

std::vector<std::string> problems(std::string_view receipt, const std::vector<PublicKey>& keys) {
  auto r = verify_receipt(receipt, keys);
  return r ? std::vector<std::string>{} : codes(r.errors());
}

std::vector<PublicKey> test_keys() {
  return {public_key_of(test_key())};
}

TEST(Receipt, KeyFromSeedIsGolden) {
  const SigningKey key = test_key();
  EXPECT_EQ(key.key_id, kKeyId);
  EXPECT_EQ(public_key_json(public_key_of(key)),
            std::string(R"({"format":"doui.key/1","key_id":")") + kKeyId + R"(","public_key":")" +
                kPublicKey + R"("})");
  EXPECT_EQ(signing_key_json(key),
            std::string(R"({"format":"doui.key/1","key_id":")") + kKeyId + R"(","public_key":")" +
                kPublicKey + R"(","secret_key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"})");
}

TEST(Receipt, SignatureIsGolden) {
  const std::string receipt = sign_receipt(test_facts(), test_key());
  EXPECT_EQ(receipt, kReceipt);
  EXPECT_EQ(canonicalize_text(receipt).value(), receipt);
}

TEST(Receipt, FixturesAreTheGoldenBytes) {
  const SigningKey key = test_key();
  EXPECT_EQ(test::read_source_file("tests/fixtures/receipt/key.json"),
            signing_key_json(key) + "\n");
  EXPECT_EQ(test::read_source_file("tests/fixtures/receipt/key.json.pub"),
            public_key_json(public_key_of(key)) + "\n");
  EXPECT_EQ(test::read_source_file("tests/fixtures/receipt/receipt.json"),
            std::string(kReceipt) + "\n");
}

TEST(Receipt, VerifiesAndReturnsTheFacts) {
  auto r = verify_receipt(kReceipt, test_keys());
  ASSERT_TRUE(r.ok()) << format_error(r.error());
  const ReceiptFacts f = test_facts();
  EXPECT_EQ(r->record_id, f.record_id);
  EXPECT_EQ(r->record_digest, f.record_digest);
  EXPECT_EQ(r->subject, f.subject);
  EXPECT_EQ(r->received_at, f.received_at);
  EXPECT_EQ(r->ledger_position, f.ledger_position);
  EXPECT_EQ(r->ledger_entry, f.ledger_entry);
  EXPECT_EQ(receipt_facts_json(*r),
            R"({"ledger_entry":"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",)"
            R"("ledger_position":42,"received_at":"2026-12-01T02:10:00.123Z",)"
            R"("record_digest":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",)"
            R"("record_id":"3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9","subject":"u-77"})");
  EXPECT_EQ(canonicalize_text(receipt_facts_json(*r)).value(), receipt_facts_json(*r));
  EXPECT_EQ(receipt_verdict_json(check_receipt(kReceipt, test_keys())),
            std::string(R"({"errors":[],"key_id":")") + kKeyId +
                R"(","record_id":"3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9","valid":true})");
}

TEST(Receipt, WhitespaceAndMemberOrderDoNotMatter) {
  const auto v = nlohmann::json::parse(kReceipt);
  EXPECT_TRUE(verify_receipt(v.dump(2), test_keys()).ok());
  EXPECT_TRUE(verify_receipt(std::string(" \n") + kReceipt + "\r\n\t", test_keys()).ok());
  // Members in another order: the same receipt.
  std::string reordered = R"({"subject":"u-77",)" + std::string(kReceipt).substr(1);
  reordered.erase(reordered.rfind(R"(,"subject":"u-77")"), 17);
  EXPECT_TRUE(verify_receipt(reordered, test_keys()).ok()) << reordered;
}

// Every byte of a valid receipt, each of its 8 bits flipped in turn: never accepted. Canonical
// JSON has no insignificant whitespace, so no position is skipped.
TEST(Receipt, EveryFlippedBitIsRefused) {
  for (const std::string& base : {std::string(kReceipt), sign_receipt(
                                                             [] {
                                                               auto f = test_facts();
                                                               f.subject = "A.b_c:d-9";
                                                               f.ledger_position =
                                                                   9007199254740992;  // 2^53
                                                               return f;
                                                             }(),
                                                             test_key())}) {
    ASSERT_TRUE(verify_receipt(base, test_keys()).ok()) << base;
    std::size_t checked = 0;
    for (std::size_t i = 0; i < base.size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string t = base;
        t[i] = static_cast<char>(t[i] ^ (1 << bit));
        auto r = verify_receipt(t, test_keys());
        EXPECT_FALSE(r.ok()) << "byte " << i << " bit " << bit << ": " << t;
        if (!r.ok()) ++checked;
      }
      // And the byte replaced by characters of every kind the receipt holds (and whitespace).
      for (char c : std::string_view(" \t\n\"\\,:{}[]0129.-+eEaAfFzZ_/=")) {
        if (c == base[i]) continue;
        std::string t = base;
        t[i] = c;
        EXPECT_FALSE(verify_receipt(t, test_keys()).ok())
            << "byte " << i << " as " << c << ": " << t;
      }
    }
    EXPECT_EQ(checked, base.size() * 8);
  }
}

TEST(Receipt, EveryProblemHasACodeAndAPointer) {
  const auto keys = test_keys();
  auto with = [](const std::string& member, const nlohmann::json& value) {
    auto v = nlohmann::json::parse(kReceipt);
    if (value.is_discarded()) {
      v.erase(member);
    } else {
      v[member] = value;
    }
    return v.dump();
  };
  const auto gone = nlohmann::json(nlohmann::json::value_t::discarded);
  using V = std::vector<std::string>;
  // A value of the wrong form is also one the signature does not cover: both are said.
  EXPECT_EQ(problems("", keys), V{"json.syntax "});
  EXPECT_EQ(problems("[]", keys), V{"receipt.wrong_type "});
  EXPECT_EQ(problems(with("subject", gone), keys), V{"receipt.missing_field /subject"});
  EXPECT_EQ(problems(with("extra", 1), keys), V{"receipt.unknown_field /extra"});
  EXPECT_EQ(problems(with("format", "doui.receipt/2"), keys),
            V{"receipt.unsupported_format /format"});
  EXPECT_EQ(problems(with("ledger_position", 42.0), keys),
            V{"receipt.wrong_type /ledger_position"});
  EXPECT_EQ(problems(with("ledger_position", "42"), keys),
            V{"receipt.wrong_type /ledger_position"});
  EXPECT_EQ(problems(with("ledger_position", 0), keys),
            (V{"receipt.bad_value /ledger_position", "receipt.bad_signature /signature"}));
  EXPECT_EQ(problems(with("ledger_position", -1), keys),
            (V{"receipt.bad_value /ledger_position", "receipt.bad_signature /signature"}));
  EXPECT_EQ(problems(with("ledger_position", 43), keys), V{"receipt.bad_signature /signature"});
  EXPECT_EQ(problems(with("record_id", nullptr), keys), V{"receipt.wrong_type /record_id"});
  EXPECT_EQ(problems(with("record_id", "3D2B1F0E-9C8B-4A7A-B6D5-C4E3F2A1B0C9"), keys),
            (V{"receipt.bad_value /record_id", "receipt.bad_signature /signature"}));
  EXPECT_EQ(problems(with("received_at", "2026-12-01T11:10:00.123+09:00"), keys),
            (V{"receipt.bad_value /received_at", "receipt.bad_signature /signature"}));
  EXPECT_EQ(problems(with("received_at", "2026-12-01T02:10:00Z"), keys),
            (V{"receipt.bad_value /received_at", "receipt.bad_signature /signature"}));
  EXPECT_EQ(problems(with("record_digest", std::string(64, 'A')), keys),
            (V{"receipt.bad_value /record_digest", "receipt.bad_signature /signature"}));
  EXPECT_EQ(problems(with("ledger_entry", "00"), keys),
            (V{"receipt.bad_value /ledger_entry", "receipt.bad_signature /signature"}));
  EXPECT_EQ(problems(with("subject", "a person"), keys),
            (V{"receipt.bad_value /subject", "receipt.bad_signature /signature"}));
  EXPECT_EQ(problems(with("subject", "u-78"), keys), V{"receipt.bad_signature /signature"});
  EXPECT_EQ(problems(with("signature", "AAAA"), keys), V{"receipt.bad_value /signature"});
  EXPECT_EQ(problems(with("signature", std::string(86, 'A')), keys),
            V{"receipt.bad_signature /signature"});
  EXPECT_EQ(problems(with("key_id", "ed25519:0000000000000000"), keys),
            V{"receipt.unknown_key /key_id"});
  EXPECT_EQ(problems(with("key_id", "rsa:1"), keys), V{"receipt.bad_value /key_id"});
  EXPECT_EQ(problems(kReceipt, {}), V{"receipt.unknown_key /key_id"});
  // Every problem at once, each where it is.
  auto v = nlohmann::json::parse(kReceipt);
  v.erase("subject");
  v["ledger_position"] = true;
  v["record_id"] = "x";
  v["more"] = {};
  EXPECT_EQ(problems(v.dump(), keys),
            (V{"receipt.missing_field /subject", "receipt.unknown_field /more",
               "receipt.wrong_type /ledger_position", "receipt.bad_value /record_id"}));
  // The same key twice, or among others: found.
  auto other = test_key();
  other.key_id = "ed25519:0123456789abcdef";
  EXPECT_TRUE(verify_receipt(kReceipt, {public_key_of(other), keys[0], keys[0]}).ok());
  // The right id with another key's bytes: the signature is what decides.
  std::array<unsigned char, 32> seed{};
  auto impostor = public_key_of(signing_key_from_seed(seed));
  impostor.key_id = kKeyId;
  EXPECT_EQ(problems(kReceipt, {impostor}), V{"receipt.bad_signature /signature"});
}

TEST(Receipt, VerdictJsonForAnInvalidReceipt) {
  auto v = nlohmann::json::parse(kReceipt);
  v["subject"] = "u-78";
  EXPECT_EQ(receipt_verdict_json(check_receipt(v.dump(), test_keys())),
            std::string(R"({"errors":[{"code":"receipt.bad_signature","path":"/signature"}],)") +
                R"("key_id":")" + kKeyId +
                R"(","record_id":"3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9","valid":false})");
  EXPECT_EQ(receipt_verdict_json(check_receipt("{", test_keys())),
            R"({"errors":[{"code":"json.syntax","path":""}],"key_id":null,"record_id":null,)"
            R"("valid":false})");
}

TEST(Receipt, KeyFilesRoundTrip) {
  auto fresh = new_signing_key();
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->key_id.size(), 24u);
  auto loaded = load_signing_key(signing_key_json(*fresh));
  ASSERT_TRUE(loaded.ok()) << format_error(loaded.error());
  EXPECT_EQ(loaded->key_id, fresh->key_id);
  EXPECT_EQ(loaded->public_key, fresh->public_key);
  EXPECT_EQ(loaded->secret_key, fresh->secret_key);
  auto pub = load_public_key(public_key_json(public_key_of(*fresh)));
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->public_key, fresh->public_key);
  // A key signs what it verifies, and another key's receipt is not its own.
  const std::string receipt = sign_receipt(test_facts(), *loaded);
  EXPECT_TRUE(verify_receipt(receipt, {*pub}).ok());
  EXPECT_FALSE(verify_receipt(receipt, test_keys()).ok());
  EXPECT_NE(new_signing_key()->public_key, fresh->public_key);
}

TEST(Receipt, KeyFilesAreReadStrictly) {
  const SigningKey key = test_key();
  const std::string secret = signing_key_json(key);
  const std::string pub = public_key_json(public_key_of(key));
  auto key_problems = [](const Result<PublicKey>& r) {
    return r ? std::vector<std::string>{} : codes(r.errors());
  };
  auto secret_problems = [](const Result<SigningKey>& r) {
    return r ? std::vector<std::string>{} : codes(r.errors());
  };
  auto edit = [](const std::string& text, const std::string& member, const nlohmann::json& value) {
    auto v = nlohmann::json::parse(text);
    v[member] = value;
    return v.dump();
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(key_problems(load_public_key(secret)), V{"key.secret_in_public /secret_key"});
  EXPECT_EQ(secret_problems(load_signing_key(pub)), V{"key.missing_field /secret_key"});
  EXPECT_EQ(key_problems(load_public_key("{")), V{"json.syntax "});
  EXPECT_EQ(key_problems(load_public_key(edit(pub, "format", "doui.key/2"))),
            V{"key.unsupported_format /format"});
  EXPECT_EQ(key_problems(load_public_key(edit(pub, "x", 1))), V{"key.unknown_field /x"});
  EXPECT_EQ(key_problems(load_public_key(edit(pub, "public_key", 1))),
            V{"key.wrong_type /public_key"});
  EXPECT_EQ(key_problems(load_public_key(edit(pub, "public_key", "AAAA"))),
            V{"key.bad_value /public_key"});
  EXPECT_EQ(key_problems(load_public_key(edit(pub, "key_id", "ed25519:0000000000000000"))),
            V{"key.id_mismatch /key_id"});
  EXPECT_EQ(key_problems(load_public_key(edit(pub, "key_id", "ed25519:"))),
            V{"key.bad_value /key_id"});
  // A public key in its one base64url spelling: padding or a non-zero unused bit is refused.
  std::string padded = pub;
  padded.insert(padded.rfind('"'), "=");
  EXPECT_EQ(key_problems(load_public_key(padded)), V{"key.bad_value /public_key"});
  EXPECT_EQ(secret_problems(load_signing_key(
                edit(secret, "secret_key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))),
            V{"key.pair_mismatch /secret_key"});
  EXPECT_EQ(secret_problems(load_signing_key(edit(secret, "secret_key", "AAAA"))),
            V{"key.bad_value /secret_key"});
}

}  // namespace
}  // namespace doui
