#include "doui/receipt.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "doui/age.hpp"
#include "doui/canonical.hpp"
#include "doui/digest.hpp"
#include "doui/uuid.hpp"
#include "json_get.hpp"
#include "json_strict.hpp"
#include "json_write.hpp"

namespace doui {

namespace {

using nlohmann::json;

bool sodium_ready() {
  // Idempotent and thread-safe; randomness in wasm needs it (see digest.cpp).
  static const int init = sodium_init();
  return init >= 0;
}

constexpr int kB64 = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

std::string b64url(const unsigned char* bytes, std::size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, kB64), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, n, kB64);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// Exactly N bytes in their one base64url spelling: no padding, no whitespace, and the unused
// low bits of the last character zero (re-encoding gives the same text), so no two texts name
// one key or signature.
template <std::size_t N>
bool from_b64url(const std::string& text, std::array<unsigned char, N>& out) {
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), N, text.data(), text.size(), nullptr, &len, &end, kB64) != 0)
    return false;
  return len == N && end == text.data() + text.size() && b64url(out.data(), N) == text;
}

bool is_lower_hex(std::string_view s, std::size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// As consent.cpp's rule for a record's subject: 1–128 of [A-Za-z0-9._:-].
bool is_subject_id(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '-';
  });
}

bool is_utc_ms_instant(std::string_view s) {
  auto t = parse_instant(s);
  return t.ok() && format_instant(*t) == s;
}

std::string key_id_of(const std::array<unsigned char, 32>& public_key) {
  const std::string hex = sha256_hex(
      std::string_view(reinterpret_cast<const char*>(public_key.data()), public_key.size()));
  return "ed25519:" + hex.substr(0, 16);
}

bool is_key_id(std::string_view s) {
  return s.size() == 24 && s.substr(0, 8) == "ed25519:" && is_lower_hex(s.substr(8), 16);
}

// The facts from "ledger_entry" to "record_id", in RFC 8785 order: the receipt and the facts'
// JSON both hold them as these bytes (every key is ASCII, so UTF-16 order is byte order).
void append_ledger_facts(std::string& out, const ReceiptFacts& f) {
  out += R"("ledger_entry":)";
  detail::append_json_string(out, f.ledger_entry);
  out += R"(,"ledger_position":)";
  out += std::to_string(f.ledger_position);
  out += R"(,"received_at":)";
  detail::append_json_string(out, f.received_at);
  out += R"(,"record_digest":)";
  detail::append_json_string(out, f.record_digest);
  out += R"(,"record_id":)";
  detail::append_json_string(out, f.record_id);
}

// The receipt's canonical JSON, written member by member in RFC 8785 order; `signature` null:
// the bytes that are signed.
std::string receipt_bytes(const ReceiptFacts& f, std::string_view key_id,
                          const std::string* signature) {
  std::string out = R"({"format":)";
  detail::append_json_string(out, kReceiptFormat);
  out += R"(,"key_id":)";
  detail::append_json_string(out, key_id);
  out += ',';
  append_ledger_facts(out, f);
  if (signature != nullptr) {
    out += R"(,"signature":)";
    detail::append_json_string(out, *signature);
  }
  out += R"(,"subject":)";
  detail::append_json_string(out, f.subject);
  out += '}';
  return out;
}

constexpr detail::SchemaCodes kKeyCodes{Code::KeyMissingField, Code::KeyWrongType,
                                        Code::KeyUnknownField};
constexpr detail::SchemaCodes kReceiptCodes{Code::ReceiptMissingField, Code::ReceiptWrongType,
                                            Code::ReceiptUnknownField};

