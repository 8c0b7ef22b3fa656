// Signed receipts: the server's attestation that it accepted a consent record, signed with
// Ed25519 (libsodium) over the receipt's RFC 8785 canonical JSON. Anyone holding the server's
// public key can check a receipt offline, natively or in the browser module.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "doui/result.hpp"

namespace doui {

inline constexpr std::string_view kReceiptFormat = "doui.receipt/1";
inline constexpr std::string_view kKeyFormat = "doui.key/1";

/// An Ed25519 key pair. key_id = "ed25519:" + first 16 hex digits of SHA-256 of the 32-byte
/// public key. secret_key is libsodium's 64-byte form (seed, then public key).
struct SigningKey {
  std::string key_id;
  std::array<unsigned char, 32> public_key{};
  std::array<unsigned char, 64> secret_key{};
};

struct PublicKey {
  std::string key_id;
  std::array<unsigned char, 32> public_key{};
};

/// The facts a receipt attests.
struct ReceiptFacts {
  std::string record_id;      ///< the record's record_id (UUID v4, lowercase)
  std::string record_digest;  ///< the record's digest (64 lowercase hex)
  std::string subject;        ///< the record's subject (1–128 of [A-Za-z0-9._:-])
  std::string received_at;    ///< server clock, RFC 3339 UTC with ms: 2026-12-01T02:10:00.123Z
  std::uint64_t ledger_position = 0;  ///< the row's position in the ledger (1-based, ≤ 2^53)
  std::string ledger_entry;           ///< 64 lowercase hex: the hash of the ledger row
};

/// A fresh key pair from libsodium's CSPRNG (crypto_sign_keypair). Error: key.generate_failed.
Result<SigningKey> new_signing_key();

/// The key pair a 32-byte seed determines (crypto_sign_seed_keypair): for tests and for
/// load_signing_key. Ed25519 is deterministic, so a fixed seed gives fixed signatures.
SigningKey signing_key_from_seed(const std::array<unsigned char, 32>& seed);

/// The key file: canonical JSON {"format":"doui.key/1","key_id","public_key","secret_key"},
/// keys in base64url without padding; secret_key is the 32-byte seed.
std::string signing_key_json(const SigningKey& key);

/// The public key file: the same without secret_key.
std::string public_key_json(const PublicKey& key);

PublicKey public_key_of(const SigningKey& key);

/// Reads a key file strictly (json.* for the JSON; key.unsupported_format, key.missing_field,
/// key.wrong_type, key.unknown_field, key.bad_value), then checks that key_id is the public
/// key's (key.id_mismatch) and that the seed regenerates the public key (key.pair_mismatch).
Result<SigningKey> load_signing_key(std::string_view json);

/// Reads a public key file as load_signing_key does. A file holding secret_key is refused
/// (key.secret_in_public): a secret key is never needed, nor wanted, where it is verified.
Result<PublicKey> load_public_key(std::string_view json);

/// The receipt's canonical JSON (RFC 8785): {"format","key_id","ledger_entry",
/// "ledger_position","received_at","record_digest","record_id","signature","subject"}.
/// signature = base64url (no padding) of the Ed25519 detached signature over the canonical JSON
/// of the receipt WITHOUT "signature". The facts are signed as given: facts that break the
/// format (see ReceiptFacts) give a receipt verify_receipt refuses (receipt.bad_value).
std::string sign_receipt(const ReceiptFacts& facts, const SigningKey& key);

/// Verifies a receipt: strict JSON (json.*; at most kMaxReceiptBytes), exact members and types
/// (receipt.missing_field, receipt.unknown_field, receipt.wrong_type), format
/// (receipt.unsupported_format), each value's form (receipt.bad_value), key_id naming one of
/// `keys` (receipt.unknown_key), the signature valid over the canonical bytes
/// (receipt.bad_signature). Whitespace does not matter (the parsed receipt is re-canonicalised);
/// any change of a value does. Every problem is an Error with a JSON pointer. On success, the
/// facts.
Result<ReceiptFacts> verify_receipt(std::string_view receipt_json,
                                    const std::vector<PublicKey>& keys);

/// The facts as canonical JSON (RFC 8785): {"ledger_entry","ledger_position","received_at",
/// "record_digest","record_id","subject"}; what a verified receipt states, the same bytes on
/// every target.
std::string receipt_facts_json(const ReceiptFacts& facts);

/// Largest receipt verify_receipt reads (a real one is about 450 bytes).
inline constexpr std::size_t kMaxReceiptBytes = 64 * 1024;

/// What verify_receipt found, for printing: the CLI and the browser module print the same.
struct ReceiptVerdict {
  bool valid = false;
  std::string key_id;     ///< as stated, if readable (a string); verified only when valid
  std::string record_id;  ///< as stated, if readable (a string); verified only when valid
  std::vector<Error> errors;
};

ReceiptVerdict check_receipt(std::string_view receipt_json, const std::vector<PublicKey>& keys);

/// One line of canonical JSON: {"errors":[{"code","path"}],"key_id","record_id","valid"};
/// key_id and record_id are null when unreadable.
std::string receipt_verdict_json(const ReceiptVerdict& verdict);

}  // namespace doui