// A key file, public (`secret` false) or signing. Checks everything but the pair's agreement.
Result<SigningKey> read_key_file(std::string_view text, bool secret) {
  detail::ParseLimits limits;
  limits.max_bytes = 64 * 1024;
  auto parsed = detail::parse_strict(text, limits);
  if (!parsed) return parsed.errors();
  const json& v = *parsed;
  std::vector<Error> errors;
  if (secret) {
    if (!detail::check_object(v, "", {"format", "key_id", "public_key", "secret_key"}, {},
                              kKeyCodes, kKeyFormat, errors))
      return errors;
  } else {
    if (!detail::check_object(v, "", {"format", "key_id", "public_key"}, {"secret_key"}, kKeyCodes,
                              kKeyFormat, errors))
      return errors;
    if (v.contains("secret_key")) {
      errors.push_back(Error{Code::KeySecretInPublic, "/secret_key",
                             "a public key file holds a secret key; give the .pub file", -1});
    }
  }
  detail::JsonGetter get(errors, Code::KeyWrongType, Code::KeyBadValue);
  constexpr std::size_t kMax = 256;
  std::string format, key_id, public_b64, secret_b64;
  const json* m = nullptr;
  if ((m = get.find(v, "format")) != nullptr && get.string(*m, "/format", format, kMax) &&
      format != kKeyFormat) {
    get.add(Code::KeyUnsupportedFormat, "/format",
            "expected \"" + std::string(kKeyFormat) + "\", found \"" + format + "\"");
  }
  SigningKey key;
  bool have_public = false;
  if ((m = get.find(v, "public_key")) != nullptr &&
      get.string(*m, "/public_key", public_b64, kMax)) {
    have_public = from_b64url(public_b64, key.public_key);
    if (!have_public) get.add(Code::KeyBadValue, "/public_key", "expected 32 bytes in base64url");
  }
  if ((m = get.find(v, "key_id")) != nullptr && get.string(*m, "/key_id", key_id, kMax)) {
    if (!is_key_id(key_id)) {
      get.add(Code::KeyBadValue, "/key_id", "expected \"ed25519:\" and 16 lowercase hex digits");
    } else if (have_public && key_id != key_id_of(key.public_key)) {
      get.add(Code::KeyIdMismatch, "/key_id",
              "the public key's id is " + key_id_of(key.public_key));
    }
  }
  std::array<unsigned char, 32> seed{};
  if (secret && (m = get.find(v, "secret_key")) != nullptr &&
      get.string(*m, "/secret_key", secret_b64, kMax)) {
    if (!from_b64url(secret_b64, seed)) {
      get.add(Code::KeyBadValue, "/secret_key", "expected a 32-byte seed in base64url");
    } else if (have_public) {
      const SigningKey derived = signing_key_from_seed(seed);
      if (derived.public_key != key.public_key) {
        get.add(Code::KeyPairMismatch, "/secret_key", "the seed gives another public key");
      }
      key.secret_key = derived.secret_key;
    }
    sodium_memzero(seed.data(), seed.size());
  }
  if (!errors.empty()) return errors;
  key.key_id = key_id;
  return key;
}

}  // namespace

SigningKey signing_key_from_seed(const std::array<unsigned char, 32>& seed) {
  (void)sodium_ready();
  SigningKey key;
  crypto_sign_seed_keypair(key.public_key.data(), key.secret_key.data(), seed.data());
  key.key_id = key_id_of(key.public_key);
  return key;
}

Result<SigningKey> new_signing_key() {
  SigningKey key;
  if (!sodium_ready() || crypto_sign_keypair(key.public_key.data(), key.secret_key.data()) != 0)
    return Error{Code::KeyGenerateFailed, "", "libsodium could not generate a key pair", -1};
  key.key_id = key_id_of(key.public_key);
  return key;
}

PublicKey public_key_of(const SigningKey& key) {
  return PublicKey{key.key_id, key.public_key};
}

std::string public_key_json(const PublicKey& key) {
  std::string out = R"({"format":)";
  detail::append_json_string(out, kKeyFormat);
  out += R"(,"key_id":)";
  detail::append_json_string(out, key.key_id);
  out += R"(,"public_key":)";
  detail::append_json_string(out, b64url(key.public_key.data(), key.public_key.size()));
  out += '}';
  return out;
}

std::string signing_key_json(const SigningKey& key) {
  std::string out = public_key_json(public_key_of(key));
  out.pop_back();
  out += R"(,"secret_key":)";
  // libsodium's secret key begins with the seed: the seed is the key file's secret.
  std::string seed = b64url(key.secret_key.data(), crypto_sign_SEEDBYTES);
  detail::append_json_string(out, seed);
  sodium_memzero(seed.data(), seed.size());
  out += '}';
  return out;
}

Result<SigningKey> load_signing_key(std::string_view json_text) {
  return read_key_file(json_text, true);
}

Result<PublicKey> load_public_key(std::string_view json_text) {
  auto key = read_key_file(json_text, false);
  if (!key) return key.errors();
  return public_key_of(*key);
}

std::string sign_receipt(const ReceiptFacts& facts, const SigningKey& key) {
  (void)sodium_ready();
  const std::string message = receipt_bytes(facts, key.key_id, nullptr);
  std::array<unsigned char, crypto_sign_BYTES> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), key.secret_key.data());
  const std::string signature = b64url(sig.data(), sig.size());
  return receipt_bytes(facts, key.key_id, &signature);
}

namespace {

// Every check of verify_receipt, filling `facts` as it reads them (whole only when valid).
ReceiptVerdict check(std::string_view receipt_json, const std::vector<PublicKey>& keys,
                     ReceiptFacts& f) {
  ReceiptVerdict verdict;
  detail::ParseLimits limits;
  limits.max_bytes = kMaxReceiptBytes;
  auto parsed = detail::parse_strict(receipt_json, limits);
  if (!parsed) {
    verdict.errors = parsed.errors();
    return verdict;
  }
  json& v = *parsed;
  auto& errors = verdict.errors;
  if (!detail::check_object(v, "",
                            {"format", "key_id", "ledger_entry", "ledger_position", "received_at",
                             "record_digest", "record_id", "signature", "subject"},
                            {}, kReceiptCodes, kReceiptFormat, errors))
    return verdict;
  bool exact = errors.empty();  // every member with its type, nothing else: it can be verified
  detail::JsonGetter get(errors, Code::ReceiptWrongType, Code::ReceiptBadValue);
  // A string member of at most `max` bytes, then its form; true when both are right.
  auto member = [&](const char* name, std::string& out, std::size_t max, auto&& well_formed,
                    const char* expected) {
    const json* m = get.find(v, name);
    if (m == nullptr) return false;
    const std::string path = std::string("/") + name;
    if (!get.string(*m, path, out, max)) {
      exact = false;
      return false;
    }
    if (!well_formed(std::string_view(out))) {
      get.add(Code::ReceiptBadValue, path, std::string("expected ") + expected);
      return false;
    }
    return true;
  };
  std::string format, key_id, signature;
  if (const json* m = get.find(v, "format"); m != nullptr) {
    if (!get.string(*m, "/format", format, 64)) {
      exact = false;
    } else if (format != kReceiptFormat) {
      exact = false;  // another format may sign otherwise: its signature is not judged here
      get.add(Code::ReceiptUnsupportedFormat, "/format",
              "expected \"" + std::string(kReceiptFormat) + "\"");
    }
  }
  if (const json* m = get.find(v, "key_id"); m != nullptr && m->is_string())
    verdict.key_id = m->get<std::string>();
  if (const json* m = get.find(v, "record_id"); m != nullptr && m->is_string())
    verdict.record_id = m->get<std::string>();
  const bool key_ok =
      member("key_id", key_id, 64, is_key_id, "\"ed25519:\" and 16 lowercase hex digits");
  member(
      "ledger_entry", f.ledger_entry, 64, [](std::string_view s) { return is_lower_hex(s, 64); },
      "64 lowercase hex digits");
  if (const json* m = get.find(v, "ledger_position"); m != nullptr) {
    if (!get.is(*m, json::value_t::number_integer, "/ledger_position")) {
      exact = false;
    } else if (!m->is_number_unsigned() || m->get<std::uint64_t>() < 1) {
      get.add(Code::ReceiptBadValue, "/ledger_position", "expected a position from 1");
    } else {
      f.ledger_position = m->get<std::uint64_t>();
    }
  }
  member("received_at", f.received_at, 64, is_utc_ms_instant,
         "an RFC 3339 UTC instant with milliseconds (2026-12-01T02:10:00.123Z)");
  member(
      "record_digest", f.record_digest, 64, [](std::string_view s) { return is_lower_hex(s, 64); },
      "64 lowercase hex digits");
  member("record_id", f.record_id, 64, is_uuid_v4, "a lowercase UUID v4");
  std::array<unsigned char, crypto_sign_BYTES> sig{};
  const bool sig_ok = member(
      "signature", signature, 128,
      [&sig](std::string_view s) { return from_b64url(std::string(s), sig); },
      "a 64-byte Ed25519 signature in base64url without padding");
  member("subject", f.subject, 256, is_subject_id, "1 to 128 of A-Z a-z 0-9 . _ : -");

  const PublicKey* key = nullptr;
  if (key_ok) {
    for (const auto& k : keys) {
      if (k.key_id == key_id) key = &k;
    }
    if (key == nullptr) {
      get.add(Code::ReceiptUnknownKey, "/key_id", "no public key given has the id " + key_id);
    }
  }
  // The signature covers the canonical bytes of what was parsed, less the signature: whitespace
  // in the input does not matter, any other change does.
  if (exact && key != nullptr && sig_ok) {
    v.erase("signature");
    auto message = canonicalize(v);
    (void)sodium_ready();
    if (!message || crypto_sign_verify_detached(
                        sig.data(), reinterpret_cast<const unsigned char*>(message->data()),
                        message->size(), key->public_key.data()) != 0) {
      get.add(Code::ReceiptBadSignature, "/signature",
              "not a signature of this receipt by " + key_id);
    }
  }
  verdict.valid = errors.empty();
  return verdict;
}

}  // namespace

ReceiptVerdict check_receipt(std::string_view receipt_json, const std::vector<PublicKey>& keys) {
  ReceiptFacts facts;
  return check(receipt_json, keys, facts);
}

Result<ReceiptFacts> verify_receipt(std::string_view receipt_json,
                                    const std::vector<PublicKey>& keys) {
  ReceiptFacts facts;
  ReceiptVerdict verdict = check(receipt_json, keys, facts);
  if (!verdict.valid) return std::move(verdict.errors);
  return facts;
}

std::string receipt_facts_json(const ReceiptFacts& f) {
  std::string out = "{";
  append_ledger_facts(out, f);
  out += R"(,"subject":)";
  detail::append_json_string(out, f.subject);
  out += '}';
  return out;
}

std::string receipt_verdict_json(const ReceiptVerdict& verdict) {
  std::string out = R"({"errors":)";
  detail::append_error_list(out, verdict.errors);
  out += R"(,"key_id":)";
  detail::append_json_string_or_null(out, verdict.key_id);
  out += R"(,"record_id":)";
  detail::append_json_string_or_null(out, verdict.record_id);
  out += R"(,"valid":)";
  out += verdict.valid ? "true" : "false";
  out += '}';
  return out;
}

}  // namespace doui
